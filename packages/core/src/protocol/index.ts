// @rendezvous/core/protocol: what a primitive event's author needs (the tcp and udp packages use
// it). Application code does not.
export { PrimitiveEvt, NOT_READY, RaiseResult } from "./evt.js";
export type { NotReady } from "./evt.js";
export { Candidate } from "./candidate.js";
export type { WrapLink, NackLink, RunLike } from "./candidate.js";
export { WaiterQueue } from "./waiter-queue.js";
export { atomically } from "../engine/atomic.js";
export { pollNow, syncWithCallbacks } from "../engine/sync.js";
export { SyncRun } from "../engine/sync-run.js";
export { NackEvt } from "../engine/nack.js";
export type { SyncLimits } from "../engine/sync-run.js";
export { setSyncHostProvider } from "../engine/sync-host.js";
export type { SyncHost } from "../engine/sync-host.js";
export { wakeAt, clockNow } from "../time/clock.js";
export type { WakeUp } from "../time/clock.js";
export { contractViolation, check, checkProcedure, racketValueString } from "../errors/contract.js";
// Ports: the source/sink interface through which bytes feed an InputPort and an OutputPort drains.
export type { ByteSource, InputPortFeed, InputPortOptions } from "../port/byte-source.js";
export type { ByteSink, OutputPortFeed, OutputPortOptions, BufferMode } from "../port/byte-sink.js";
export { makeInputPort, InputPort } from "../port/input-port.js";
export { makeOutputPort, abandonOutputPort, OutputPort } from "../port/output-port.js";
