// Bad input, table-driven, over every function the packages export: wrong types, out-of-range
// numbers, bad start/end ranges, non-events, closed objects. Each call must fail with the right
// class (ExnFailContract for arguments) and a message starting with the Racket name — thrown at
// once by a call that never waits, as a rejected promise (never a synchronous throw) by a call that
// may wait — and must change nothing: semaphore counts, channel waiters, buffered values and bytes,
// listeners' queued clients, sockets' queued datagrams, the PRNG and scheduler all stay as they were.
//
// The list of functions comes from the packages' exports: a function without a row fails the test,
// and so does a binding owed by the API table (docs/racket-mapping.md, from the project's API.md)
// that is not exported — new bindings cannot escape the table.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as net from "node:net";
import { Observable } from "rxjs";
import * as core from "@rendezvous/core";
import * as tcp from "@rendezvous/tcp";
import * as udp from "@rendezvous/udp";
import {
  ExnFail,
  ExnFailContract,
  ExnFailNetwork,
  asyncChannelPut,
  channelGet,
  channelPut,
  closeInputPort,
  closeOutputPort,
  currentEvtPseudoRandomGenerator,
  currentScheduler,
  currentThread,
  custodianShutdownAll,
  flushOutput,
  makeAsyncChannel,
  makeChannel,
  makeCustodian,
  makePipe,
  makeSemaphore,
  neverEvt,
  sync,
  syncTimeout,
  thread,
  withCustodian,
  writeString,
  type AsyncChannel,
  type Channel,
  type Custodian,
  type InputPort,
  type OutputPort,
  type Semaphore,
  type Thread,
} from "@rendezvous/core";
import {
  isTcpAcceptReady,
  tcpAccept,
  tcpAddresses,
  tcpClose,
  tcpConnect,
  tcpListen,
  type TcpListener,
} from "@rendezvous/tcp";
import {
  udpAddresses,
  udpBind,
  udpClose,
  udpOpenSocket,
  udpReceiveReadyEvt,
  udpSendTo,
  type UdpSocket,
} from "@rendezvous/udp";

// -- what the API table owes (API.md, "Bindings owed") ----------------------------------------------

const OWED: Record<"core" | "tcp" | "udp", string[]> = {
  core: `sync syncTimeout syncEnableBreak syncTimeoutEnableBreak isEvt propEvt choiceEvt wrapEvt
    handleEvt isHandleEvt guardEvt nackGuardEvt pollGuardEvt replaceEvt alwaysEvt neverEvt
    systemIdleEvt alarmEvt currentInexactMilliseconds currentInexactMonotonicMilliseconds
    currentEvtPseudoRandomGenerator makePseudoRandomGenerator
    makeChannel isChannel channelGet channelTryGet channelPut channelPutEvt isChannelPutEvt
    makeSemaphore isSemaphore semaphorePost semaphoreWait semaphoreTryWait semaphoreWaitEnableBreak
    semaphorePeekEvt isSemaphorePeekEvt callWithSemaphore makeAsyncChannel isAsyncChannel
    asyncChannelGet asyncChannelTryGet asyncChannelPut asyncChannelPutEvt
    thread isThread currentThread threadWait threadDeadEvt killThread breakThread isThreadRunning
    isThreadDead threadSend threadReceive threadTryReceive threadReceiveEvt makeCustodian
    isCustodian currentCustodian withCustodian custodianShutdownAll custodianManagedList
    makePipe isInputPort isOutputPort isPortClosed closeInputPort closeOutputPort portClosedEvt eof
    isEofObject fileStreamBufferMode flushOutput readByte readBytes readBytesInto readBytesAvail
    readBytesAvailStar readLine readBytesLine readString readChar peekByte peekBytes peekBytesAvail
    writeByte writeBytes writeBytesAvail writeBytesAvailStar writeString readBytesEvt
    readBytesIntoEvt readBytesAvailEvt readStringEvt readLineEvt readBytesLineEvt peekBytesEvt
    peekBytesAvailEvt eofEvt writeBytesAvailEvt
    ExnFail ExnFailContract ExnFailNetwork ExnFailNetworkErrno ExnBreak toObservable fromObservable`
    .split(/\s+/)
    .filter(Boolean),
  tcp: `tcpListen tcpConnect tcpConnectEnableBreak tcpAccept tcpAcceptEnableBreak isTcpAcceptReady
    tcpClose isTcpListener tcpAcceptEvt tcpAbandonPort tcpAddresses isTcpPort isPortNumber
    isListenPortNumber`
    .split(/\s+/)
    .filter(Boolean),
  udp: `udpOpenSocket udpBind udpConnect udpSendTo udpSend udpSendToStar udpSendStar
    udpSendToEnableBreak udpSendEnableBreak udpReceive udpReceiveStar udpReceiveEnableBreak udpClose
    isUdp isUdpOpen isUdpBound isUdpConnected udpSendReadyEvt udpReceiveReadyEvt udpSendToEvt
    udpSendEvt udpReceiveEvt udpAddresses udpSetReceiveBufferSize udpTtl udpSetTtl
    udpMulticastJoinGroup udpMulticastLeaveGroup udpMulticastInterface udpMulticastSetInterface
    isUdpMulticastLoopback udpMulticastSetLoopback udpMulticastTtl udpMulticastSetTtl
    udpReceiveDropCount`
    .split(/\s+/)
    .filter(Boolean),
};
const PACKAGES = { core, tcp, udp } as Record<"core" | "tcp" | "udp", Record<string, unknown>>;

// -- the world the calls are made against ----------------------------------------------------------

interface World {
  sem: Semaphore;
  /** A channel with a blocked putter, and one with a blocked getter. */
  chPut: Channel<string>;
  chGet: Channel<string>;
  /** An async channel holding 2 values (its limit) with a blocked putter. */
  ach: AsyncChannel<string>;
  /** A pipe with 5 unread bytes; a pipe whose ports are closed. */
  pin: InputPort;
  pout: OutputPort;
  cin: InputPort;
  cout: OutputPort;
  /** A listener with a client waiting; a closed listener. */
  listener: TcpListener;
  closedListener: TcpListener;
  /** The server side of a TCP connection with 3 unread bytes; the client's side. */
  sin: InputPort;
  sout: OutputPort;
  client: [InputPort, OutputPort];
  /** The server side of a TCP connection whose ports are closed. */
  tclosed: [InputPort, OutputPort];
  waitingClient: net.Socket;
  /** A bound UDP socket with a datagram queued; a sender; an unbound socket; a closed one. */
  u: UdpSocket;
  usender: UdpSocket;
  uunbound: UdpSocket;
  uclosed: UdpSocket;
  custodian: Custodian;
  /** A thread blocked forever, managed by `custodian`. */
  t: Thread;
  signal: AbortSignal;
  buf: Uint8Array;
  pending: Promise<unknown>[];
}

let w: World;

async function makeWorld(): Promise<World> {
  const pending: Promise<unknown>[] = [];
  const sem = makeSemaphore(2);
  const chPut = makeChannel<string>();
  pending.push(channelPut(chPut, "blocked put"));
  const chGet = makeChannel<string>();
  pending.push(channelGet(chGet));
  const ach = makeAsyncChannel<string>(2);
  await asyncChannelPut(ach, "a");
  await asyncChannelPut(ach, "b");
  pending.push(asyncChannelPut(ach, "c (blocked)"));
  const [pin, pout] = makePipe(16);
  await core.writeBytes(Uint8Array.of(1, 2, 3, 4, 5), pout);
  const [cin, cout] = makePipe();
  closeInputPort(cin);
  closeOutputPort(cout);

  const listener = await tcpListen(0, 4, true, "127.0.0.1");
  const lport = tcpAddresses(listener, true)[1];
  const closedListener = await tcpListen(0, 4, true, "127.0.0.1");
  tcpClose(closedListener);
  const accepting = tcpAccept(listener);
  const client = await tcpConnect("127.0.0.1", lport);
  const [sin, sout] = await accepting;
  await writeString("abc", client[1]);
  await flushOutput(client[1]);
  await sync(sin); // the bytes have arrived
  const accepting2 = tcpAccept(listener);
  const client2 = await tcpConnect("127.0.0.1", lport);
  const tclosed = await accepting2;
  for (const p of [...client2, ...tclosed])
    if (core.isInputPort(p)) closeInputPort(p);
    else closeOutputPort(p);
  const waitingClient = net.connect({ host: "127.0.0.1", port: lport });
  waitingClient.on("error", () => {});
  for (let i = 0; i < 500 && !isTcpAcceptReady(listener); i++)
    await new Promise((r) => setTimeout(r, 5));

  const u = udpOpenSocket();
  await udpBind(u, "127.0.0.1", 0);
  const usender = udpOpenSocket();
  await udpBind(usender, "127.0.0.1", 0);
  await udpSendTo(usender, "127.0.0.1", udpAddresses(u, true)[1], Uint8Array.of(9, 9, 9));
  await syncTimeout(5, udpReceiveReadyEvt(u));
  const uunbound = udpOpenSocket();
  const uclosed = udpOpenSocket();
  udpClose(uclosed);

  const custodian = makeCustodian();
  const t = withCustodian(custodian, () => thread(() => sync(neverEvt)));
  return {
    sem,
    chPut,
    chGet,
    ach,
    pin,
    pout,
    cin,
    cout,
    listener,
    closedListener,
    sin,
    sout,
    client,
    tclosed,
    waitingClient,
    u,
    usender,
    uunbound,
    uclosed,
    custodian,
    t,
    signal: new AbortController().signal,
    buf: new Uint8Array(8).fill(0xee),
    pending,
  };
}

/** Everything a bad call could have changed, as one string. */
function snapshot(x: World): string {
  const a = (v: unknown) => v as any;
  return JSON.stringify({
    sem: a(x.sem).count,
    semWaiters: a(x.sem).waiters.size,
    chPut: [a(x.chPut).putters.size, a(x.chPut).getters.size],
    chGet: [a(x.chGet).putters.size, a(x.chGet).getters.size],
    ach: [a(x.ach).length, a(x.ach).putters.size, a(x.ach).getters.size],
    pipe: [a(x.pin).q.length, a(x.pin).waiters.size, a(x.pin).closed, a(x.pout).closed],
    tcpIn: [a(x.sin).q.length, a(x.sin).waiters.size, a(x.sin).closed, a(x.sout).closed],
    listener: [a(x.listener).parked.length, a(x.listener).waiters.size, a(x.listener).closed],
    udp: [a(x.u).inbox.size, a(x.u).receivers.size, a(x.u).closed, a(x.uunbound).bound],
    thread: [a(x.t).dead, a(x.custodian).managed.size, a(x.custodian).isShutDown],
    buf: Array.from(x.buf),
    prng: currentEvtPseudoRandomGenerator() === prng,
    scheduler: currentScheduler() === scheduler,
  });
}
const prng = currentEvtPseudoRandomGenerator();
const scheduler = currentScheduler();

async function tearDown(x: World): Promise<void> {
  // Complete the blocked calls the world was built with.
  void core.channelGet(x.chPut);
  await channelPut(x.chGet, "unblock");
  core.asyncChannelTryGet(x.ach);
  await Promise.all(x.pending);
  closeInputPort(x.pin);
  closeOutputPort(x.pout);
  for (const p of [...x.client, x.sin, x.sout])
    if (core.isInputPort(p)) closeInputPort(p);
    else closeOutputPort(p);
  x.waitingClient.destroy();
  tcpClose(x.listener);
  for (const s of [x.u, x.usender, x.uunbound]) udpClose(s);
  custodianShutdownAll(x.custodian);
}

// -- the table -------------------------------------------------------------------------------------

type Cls = new (...a: never[]) => Error;
interface Case {
  label: string;
  args: (x: World) => unknown[];
  /** The class (default ExnFailContract) and message prefix (default `<who>: contract violation`). */
  cls?: Cls;
  msg?: string;
}
type Kind = "throws" | "rejects" | "predicate" | "nullary";
interface Row {
  name: string;
  pkg: "core" | "tcp" | "udp";
  who: string;
  kind: Kind;
  cases: Case[];
}

const rows: Row[] = [];
let pkg: Row["pkg"] = "core";

/** A row: `name`, its Racket name, whether it throws at once or rejects, and its bad calls. */
function row(name: string, who: string, kind: "throws" | "rejects", ...cases: Case[]): void {
  rows.push({ name, pkg, who, kind, cases });
}
/** Predicates accept anything: junk gives `false`, never an exception. */
function predicates(...names: string[]): void {
  for (const name of names) rows.push({ name, pkg, who: name, kind: "predicate", cases: [] });
}
/** Functions without arguments: nothing to get wrong. */
function nullary(...names: string[]): void {
  for (const name of names) rows.push({ name, pkg, who: name, kind: "nullary", cases: [] });
}
const c = (label: string, args: (x: World) => unknown[], cls?: Cls, msg?: string): Case => ({
  label,
  args,
  cls,
  msg,
});
/** A case expecting an error whose message only starts with `<who>: ` (ranges, states). */
const state = (label: string, args: (x: World) => unknown[], cls: Cls, what: string): Case =>
  c(label, args, cls, what);

const fn = () => undefined;
const obs = new Observable<number>(() => {});

// Events and sync
row(
  "sync",
  "sync",
  "rejects",
  c("a number", () => [5]),
  c("an event, then a string", (x) => [x.sem, "x"]),
);
row(
  "syncTimeout",
  "sync/timeout",
  "rejects",
  c("a string timeout", (x) => ["soon", x.sem]),
  c("a negative timeout", (x) => [-1, x.sem]),
  c("NaN", (x) => [NaN, x.sem]),
  c("a non-event", () => [0, 5]),
);
row(
  "syncEnableBreak",
  "sync/enable-break",
  "rejects",
  c("no signal", (x) => ["signal", x.sem]),
  c("a non-event", (x) => [x.signal, {}]),
);
row(
  "syncTimeoutEnableBreak",
  "sync/timeout/enable-break",
  "rejects",
  c("no signal", (x) => [null, 0, x.sem]),
  c("a bad timeout", (x) => [x.signal, -5, x.sem]),
  c("a non-event", (x) => [x.signal, 0, 5]),
);
row(
  "choiceEvt",
  "choice-evt",
  "throws",
  c("a number", () => [5]),
  c("an event and a string", (x) => [x.sem, "x"]),
);
row(
  "wrapEvt",
  "wrap-evt",
  "throws",
  c("a non-event", () => [5, fn]),
  c("a non-procedure", (x) => [x.sem, 5]),
);
row(
  "handleEvt",
  "handle-evt",
  "throws",
  c("a non-event", () => [5, fn]),
  c("a non-procedure", (x) => [x.sem, 5]),
);
row(
  "guardEvt",
  "guard-evt",
  "throws",
  c("a non-procedure", () => [5]),
);
row(
  "nackGuardEvt",
  "nack-guard-evt",
  "throws",
  c("a non-procedure", (x) => [x.sem]),
);
row(
  "pollGuardEvt",
  "poll-guard-evt",
  "throws",
  c("a non-procedure", () => ["f"]),
);
row(
  "replaceEvt",
  "replace-evt",
  "throws",
  c("a non-event", () => [5, fn]),
  c("a non-procedure", (x) => [x.sem, 5]),
);
row(
  "alarmEvt",
  "alarm-evt",
  "throws",
  c("a string", () => ["1000"]),
  c("NaN", () => [NaN]),
  c("an object", () => [{}]),
);
row(
  "currentEvtPseudoRandomGenerator",
  "current-evt-pseudo-random-generator",
  "throws",
  c("a number", () => [5]),
  c("an object", () => [{}]),
);
row(
  "makePseudoRandomGenerator",
  "make-pseudo-random-generator",
  "throws",
  c("a string", () => ["seed"]),
  c("infinity", () => [Infinity]),
);
row(
  "currentScheduler",
  "current-scheduler",
  "throws",
  c("a number", () => [5]),
  c("an object", () => [{ now: 1 }]),
);
predicates("isEvt", "isHandleEvt");
nullary("systemIdleEvt", "currentInexactMilliseconds", "currentInexactMonotonicMilliseconds");

// Channels, semaphores, async channels
row(
  "channelGet",
  "channel-get",
  "rejects",
  c("a semaphore", (x) => [x.sem]),
  c("a number", () => [5]),
);
row(
  "channelTryGet",
  "channel-try-get",
  "throws",
  c("a semaphore", (x) => [x.sem]),
);
row(
  "channelPut",
  "channel-put",
  "rejects",
  c("an async channel", (x) => [x.ach, 1]),
);
row(
  "channelPutEvt",
  "channel-put-evt",
  "throws",
  c("a semaphore", (x) => [x.sem, 1]),
);
row(
  "makeSemaphore",
  "make-semaphore",
  "throws",
  c("negative", () => [-1]),
  c("a fraction", () => [1.5]),
  c("a string", () => ["2"]),
);
row(
  "semaphorePost",
  "semaphore-post",
  "throws",
  c("a channel", (x) => [x.chPut]),
);
row(
  "semaphoreWait",
  "semaphore-wait",
  "rejects",
  c("a channel", (x) => [x.chPut]),
);
row(
  "semaphoreTryWait",
  "semaphore-try-wait?",
  "throws",
  c("a channel", (x) => [x.chGet]),
);
row(
  "semaphoreWaitEnableBreak",
  "semaphore-wait/enable-break",
  "rejects",
  c("no signal", (x) => ["signal", x.sem]),
  c("a channel", (x) => [x.signal, x.chPut]),
);
row(
  "semaphorePeekEvt",
  "semaphore-peek-evt",
  "throws",
  c("a channel", (x) => [x.chPut]),
);
row(
  "callWithSemaphore",
  "call-with-semaphore",
  "rejects",
  c("a channel", (x) => [x.chPut, fn]),
  c("a non-procedure", (x) => [x.sem, 5]),
  c("a non-procedure fail thunk", (x) => [x.sem, fn, 5]),
);
row(
  "makeAsyncChannel",
  "make-async-channel",
  "throws",
  c("zero", () => [0]),
  c("negative", () => [-1]),
  c("a fraction", () => [1.5]),
  c("a string", () => ["1"]),
);
row(
  "asyncChannelGet",
  "async-channel-get",
  "rejects",
  c("a channel", (x) => [x.chPut]),
);
row(
  "asyncChannelTryGet",
  "async-channel-try-get",
  "throws",
  c("a channel", (x) => [x.chPut]),
);
row(
  "asyncChannelPut",
  "async-channel-put",
  "rejects",
  c("a channel", (x) => [x.chGet, 1]),
);
row(
  "asyncChannelPutEvt",
  "async-channel-put-evt",
  "throws",
  c("a semaphore", (x) => [x.sem, 1]),
);
predicates("isChannel", "isChannelPutEvt", "isSemaphore", "isSemaphorePeekEvt", "isAsyncChannel");
nullary("makeChannel");

// Threads and custodians
row(
  "thread",
  "thread",
  "throws",
  c("a non-procedure", () => [5]),
);
row(
  "threadWait",
  "thread-wait",
  "rejects",
  c("a custodian", (x) => [x.custodian]),
);
row(
  "threadDeadEvt",
  "thread-dead-evt",
  "throws",
  c("a number", () => [5]),
);
row(
  "killThread",
  "kill-thread",
  "throws",
  c("a number", () => [5]),
  state(
    "the main thread",
    () => [currentThread()],
    ExnFailContract,
    "kill-thread: the main thread",
  ),
);
row(
  "breakThread",
  "break-thread",
  "throws",
  c("a string", () => ["t"]),
  state(
    "the main thread",
    () => [currentThread()],
    ExnFailContract,
    "break-thread: the main thread",
  ),
);
row(
  "isThreadRunning",
  "thread-running?",
  "throws",
  c("a number", () => [5]),
);
row(
  "isThreadDead",
  "thread-dead?",
  "throws",
  c("a number", () => [5]),
);
row(
  "threadSend",
  "thread-send",
  "throws",
  c("a non-thread", () => [5, "v"]),
  c("a non-procedure fail thunk", (x) => [x.t, "v", 5]),
);
row(
  "makeCustodian",
  "make-custodian",
  "throws",
  c("a number", () => [5]),
);
row(
  "withCustodian",
  "with-custodian",
  "throws",
  c("a non-custodian", () => [5, fn]),
  c("a non-procedure", (x) => [x.custodian, 5]),
);
row(
  "custodianShutdownAll",
  "custodian-shutdown-all",
  "throws",
  c("a thread", (x) => [x.t]),
);
row(
  "custodianManagedList",
  "custodian-managed-list",
  "throws",
  c("a non-custodian", () => [5, core.currentCustodian()]),
  c("a non-custodian superior", (x) => [x.custodian, 5]),
);
row(
  "custodianManage",
  "my-resource",
  "throws",
  c("a non-procedure close", () => ["my-resource", {}, 5]),
  c("a non-custodian", () => ["my-resource", {}, fn, 5]),
);
predicates("isThread", "isCustodian");
nullary(
  "currentThread",
  "threadReceive",
  "threadTryReceive",
  "threadReceiveEvt",
  "currentCustodian",
);

// Ports
const closedIn = (who: string) => `${who}: input port is closed`;
const closedOut = (who: string) => `${who}: output port is closed`;
row(
  "makePipe",
  "make-pipe",
  "throws",
  c("zero limit", () => [0]),
  c("a negative limit", () => [-3]),
  c("a string limit", () => ["16"]),
  c("a non-string name", () => [false, 5]),
);
row(
  "isPortClosed",
  "port-closed?",
  "throws",
  c("a number", () => [5]),
);
row(
  "closeInputPort",
  "close-input-port",
  "throws",
  c("an output port", (x) => [x.pout]),
);
row(
  "closeOutputPort",
  "close-output-port",
  "throws",
  c("an input port", (x) => [x.pin]),
);
row(
  "portClosedEvt",
  "port-closed-evt",
  "throws",
  c("a number", () => [5]),
);
row(
  "fileStreamBufferMode",
  "file-stream-buffer-mode",
  "throws",
  c("a number", () => [5]),
  c("a bad mode", (x) => [x.sout, "bogus"]),
  state(
    "'line on an input port",
    (x) => [x.sin, "line"],
    ExnFailContract,
    "file-stream-buffer-mode: ",
  ),
);
row(
  "flushOutput",
  "flush-output",
  "rejects",
  c("an input port", (x) => [x.pin]),
  state("a closed port", (x) => [x.cout], ExnFail, closedOut("flush-output")),
  state("a closed TCP port", (x) => [x.tclosed[1]], ExnFail, closedOut("flush-output")),
);
row(
  "readByte",
  "read-byte",
  "rejects",
  c("an output port", (x) => [x.pout]),
  state("a closed port", (x) => [x.cin], ExnFail, closedIn("read-byte")),
  state("a closed TCP port", (x) => [x.tclosed[0]], ExnFail, closedIn("read-byte")),
);
row(
  "readBytes",
  "read-bytes",
  "rejects",
  c("a negative count", (x) => [-1, x.pin]),
  c("a fractional count", (x) => [1.5, x.pin]),
  c("an output port", (x) => [1, x.pout]),
  state("a closed port", (x) => [1, x.cin], ExnFail, closedIn("read-bytes")),
);
for (const [name, who, kind] of [
  ["readBytesInto", "read-bytes!", "rejects"],
  ["readBytesAvail", "read-bytes-avail!", "rejects"],
  ["readBytesAvailStar", "read-bytes-avail!*", "throws"],
] as const) {
  row(
    name,
    who,
    kind,
    c("a non-byte-string", (x) => [[1, 2], x.pin]),
    c("an output port", (x) => [x.buf, x.pout]),
    state("start past the end", (x) => [x.buf, x.pin, 9], ExnFailContract, `${who}: `),
    state("end before start", (x) => [x.buf, x.pin, 4, 2], ExnFailContract, `${who}: `),
    state("end past the end", (x) => [x.buf, x.pin, 0, 9], ExnFailContract, `${who}: `),
    c("a fractional start", (x) => [x.buf, x.pin, 0.5]),
    state("a closed port", (x) => [x.buf, x.cin], ExnFail, closedIn(who)),
  );
}
for (const [name, who] of [
  ["readLine", "read-line"],
  ["readBytesLine", "read-bytes-line"],
] as const) {
  row(
    name,
    who,
    "rejects",
    c("an output port", (x) => [x.pout]),
    c("a bad mode", (x) => [x.pin, "crlf"]),
    state("a closed port", (x) => [x.cin], ExnFail, closedIn(who)),
  );
}
row(
  "readString",
  "read-string",
  "rejects",
  c("a negative count", (x) => [-1, x.pin]),
  c("an output port", (x) => [2, x.pout]),
  state("a closed port", (x) => [1, x.cin], ExnFail, closedIn("read-string")),
);
row(
  "readChar",
  "read-char",
  "rejects",
  c("an output port", (x) => [x.pout]),
  state("a closed port", (x) => [x.cin], ExnFail, closedIn("read-char")),
);
row(
  "peekByte",
  "peek-byte",
  "rejects",
  c("an output port", (x) => [x.pout]),
  c("a negative skip", (x) => [x.pin, -1]),
  state("a closed port", (x) => [x.cin], ExnFail, closedIn("peek-byte")),
);
row(
  "peekBytes",
  "peek-bytes",
  "rejects",
  c("a negative count", (x) => [-1, 0, x.pin]),
  c("a negative skip", (x) => [1, -1, x.pin]),
  c("an output port", (x) => [1, 0, x.pout]),
  state("a closed port", (x) => [1, 0, x.cin], ExnFail, closedIn("peek-bytes")),
);
row(
  "peekBytesAvail",
  "peek-bytes-avail!",
  "rejects",
  c("a non-byte-string", (x) => ["buf", 0, false, x.pin]),
  c("a negative skip", (x) => [x.buf, -1, false, x.pin]),
  c("a non-progress event", (x) => [x.buf, 0, x.sem, x.pin]),
  c("an output port", (x) => [x.buf, 0, false, x.pout]),
  state(
    "start past the end",
    (x) => [x.buf, 0, false, x.pin, 9],
    ExnFailContract,
    "peek-bytes-avail!: ",
  ),
  state(
    "another port's progress event",
    (x) => [x.buf, 0, core.portProgressEvt(x.sin), x.pin],
    ExnFailContract,
    "peek-bytes-avail!: ",
  ),
  state("a closed port", (x) => [x.buf, 0, false, x.cin], ExnFail, closedIn("peek-bytes-avail!")),
);
row(
  "writeByte",
  "write-byte",
  "rejects",
  c("256", (x) => [256, x.pout]),
  c("negative", (x) => [-1, x.pout]),
  c("a string", (x) => ["a", x.pout]),
  c("an input port", (x) => [1, x.pin]),
  state("a closed port", (x) => [1, x.cout], ExnFail, closedOut("write-byte")),
  state("a closed TCP port", (x) => [1, x.tclosed[1]], ExnFail, closedOut("write-byte")),
);
for (const [name, who, kind] of [
  ["writeBytes", "write-bytes", "rejects"],
  ["writeBytesAvail", "write-bytes-avail", "rejects"],
  ["writeBytesAvailStar", "write-bytes-avail*", "throws"],
  ["writeBytesAvailEvt", "write-bytes-avail-evt", "throws"],
] as const) {
  row(
    name,
    who,
    kind,
    c("a string", (x) => ["bytes", x.pout]),
    c("an input port", (x) => [x.buf, x.pin]),
    state("start past the end", (x) => [x.buf, x.pout, 9], ExnFailContract, `${who}: `),
    state("end before start", (x) => [x.buf, x.pout, 5, 1], ExnFailContract, `${who}: `),
    c("a string start", (x) => [x.buf, x.pout, "0"]),
    state("a closed port", (x) => [x.buf, x.cout], ExnFail, closedOut(who)),
  );
}
row(
  "writeString",
  "write-string",
  "rejects",
  c("bytes", (x) => [x.buf, x.pout]),
  c("an input port", (x) => ["s", x.pin]),
  state("start past the end", (x) => ["abc", x.pout, 4], ExnFailContract, "write-string: "),
  state("a closed port", (x) => ["s", x.cout], ExnFail, closedOut("write-string")),
);
row(
  "readBytesEvt",
  "read-bytes-evt",
  "throws",
  c("a negative count", (x) => [-1, x.pin]),
  c("an output port", (x) => [1, x.pout]),
);
row(
  "readBytesIntoEvt",
  "read-bytes!-evt",
  "throws",
  c("a non-byte-string", (x) => [8, x.pin]),
  c("an output port", (x) => [x.buf, x.pout]),
  c("a non-progress event", (x) => [x.buf, x.pin, x.sem]),
);
row(
  "readBytesAvailEvt",
  "read-bytes-avail!-evt",
  "throws",
  c("a non-byte-string", (x) => ["b", x.pin]),
  c("an output port", (x) => [x.buf, x.pout]),
);
row(
  "readStringEvt",
  "read-string-evt",
  "throws",
  c("a fractional count", (x) => [0.5, x.pin]),
  c("an output port", (x) => [1, x.pout]),
);
row(
  "readLineEvt",
  "read-line-evt",
  "throws",
  c("an output port", (x) => [x.pout]),
  c("a bad mode", (x) => [x.pin, 5]),
);
row(
  "readBytesLineEvt",
  "read-bytes-line-evt",
  "throws",
  c("an output port", (x) => [x.pout]),
  c("a bad mode", (x) => [x.pin, "lf"]),
);
row(
  "peekBytesEvt",
  "peek-bytes-evt",
  "throws",
  c("a negative count", (x) => [-1, 0, false, x.pin]),
  c("a negative skip", (x) => [1, -1, false, x.pin]),
  c("a non-progress event", (x) => [1, 0, 5, x.pin]),
  c("an output port", (x) => [1, 0, false, x.pout]),
);
row(
  "peekBytesAvailEvt",
  "peek-bytes-avail!-evt",
  "throws",
  c("a non-byte-string", (x) => [null, 0, false, x.pin]),
  c("a negative skip", (x) => [x.buf, -2, false, x.pin]),
  c("an output port", (x) => [x.buf, 0, false, x.pout]),
);
row(
  "eofEvt",
  "eof-evt",
  "throws",
  c("an output port", (x) => [x.pout]),
);
row(
  "portProgressEvt",
  "port-progress-evt",
  "throws",
  c("an output port", (x) => [x.pout]),
);
row(
  "makeInputPort",
  "make-input-port",
  "throws",
  c("a non-string name", () => [5, { start: fn, close: fn }]),
  c("a non-source", () => ["in", 5]),
);
row(
  "makeOutputPort",
  "make-output-port",
  "throws",
  c("a non-string name", () => [5, {}]),
  c("a sink without write", () => ["out", { capacity: fn, end: fn, abandon: fn }]),
);
row(
  "inputPortFromReadable",
  "input-port-from-readable",
  "throws",
  c("a pipe port", (x) => [x.pin]),
);
row(
  "inputPortFromReadableStream",
  "input-port-from-readable-stream",
  "throws",
  c("a number", () => [5]),
);
row(
  "outputPortToWritable",
  "output-port-to-writable",
  "throws",
  c("a pipe port", (x) => [x.pout]),
);
row(
  "outputPortToWritableStream",
  "output-port-to-writable-stream",
  "throws",
  c("a number", () => [5]),
);
row(
  "readableFromInputPort",
  "readable-from-input-port",
  "throws",
  c("an output port", (x) => [x.pout]),
);
row(
  "readableStreamFromInputPort",
  "readable-stream-from-input-port",
  "throws",
  c("an output port", (x) => [x.pout]),
);
row(
  "writableFromOutputPort",
  "writable-from-output-port",
  "throws",
  c("an input port", (x) => [x.pin]),
);
row(
  "writableStreamFromOutputPort",
  "writable-stream-from-output-port",
  "throws",
  c("an input port", (x) => [x.pin]),
);
predicates("isInputPort", "isOutputPort", "isEofObject", "isProgressEvt");

// RxJS interop
row(
  "toObservable",
  "to-observable",
  "throws",
  c("a number", () => [5]),
);
row(
  "fromObservable",
  "from-observable",
  "throws",
  c("an event", (x) => [x.sem]),
);
row(
  "observableAsyncChannel",
  "observable-async-channel",
  "throws",
  c("a non-observable", () => [5]),
  c("a zero limit", () => [obs, 0]),
);

// racket/tcp
pkg = "tcp";
row(
  "tcpListen",
  "tcp-listen",
  "rejects",
  c("a string port", () => ["80"]),
  c("a port above 65535", () => [65536]),
  c("a negative backlog", () => [0, -1]),
  c("a non-string host", () => [0, 4, true, 127001]),
);
row(
  "tcpConnect",
  "tcp-connect",
  "rejects",
  c("a non-string host", () => [127001, 80]),
  c("port 0", () => ["127.0.0.1", 0]),
  c("a port above 65535", () => ["127.0.0.1", 70000]),
  c("a non-string local host", () => ["127.0.0.1", 80, 5]),
  state(
    "a local host without a local port",
    () => ["127.0.0.1", 80, "127.0.0.1"],
    ExnFailContract,
    "tcp-connect: ",
  ),
);
row(
  "tcpConnectEnableBreak",
  "tcp-connect/enable-break",
  "rejects",
  c("no signal", () => ["127.0.0.1", "127.0.0.1", 80]),
  c("a non-string host", (x) => [x.signal, 5, 80]),
);
row(
  "tcpAccept",
  "tcp-accept",
  "rejects",
  c("a number", () => [5]),
  state(
    "a closed listener",
    (x) => [x.closedListener],
    ExnFailContract,
    "tcp-accept: listener is closed",
  ),
);
row(
  "tcpAcceptEnableBreak",
  "tcp-accept/enable-break",
  "rejects",
  c("no signal", (x) => ["signal", x.listener]),
  c("a non-listener", (x) => [x.signal, x.u]),
  state(
    "a closed listener",
    (x) => [x.signal, x.closedListener],
    ExnFailContract,
    "tcp-accept/enable-break: listener is closed",
  ),
);
row(
  "isTcpAcceptReady",
  "tcp-accept-ready?",
  "throws",
  c("a number", () => [5]),
  state(
    "a closed listener",
    (x) => [x.closedListener],
    ExnFailContract,
    "tcp-accept-ready?: listener is closed",
  ),
);
row(
  "tcpClose",
  "tcp-close",
  "throws",
  c("a port", (x) => [x.sin]),
  state(
    "a closed listener",
    (x) => [x.closedListener],
    ExnFailContract,
    "tcp-close: listener is closed",
  ),
);
row(
  "tcpAcceptEvt",
  "tcp-accept-evt",
  "throws",
  c("a number", () => [5]),
);
row(
  "tcpAbandonPort",
  "tcp-abandon-port",
  "throws",
  c("a pipe port", (x) => [x.pout]),
  c("a number", () => [5]),
);
row(
  "tcpAddresses",
  "tcp-addresses",
  "throws",
  c("a pipe port", (x) => [x.pin]),
  c("a number", () => [5]),
  state(
    "a closed listener",
    (x) => [x.closedListener],
    ExnFailContract,
    "tcp-addresses: listener is closed",
  ),
  // Racket 8.7 raises exn:fail:contract for a closed port too (its docs say exn:fail:network).
  state(
    "a closed port",
    (x) => [x.tclosed[0], true],
    ExnFailContract,
    "tcp-addresses: port is closed",
  ),
);
predicates("isTcpListener", "isTcpPort", "isPortNumber", "isListenPortNumber");

// racket/udp
pkg = "udp";
const host = "127.0.0.1";
const closedSock = (who: string) => `${who}: udp socket is closed`;
row(
  "udpOpenSocket",
  "udp-open-socket",
  "throws",
  c("a non-string host", () => [5]),
  c("a port above 65535", () => [false, 70000]),
);
row(
  "udpBind",
  "udp-bind!",
  "rejects",
  c("a non-socket", () => [5, host, 0]),
  c("a non-string host", (x) => [x.uunbound, 5, 0]),
  c("a port above 65535", (x) => [x.uunbound, host, 65536]),
  state("a closed socket", (x) => [x.uclosed, host, 0], ExnFailNetwork, closedSock("udp-bind!")),
  // Racket 8.7 raises exn:fail:contract here (its docs say exn:fail:network); so do we.
  state(
    "a bound socket",
    (x) => [x.u, host, 0],
    ExnFailContract,
    "udp-bind!: udp socket is already bound",
  ),
);
row(
  "udpConnect",
  "udp-connect!",
  "rejects",
  c("a non-socket", () => [{}, host, 9]),
  c("a bad port", (x) => [x.uunbound, host, -1]),
  state("a closed socket", (x) => [x.uclosed, host, 9], ExnFailNetwork, closedSock("udp-connect!")),
);
for (const [name, who, kind, signal] of [
  ["udpSendTo", "udp-send-to", "rejects", false],
  ["udpSendToStar", "udp-send-to*", "throws", false],
  ["udpSendToEvt", "udp-send-to-evt", "throws", false],
  ["udpSendToEnableBreak", "udp-send-to/enable-break", "rejects", true],
] as const) {
  const pre = (x: World): unknown[] => (signal ? [x.signal] : []);
  const cases = [
    c("a non-socket", (x) => [...pre(x), 5, host, 9, x.buf]),
    c("a non-string host", (x) => [...pre(x), x.usender, 5, 9, x.buf]),
    c("port 0", (x) => [...pre(x), x.usender, host, 0, x.buf]),
    c("a string", (x) => [...pre(x), x.usender, host, 9, "bytes"]),
    state(
      "start past the end",
      (x) => [...pre(x), x.usender, host, 9, x.buf, 9],
      ExnFailContract,
      `${who}: `,
    ),
    state(
      "end before start",
      (x) => [...pre(x), x.usender, host, 9, x.buf, 3, 1],
      ExnFailContract,
      `${who}: `,
    ),
  ];
  if (kind !== "throws" || name === "udpSendToStar")
    cases.push(
      state(
        "a closed socket",
        (x) => [...pre(x), x.uclosed, host, 9, x.buf],
        ExnFailNetwork,
        closedSock(who),
      ),
    );
  if (signal) cases.push(c("no signal", (x) => ["signal", x.usender, host, 9, x.buf]));
  row(name, who, kind, ...cases);
}
for (const [name, who, kind, signal] of [
  ["udpSend", "udp-send", "rejects", false],
  ["udpSendStar", "udp-send*", "throws", false],
  ["udpSendEvt", "udp-send-evt", "throws", false],
  ["udpSendEnableBreak", "udp-send/enable-break", "rejects", true],
] as const) {
  const pre = (x: World): unknown[] => (signal ? [x.signal] : []);
  const cases = [
    c("a non-socket", (x) => [...pre(x), 5, x.buf]),
    c("a string", (x) => [...pre(x), x.usender, "bytes"]),
    state(
      "start past the end",
      (x) => [...pre(x), x.usender, x.buf, 10],
      ExnFailContract,
      `${who}: `,
    ),
  ];
  if (kind !== "throws" || name === "udpSendStar")
    cases.push(
      state(
        "an unconnected socket",
        (x) => [...pre(x), x.usender, x.buf],
        ExnFailNetwork,
        `${who}: `,
      ),
    );
  if (signal) cases.push(c("no signal", (x) => [5, x.usender, x.buf]));
  row(name, who, kind, ...cases);
}
for (const [name, who, kind, signal] of [
  ["udpReceive", "udp-receive!", "rejects", false],
  ["udpReceiveStar", "udp-receive!*", "throws", false],
  ["udpReceiveEvt", "udp-receive!-evt", "throws", false],
  ["udpReceiveEnableBreak", "udp-receive!/enable-break", "rejects", true],
] as const) {
  const pre = (x: World): unknown[] => (signal ? [x.signal] : []);
  const cases = [
    c("a non-socket", (x) => [...pre(x), x.sem, x.buf]),
    c("a string", (x) => [...pre(x), x.u, "buffer"]),
    state("start past the end", (x) => [...pre(x), x.u, x.buf, 9], ExnFailContract, `${who}: `),
    state("end before start", (x) => [...pre(x), x.u, x.buf, 6, 2], ExnFailContract, `${who}: `),
  ];
  if (kind !== "throws" || name === "udpReceiveStar") {
    cases.push(
      state(
        "a closed socket",
        (x) => [...pre(x), x.uclosed, x.buf],
        ExnFailNetwork,
        closedSock(who),
      ),
    );
    cases.push(
      state("an unbound socket", (x) => [...pre(x), x.uunbound, x.buf], ExnFailNetwork, `${who}: `),
    );
  }
  if (signal) cases.push(c("no signal", (x) => [null, x.u, x.buf]));
  row(name, who, kind, ...cases);
}
row(
  "udpClose",
  "udp-close",
  "throws",
  c("a number", () => [5]),
  state("a closed socket", (x) => [x.uclosed], ExnFailNetwork, "udp-close: "),
);
row(
  "isUdpOpen",
  "udp-open?",
  "throws",
  c("a number", () => [5]),
);
row(
  "isUdpBound",
  "udp-bound?",
  "throws",
  c("a number", () => [5]),
);
row(
  "isUdpConnected",
  "udp-connected?",
  "throws",
  c("a number", () => [5]),
);
row(
  "udpSendReadyEvt",
  "udp-send-ready-evt",
  "throws",
  c("a number", () => [5]),
);
row(
  "udpReceiveReadyEvt",
  "udp-receive-ready-evt",
  "throws",
  c("a number", () => [5]),
);
row(
  "udpAddresses",
  "udp-addresses",
  "throws",
  c("a number", () => [5]),
  state("a closed socket", (x) => [x.uclosed], ExnFailNetwork, "udp-addresses: "),
);
row(
  "udpSetReceiveBufferSize",
  "udp-set-receive-buffer-size!",
  "throws",
  c("a non-socket", () => [5, 4096]),
  c("zero", (x) => [x.u, 0]),
  c("a string", (x) => [x.u, "4096"]),
  state(
    "a closed socket",
    (x) => [x.uclosed, 4096],
    ExnFailNetwork,
    "udp-set-receive-buffer-size!: ",
  ),
);
row(
  "udpTtl",
  "udp-ttl",
  "throws",
  c("a number", () => [5]),
);
row(
  "udpSetTtl",
  "udp-set-ttl!",
  "throws",
  c("a non-socket", () => [5, 64]),
  c("256", (x) => [x.u, 256]),
  c("negative", (x) => [x.u, -1]),
);
for (const [name, who] of [
  ["udpMulticastJoinGroup", "udp-multicast-join-group!"],
  ["udpMulticastLeaveGroup", "udp-multicast-leave-group!"],
] as const) {
  row(
    name,
    who,
    "rejects",
    c("a non-socket", () => [5, "239.1.2.3", false]),
    c("a non-string group", (x) => [x.u, 5, false]),
    c("a non-string interface", (x) => [x.u, "239.1.2.3", 5]),
  );
}
row(
  "udpMulticastInterface",
  "udp-multicast-interface",
  "throws",
  c("a number", () => [5]),
);
row(
  "udpMulticastSetInterface",
  "udp-multicast-set-interface!",
  "rejects",
  c("a non-socket", () => [5, false]),
  c("a non-string host", (x) => [x.u, 5]),
);
row(
  "isUdpMulticastLoopback",
  "udp-multicast-loopback?",
  "throws",
  c("a number", () => [5]),
);
row(
  "udpMulticastSetLoopback",
  "udp-multicast-set-loopback!",
  "throws",
  c("a non-socket", () => [5, true]),
);
row(
  "udpMulticastTtl",
  "udp-multicast-ttl",
  "throws",
  c("a number", () => [5]),
);
row(
  "udpMulticastSetTtl",
  "udp-multicast-set-ttl!",
  "throws",
  c("a non-socket", () => [5, 1]),
  c("256", (x) => [x.u, 256]),
);
row(
  "udpReceiveDropCount",
  "udp-receive-drop-count",
  "throws",
  c("a number", () => [5]),
);
predicates("isUdp");

// -- the checks ------------------------------------------------------------------------------------

const JUNK: unknown[] = [5, -1, 1.5, NaN, "x", null, undefined, {}, [], () => 0, Symbol("s")];

function isClass(v: unknown): boolean {
  return typeof v === "function" && /^class[\s{]/.test(Function.prototype.toString.call(v));
}

describe("bad input: every exported function has a row", () => {
  for (const p of ["core", "tcp", "udp"] as const) {
    it(`@rendezvous/${p}: each exported function has a row, and each owed binding is exported`, () => {
      const mod = PACKAGES[p];
      const fns = Object.entries(mod)
        .filter(([, v]) => typeof v === "function" && !isClass(v))
        .map(([k]) => k);
      const covered = new Set(rows.filter((r) => r.pkg === p).map((r) => r.name));
      expect(
        fns.filter((f) => !covered.has(f)),
        "exported functions without a row",
      ).toEqual([]);
      expect(
        [...covered].filter((f) => typeof mod[f] !== "function"),
        "rows naming no export",
      ).toEqual([]);
      expect(
        OWED[p].filter((b) => !(b in mod)),
        "owed bindings not exported",
      ).toEqual([]);
      const owedFns = OWED[p].filter((b) => typeof mod[b] === "function" && !isClass(mod[b]));
      expect(
        owedFns.filter((b) => !covered.has(b)),
        "owed functions without a row",
      ).toEqual([]);
    });
  }
});

describe("bad input: the table", () => {
  it("covers every package (counts for docs/reliability.md)", () => {
    const calls = rows.reduce((n, r) => n + r.cases.length, 0);
    const kinds = rows.reduce<Record<string, number>>(
      (m, r) => ((m[r.kind] = (m[r.kind] ?? 0) + 1), m),
      {},
    );
    console.log(`bad input: ${rows.length} rows (${JSON.stringify(kinds)}), ${calls} bad calls`);
    expect(calls).toBeGreaterThan(rows.length);
  });

  beforeAll(async () => {
    w = await makeWorld();
  }, 20_000);
  afterAll(async () => {
    await tearDown(w);
  });

  for (const r of rows) {
    if (r.kind === "nullary") continue;
    if (r.kind === "predicate") {
      it(`${r.pkg} ${r.name}: junk gives false, never an exception`, () => {
        const f = PACKAGES[r.pkg][r.name] as (...a: unknown[]) => unknown;
        // A small integer is a port number: those predicates get out-of-range numbers instead.
        const junk = /PortNumber$/.test(r.name) ? [...JUNK.slice(1), 65536, 1e9] : JUNK;
        for (const j of junk) expect(f(j), `${r.name}(${String(j)})`).toBe(false);
      });
      continue;
    }
    it(`${r.pkg} ${r.name} (${r.who}): ${r.cases.map((k) => k.label).join("; ")}`, async () => {
      expect(r.cases.length).toBeGreaterThan(0);
      const f = PACKAGES[r.pkg][r.name] as (...a: unknown[]) => unknown;
      for (const k of r.cases) {
        const what = `${r.name}: ${k.label}`;
        const before = snapshot(w);
        const args = k.args(w);
        let thrown: unknown = undefined;
        let threw = false;
        let result: unknown;
        try {
          result = f(...args);
        } catch (e) {
          threw = true;
          thrown = e;
        }
        let err: unknown;
        if (r.kind === "throws") {
          expect(threw, `${what}: must throw at once`).toBe(true);
          err = thrown;
        } else {
          expect(threw, `${what}: must not throw at once (${String(thrown)})`).toBe(false);
          expect(result, `${what}: must return a promise`).toBeInstanceOf(Promise);
          err = await (result as Promise<unknown>).then(
            (v) => new Error(`${what}: resolved with ${String(v)}`),
            (e: unknown) => e,
          );
        }
        const cls = k.cls ?? ExnFailContract;
        const msg = k.msg ?? `${r.who}: contract violation`;
        expect(err, `${what}: ${String(err)}`).toBeInstanceOf(cls);
        if (cls === ExnFail || cls === ExnFailNetwork)
          // "closed" is a state, not an argument: not a contract violation.
          expect(err, `${what}: ${String(err)}`).not.toBeInstanceOf(ExnFailContract);
        expect((err as Error).message.startsWith(msg), `${what}: "${(err as Error).message}"`).toBe(
          true,
        );
        expect(snapshot(w), `${what}: state changed`).toBe(before);
      }
    });
  }
});
