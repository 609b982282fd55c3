// @rendezvous/core: Racket's synchronizable events for Node.js. Named exports only, grouped as in
// the API table (../../../docs/racket-mapping.md).

// Errors
export {
  Exn,
  ExnFail,
  ExnFailContract,
  ExnFailNetwork,
  ExnFailNetworkErrno,
  ExnBreak,
} from "./errors/exn.js";
export type { ErrnoKind } from "./errors/exn.js";

// Events and sync
export { Evt, PrimitiveEvt, propEvt } from "./protocol/evt.js";
export type { Syncable, EvtResult, PropEvtObject } from "./protocol/evt.js";
export { isEvt } from "./engine/sync-run.js";
export { sync, syncTimeout, syncEnableBreak, syncTimeoutEnableBreak } from "./engine/sync.js";
export { alwaysEvt, AlwaysEvt } from "./combinators/always.js";
export { neverEvt } from "./combinators/never.js";
export { NeverEvt } from "./protocol/nodes.js";
export { choiceEvt } from "./combinators/choice.js";
export { wrapEvt } from "./combinators/wrap.js";
export { handleEvt, isHandleEvt } from "./combinators/handle.js";
export { guardEvt, pollGuardEvt } from "./combinators/guard.js";
export { nackGuardEvt } from "./combinators/nack-guard.js";
export { replaceEvt } from "./combinators/replace.js";
export { alarmEvt, AlarmEvt } from "./primitives/alarm.js";
export { systemIdleEvt } from "./primitives/system-idle.js";
export {
  currentInexactMilliseconds,
  currentInexactMonotonicMilliseconds,
  currentScheduler,
} from "./time/clock.js";
export { currentEvtPseudoRandomGenerator, makePseudoRandomGenerator } from "./engine/random.js";
export type { PseudoRandomGenerator } from "./engine/random.js";

// Channels, semaphores, async channels
export {
  Channel,
  ChannelPutEvt,
  makeChannel,
  isChannel,
  channelGet,
  channelTryGet,
  channelPut,
  channelPutEvt,
  isChannelPutEvt,
} from "./primitives/channel.js";
export {
  Semaphore,
  SemaphorePeekEvt,
  makeSemaphore,
  isSemaphore,
  semaphorePost,
  semaphoreWait,
  semaphoreTryWait,
  semaphoreWaitEnableBreak,
  semaphorePeekEvt,
  isSemaphorePeekEvt,
  callWithSemaphore,
} from "./primitives/semaphore.js";
export {
  AsyncChannel,
  AsyncChannelPutEvt,
  makeAsyncChannel,
  isAsyncChannel,
  asyncChannelGet,
  asyncChannelTryGet,
  asyncChannelPut,
  asyncChannelPutEvt,
} from "./primitives/async-channel.js";

// Threads and custodians
export {
  Custodian,
  currentCustodian,
  withCustodian,
  makeCustodian,
  isCustodian,
  custodianManage,
  custodianShutdownAll,
  custodianManagedList,
} from "./custodian/custodian.js";
export {
  Thread,
  ThreadDeadEvt,
  thread,
  isThread,
  currentThread,
  threadWait,
  threadDeadEvt,
  isThreadRunning,
  isThreadDead,
} from "./thread/thread.js";
export { breakThread, killThread } from "./thread/break-and-kill.js";
export {
  threadSend,
  threadReceive,
  threadTryReceive,
  threadReceiveEvt,
} from "./thread/send-receive.js";
export { ThreadReceiveEvt } from "./thread/mailbox.js";
export { ThreadKilledError } from "./thread/thread-killed-error.js";

// RxJS interop
export { toObservable } from "./rx/to-observable.js";
export { fromObservable } from "./rx/from-observable.js";
export { observableAsyncChannel, ObservableAsyncChannel } from "./rx/observable-async-channel.js";

// Ports
export { InputPort, makeInputPort } from "./port/input-port.js";
export { OutputPort, makeOutputPort } from "./port/output-port.js";
export type { ByteSource, InputPortFeed, InputPortOptions } from "./port/byte-source.js";
export type { ByteSink, OutputPortFeed, OutputPortOptions, BufferMode } from "./port/byte-sink.js";
export { eof, isEofObject, EofObject } from "./port/eof.js";
export type { Eof } from "./port/eof.js";
export { makePipe } from "./port/pipe.js";
export {
  isInputPort,
  isOutputPort,
  isPortClosed,
  closeInputPort,
  closeOutputPort,
  portClosedEvt,
  PortClosedEvt,
  fileStreamBufferMode,
} from "./port/port-ops.js";
export type { Port } from "./port/port-ops.js";
export { portProgressEvt, isProgressEvt, ProgressEvt } from "./port/progress-evt.js";
export type { LineMode } from "./port/line-scan.js";
export {
  readByte,
  readBytes,
  readBytesInto,
  readBytesAvail,
  readBytesAvailStar,
  readLine,
  readBytesLine,
  readString,
  readChar,
  peekByte,
  peekBytes,
  peekBytesAvail,
  readBytesEvt,
  readBytesIntoEvt,
  readBytesAvailEvt,
  readStringEvt,
  readLineEvt,
  readBytesLineEvt,
  peekBytesEvt,
  peekBytesAvailEvt,
  eofEvt,
} from "./port/read.js";
export type { ProgressArg } from "./port/read.js";
export {
  writeByte,
  writeBytes,
  writeBytesAvail,
  writeBytesAvailStar,
  writeString,
  writeBytesAvailEvt,
  flushOutput,
} from "./port/write.js";
export { inputPortFromReadable } from "./port-adapters/input-port-from-readable.js";
export { inputPortFromReadableStream } from "./port-adapters/input-port-from-readable-stream.js";
export { outputPortToWritable } from "./port-adapters/output-port-to-writable.js";
export { outputPortToWritableStream } from "./port-adapters/output-port-to-writable-stream.js";
export {
  readableFromInputPort,
  readableStreamFromInputPort,
} from "./port-adapters/readable-from-input-port.js";
export type { FromInputPortOptions } from "./port-adapters/readable-from-input-port.js";
export {
  writableFromOutputPort,
  writableStreamFromOutputPort,
} from "./port-adapters/writable-from-output-port.js";
export type { ToOutputPortOptions } from "./port-adapters/writable-from-output-port.js";
