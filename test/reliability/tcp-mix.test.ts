// Exactly-once under stress, over real loopback TCP: clients connect and send numbered lines in
// ragged chunks, then half-close; server agents (plain code, threads, threads under custodians)
// sync on random choices of accept events, the listener as an event, connection ports' read
// events, the ports as events and write events, raced against alarms — while a chaos schedule
// aborts, breaks and kills them and shuts custodians down (closing the connections accepted under
// them). Choices are seeded (currentEvtPseudoRandomGenerator) and plans come from fast-check; real
// time and the kernel make the interleavings vary, and conservation must hold whatever they are:
//
// - every client connection is accepted exactly once (counted by its port), during the run or by
//   the drain afterwards;
// - on every connection, the bytes committed reads took (in commit order) followed by what is left
//   are exactly the bytes the client sent; on a connection closed by a custodian shutdown they are a
//   prefix of them (the rest is dropped with the connection, which is then closed);
// - every client receives exactly the bytes the server's committed writes wrote (a prefix, for a
//   connection closed by a shutdown, which does not flush);
// - every sync commits at most one branch and settles once; every NACK fires exactly when its
//   branch lost.
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import * as net from "node:net";
import {
  alarmEvt,
  breakThread,
  closeInputPort,
  closeOutputPort,
  currentEvtPseudoRandomGenerator,
  currentInexactMilliseconds,
  custodianShutdownAll,
  flushOutput,
  isEofObject,
  isPortClosed,
  isThreadDead,
  killThread,
  makeCustodian,
  makePseudoRandomGenerator,
  readBytesAvailEvt,
  readBytesEvt,
  readBytesLineEvt,
  syncTimeout,
  thread,
  threadWait,
  withCustodian,
  wrapEvt,
  writeBytesAvailEvt,
  ExnFail,
  ThreadKilledError,
  type Custodian,
  type Evt,
  type InputPort,
  type OutputPort,
  type Thread,
} from "@rendezvous/core";
import { tcpAcceptEvt, tcpAddresses, tcpClose, tcpListen, type TcpListener } from "@rendezvous/tcp";
import { Ledger, multisetDiff, syncRecorded, type SyncRecord } from "./ledger.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// -- plans --------------------------------------------------------------------------------------

type Branch =
  | { k: "accept" | "listenerReady" | "line" | "inReady"; nack: boolean }
  | { k: "read" | "readAvail" | "write"; n: number; nack: boolean }
  | { k: "alarm"; ms: number; nack: boolean };
interface SyncOp {
  branches: Branch[];
  /** Which connection the port branches use (an index into the pool, modulo its size). */
  conn: number;
  how: "block" | "poll" | "timeout";
  ms: number;
}
type Mode = "plain" | "thread" | "custodian";
interface Agent {
  mode: Mode;
  custodian: number;
  ops: SyncOp[];
}
type ChaosKind = "abort" | "break" | "kill" | "shutdown";
interface Plan {
  seed: number;
  backlog: number;
  clients: { lines: number; chunk: number; at: number }[];
  agents: Agent[];
  chaos: { tick: number; kind: ChaosKind; target: number }[];
}

const TICKS = 60;
const TICK_MS = 4;
const nack = fc.boolean();
const branchArb: fc.Arbitrary<Branch> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant("accept"), nack }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constantFrom("listenerReady", "inReady"), nack }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant("line"), nack }) },
  {
    weight: 4,
    arbitrary: fc.record({
      k: fc.constantFrom("read", "readAvail", "write"),
      n: fc.integer({ min: 1, max: 40 }),
      nack,
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant("alarm"), ms: fc.integer({ min: 0, max: 8 }), nack }),
  },
) as fc.Arbitrary<Branch>;
const planArb: fc.Arbitrary<Plan> = fc.record({
  seed: fc.integer(),
  backlog: fc.constantFrom(8, 32),
  clients: fc.array(
    fc.record({
      lines: fc.integer({ min: 0, max: 6 }),
      chunk: fc.integer({ min: 1, max: 20 }),
      at: fc.integer({ min: 0, max: TICKS / 2 }),
    }),
    { minLength: 5, maxLength: 16 },
  ),
  agents: fc.array(
    fc.record({
      mode: fc.constantFrom<Mode>("plain", "thread", "custodian"),
      custodian: fc.integer({ min: 0, max: 1 }),
      ops: fc.array(
        fc.record({
          branches: fc.array(branchArb, { minLength: 1, maxLength: 3 }),
          conn: fc.nat(),
          how: fc.constantFrom<"block" | "poll" | "timeout">("block", "block", "poll", "timeout"),
          ms: fc.integer({ min: 1, max: 10 }),
        }),
        { minLength: 10, maxLength: 40 },
      ),
    }),
    { minLength: 2, maxLength: 6 },
  ),
  chaos: fc.array(
    fc.record({
      tick: fc.integer({ min: 0, max: TICKS - 1 }),
      kind: fc.constantFrom<ChaosKind>("abort", "abort", "break", "break", "kill", "shutdown"),
      target: fc.nat(),
    }),
    { maxLength: 30 },
  ),
});

// -- clients and connections --------------------------------------------------------------------

interface Client {
  readonly sock: net.Socket;
  readonly sent: Buffer;
  readonly received: Buffer[];
  localPort: number;
  closed: boolean;
}

function startClient(port: number, id: number, lines: number, chunk: number): Client {
  let text = "";
  for (let i = 0; i < lines; i++)
    text += `client ${id} line ${i} ${"x".repeat((id * 7 + i) % 30)}\n`;
  const sent = Buffer.from(text);
  const sock = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true });
  const c: Client = { sock, sent, received: [], localPort: 0, closed: false };
  sock.on("connect", async () => {
    c.localPort = sock.localPort ?? 0;
    // Ragged chunks, so reads meet partial lines.
    for (let i = 0; i < sent.length && !sock.destroyed; i += chunk) {
      sock.write(sent.subarray(i, i + chunk));
      if ((i / chunk) % 3 === 2) await sleep(1);
    }
    if (!sock.destroyed) sock.end(); // half-close: the server reads eof after the last line
  });
  sock.on("data", (b: Buffer) => c.received.push(b));
  sock.on("end", () => sock.destroy());
  sock.on("error", () => sock.destroy()); // a shutdown's reset: checked through the bytes
  sock.on("close", () => {
    c.closed = true;
  });
  return c;
}

interface Conn {
  readonly inp: InputPort;
  readonly out: OutputPort;
  readonly remotePort: number;
  readonly received: Uint8Array[];
  /** What the server offers to write on this connection, and how much of it was committed. */
  readonly stream: Uint8Array;
  written: number;
  eof: boolean;
  /** Closed by a custodian shutdown (found closed when the run ended). */
  shutDown: boolean;
}

// -- one run ------------------------------------------------------------------------------------

interface World {
  listener: TcpListener;
  port: number;
  custodians: Custodian[];
  conns: Conn[];
  accepted: number[];
  controllers: Set<AbortController>;
  threads: (Thread | null)[];
  stop: boolean;
  ledger: Ledger;
}

const totals = {
  runs: 0,
  clients: 0,
  acceptedInRun: 0,
  syncs: 0,
  chosen: 0,
  none: 0,
  break: 0,
  killed: 0,
  closed: 0,
  nacks: 0,
  bytesRead: 0,
  bytesWritten: 0,
  shutDownConns: 0,
};
const wins: Record<string, number> = {};

function closedPortError(e: unknown): boolean {
  return e instanceof ExnFail && /port is closed/.test(e.message);
}

function serverStream(seed: number): Uint8Array {
  const rnd = makePseudoRandomGenerator(seed);
  const b = new Uint8Array(600);
  for (let i = 0; i < b.length; i++) b[i] = Math.floor(rnd() * 256);
  return b;
}

/** The event of one branch, or null when it has no connection to act on. */
function buildBranch(w: World, b: Branch, conn: Conn | undefined): Evt<unknown> | null {
  const count = (kind: string) => (v: unknown) => {
    wins[kind] = (wins[kind] ?? 0) + 1;
    return v;
  };
  switch (b.k) {
    case "accept":
      // Under the agent's current custodian: a shutdown closes what it accepted.
      return wrapEvt(tcpAcceptEvt(w.listener), ([inp, out]) => {
        const remotePort = tcpAddresses(inp, true)[3];
        w.accepted.push(remotePort);
        w.conns.push({
          inp,
          out,
          remotePort,
          received: [],
          stream: serverStream(remotePort),
          written: 0,
          eof: false,
          shutDown: false,
        });
        count("accept")(0);
      });
    case "listenerReady":
      return wrapEvt(w.listener, count("listenerReady"));
    case "alarm":
      return wrapEvt(alarmEvt(currentInexactMilliseconds() + b.ms), count("alarm"));
  }
  if (!conn || isPortClosed(conn.inp)) return null;
  switch (b.k) {
    case "inReady":
      return wrapEvt(conn.inp, count("inReady"));
    case "line":
      return wrapEvt(readBytesLineEvt(conn.inp, "linefeed"), (r) => {
        count("line")(r);
        if (r instanceof Uint8Array) conn.received.push(Uint8Array.of(...r, 10));
        else conn.eof = true;
      });
    case "read":
      return wrapEvt(readBytesEvt(b.n, conn.inp), (r) => {
        count("read")(r);
        if (isEofObject(r)) conn.eof = true;
        else conn.received.push(r);
      });
    case "readAvail": {
      const buf = new Uint8Array(b.n);
      return wrapEvt(readBytesAvailEvt(buf, conn.inp), (n) => {
        count("readAvail")(n);
        if (isEofObject(n)) conn.eof = true;
        else conn.received.push(buf.slice(0, n));
      });
    }
    case "write": {
      if (isPortClosed(conn.out) || conn.written >= conn.stream.length) return null;
      const chunk = conn.stream.subarray(conn.written, conn.written + b.n);
      return wrapEvt(writeBytesAvailEvt(chunk, conn.out), (n) => {
        count("write")(n);
        conn.written += n;
      });
    }
  }
}

async function runAgent(w: World, a: Agent, idx: number): Promise<void> {
  const who = `agent ${idx} (${a.mode})`;
  for (const op of a.ops) {
    if (w.stop) return;
    const rec: SyncRecord = w.ledger.open(who);
    const conn = w.conns.length > 0 ? w.conns[op.conn % w.conns.length] : undefined;
    const evts: Evt<number>[] = [];
    try {
      op.branches.forEach((b, i) => {
        const e = buildBranch(w, b, conn);
        if (e) evts.push(w.ledger.branch(rec, i, e, b.nack));
      });
    } catch (e) {
      if (e instanceof ThreadKilledError) return;
      w.ledger.problems.push(`${who}: building a sync threw ${String(e)}`);
      return;
    }
    // Never sync on nothing (a block would wait forever): fall back to a short alarm.
    if (evts.length === 0)
      evts.push(w.ledger.branch(rec, 9, alarmEvt(currentInexactMilliseconds() + 1), false));
    const how = await syncRecorded(
      w.ledger,
      w.controllers,
      a.mode === "plain",
      rec,
      evts,
      op.how,
      op.ms,
    );
    if (how === "killed") return;
  }
}

function chaos(w: World, kind: ChaosKind, target: number): void {
  const live = w.threads.filter((t): t is Thread => t !== null && !isThreadDead(t));
  if (kind === "abort") {
    const acs = [...w.controllers];
    if (acs.length > 0) acs[target % acs.length]!.abort();
  } else if (kind === "break") {
    if (live.length > 0) breakThread(live[target % live.length]!);
  } else if (kind === "kill") {
    if (live.length > 0) killThread(live[target % live.length]!);
  } else custodianShutdownAll(w.custodians[target % w.custodians.length]!);
}

/** Reads what is left on a connection, to eof (bounded in time). */
async function drain(conn: Conn): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for (;;) {
    const r = await syncTimeout(5, readBytesEvt(4096, conn.inp));
    if (r === false) throw new Error(`connection ${conn.remotePort}: no eof within 5 s`);
    if (isEofObject(r)) return out;
    out.push(r);
  }
}

async function runPlan(plan: Plan): Promise<Ledger> {
  currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(plan.seed));
  const listener = await tcpListen(0, plan.backlog, true, "127.0.0.1");
  const w: World = {
    listener,
    port: tcpAddresses(listener, true)[1],
    custodians: [makeCustodian(), makeCustodian()],
    conns: [],
    accepted: [],
    controllers: new Set(),
    threads: [],
    stop: false,
    ledger: new Ledger(closedPortError),
  };
  const clients: Client[] = [];
  const running: Promise<void>[] = [];
  plan.agents.forEach((a, i) => {
    const body = () => runAgent(w, a, i);
    if (a.mode === "plain") {
      running.push(body());
      w.threads.push(null);
    } else {
      const t =
        a.mode === "custodian"
          ? withCustodian(w.custodians[a.custodian]!, () => thread(body))
          : thread(body);
      running.push(threadWait(t));
      w.threads.push(t);
    }
  });

  for (let tick = 0; tick < TICKS; tick++) {
    plan.clients.forEach((c, i) => {
      if (c.at === tick) clients.push(startClient(w.port, i, c.lines, c.chunk));
    });
    for (const c of plan.chaos) if (c.tick === tick) chaos(w, c.kind, c.target);
    await sleep(TICK_MS);
  }

  w.stop = true;
  for (const ac of w.controllers) ac.abort();
  for (const t of w.threads) if (t && !isThreadDead(t)) killThread(t);
  await Promise.all(running);
  w.ledger.syncs.forEach((r) => w.ledger.abandoned(r));
  w.ledger.checkAll();
  const problems = w.ledger.problems;
  const acceptedInRun = w.accepted.length;

  // Drain: every client not accepted yet is still waiting in the listener, and is accepted now.
  while (w.accepted.length < clients.length) {
    const r = await syncTimeout(5, tcpAcceptEvt(listener));
    if (r === false) break;
    const [inp, out] = r;
    const remotePort = tcpAddresses(inp, true)[3];
    w.accepted.push(remotePort);
    w.conns.push({
      inp,
      out,
      remotePort,
      received: [],
      stream: serverStream(remotePort),
      written: 0,
      eof: false,
      shutDown: false,
    });
  }
  const acceptDiff = multisetDiff(
    clients.map((c) => c.localPort),
    w.accepted,
  );
  if (acceptDiff) problems.push(`accepts: ${acceptDiff}`);

  let shutDown = 0;
  for (const conn of w.conns) {
    const client = clients.find((c) => c.localPort === conn.remotePort);
    if (!client) continue;
    const closedByShutdown = (conn.shutDown = isPortClosed(conn.inp));
    if (closedByShutdown) shutDown++;
    const rest = closedByShutdown || conn.eof ? [] : await drain(conn);
    const got = Buffer.concat([...conn.received, ...rest]);
    if (closedByShutdown) {
      if (!client.sent.subarray(0, got.length).equals(got))
        problems.push(`connection ${conn.remotePort} (shut down): read bytes are no prefix`);
    } else if (!got.equals(client.sent)) {
      problems.push(
        `connection ${conn.remotePort}: read ${got.length} bytes, client sent ${client.sent.length}`,
      );
    }
    if (!closedByShutdown) {
      await flushOutput(conn.out);
      closeOutputPort(conn.out);
      closeInputPort(conn.inp);
    }
    totals.bytesRead += got.length;
  }
  // Every client ends: the server closed or shut down its side.
  const end = Date.now() + 5000;
  while (clients.some((c) => !c.closed) && Date.now() < end) await sleep(5);
  for (const conn of w.conns) {
    const client = clients.find((c) => c.localPort === conn.remotePort);
    if (!client) continue;
    if (!client.closed) problems.push(`client ${conn.remotePort} never saw its connection end`);
    const got = Buffer.concat(client.received);
    const want = Buffer.from(conn.stream.subarray(0, conn.written));
    // A shutdown closes without flushing: the client may get only a prefix.
    const ok = conn.shutDown ? want.subarray(0, got.length).equals(got) : got.equals(want);
    if (!ok)
      problems.push(
        `connection ${conn.remotePort}: client received ${got.length} bytes, server's writes committed ${want.length}`,
      );
    totals.bytesWritten += conn.written;
  }

  tcpClose(listener);
  for (const c of w.custodians) custodianShutdownAll(c);
  for (const c of clients) c.sock.destroy();
  totals.runs++;
  totals.clients += clients.length;
  totals.acceptedInRun += acceptedInRun;
  totals.syncs += w.ledger.syncs.length;
  totals.shutDownConns += shutDown;
  for (const k of ["chosen", "none", "break", "killed", "closed", "nacks"] as const)
    totals[k] += w.ledger.outcomes[k];
  return w.ledger;
}

// -- the property --------------------------------------------------------------------------------

const RUNS = Number(process.env["RELIABILITY_TCP_RUNS"] ?? 20);
const SEED = Number(process.env["RELIABILITY_SEED"] ?? 20240901);

describe("reliability: TCP accepts and connection ports under chaos (loopback, real time)", () => {
  afterEach(() => {
    currentEvtPseudoRandomGenerator(Math.random);
  });

  it(`every connection and byte is taken exactly once or still there (${RUNS} plans, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const ledger = await runPlan(plan);
        expect(ledger.problems).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`tcp mix: ${JSON.stringify(totals)}\nwinning branches: ${JSON.stringify(wins)}`);
    expect(totals.acceptedInRun).toBeGreaterThan(0);
    expect(totals.break + totals.killed).toBeGreaterThan(0);
    for (const k of ["accept", "line", "read", "readAvail", "write", "alarm"])
      expect(wins[k], k).toBeGreaterThan(0);
  }, 60_000);
});
