// Exactly-once under stress, over real loopback UDP: agents (plain code, threads, threads under
// custodians) sync on random choices of send events (to one of several receiving sockets), receive
// events, the sockets' ready events and alarms, while a chaos schedule aborts, breaks and kills
// them and shuts custodians down (closing the sending sockets opened under them). Some receiving
// sockets have the smallest queue, so datagrams are dropped — and must be counted.
//
// Conservation, checked after every run, per receiving socket:
// - the datagrams committed sends sent to it = those committed receives took + those still queued
//   (drained at the end) + those its queue dropped (udpReceiveDropCount); each received at most
//   once, and only datagrams a committed send sent (a losing send sends nothing);
// - a losing receive leaves its buffer untouched; a winning one holds the datagram's bytes;
// - every sync commits at most one branch and settles once; every NACK fires exactly when its
//   branch lost.
// Datagrams the kernel itself dropped could not be counted: the volume is small (a few hundred
// datagrams a run, on loopback) so that does not happen, and if it did the run would fail, not pass.
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  alarmEvt,
  breakThread,
  currentEvtPseudoRandomGenerator,
  currentInexactMilliseconds,
  custodianShutdownAll,
  isThreadDead,
  killThread,
  makeCustodian,
  makePseudoRandomGenerator,
  thread,
  threadWait,
  withCustodian,
  wrapEvt,
  ExnFailNetwork,
  ThreadKilledError,
  type Custodian,
  type Evt,
  type Thread,
} from "@rendezvous/core";
import {
  udpAddresses,
  udpBind,
  udpClose,
  udpOpenSocket,
  udpReceiveDropCount,
  udpReceiveEvt,
  udpReceiveReadyEvt,
  udpReceiveStar,
  udpSendReadyEvt,
  udpSendToEvt,
  udpSetReceiveBufferSize,
  isUdpOpen,
  type UdpSocket,
} from "@rendezvous/udp";
import { Ledger, syncRecorded, type SyncHow, type SyncRecord } from "./ledger.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// -- plans --------------------------------------------------------------------------------------

type Branch =
  | { k: "send"; to: number; len: number; nack: boolean }
  | { k: "receive"; from: number; nack: boolean }
  | { k: "receiveReady" | "sendReady"; nack: boolean }
  | { k: "alarm"; ms: number; nack: boolean };
interface SyncOp {
  branches: Branch[];
  how: "block" | "poll" | "timeout";
  ms: number;
  /** Milliseconds the agent waits (in a sync of its own, on an alarm) before this one. */
  pause: number;
  /** Datagrams sent at once (each in a sync of its own) to one socket before this one. */
  burst: number;
  burstTo: number;
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
  /** Receiving sockets: whether each has the smallest queue (about 8 datagrams). */
  small: boolean[];
  agents: Agent[];
  chaos: { tick: number; kind: ChaosKind; target: number }[];
}

const TICKS = 40;
const TICK_MS = 3;
const BUF = 48;
const UNTOUCHED = 0xee;
const nack = fc.boolean();
const branchArb: fc.Arbitrary<Branch> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      k: fc.constant("send"),
      to: fc.nat(),
      len: fc.integer({ min: 4, max: 64 }),
      nack,
    }),
  },
  { weight: 5, arbitrary: fc.record({ k: fc.constant("receive"), from: fc.nat(), nack }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constantFrom("receiveReady", "sendReady"), nack }),
  },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant("alarm"), ms: fc.integer({ min: 0, max: 6 }), nack }),
  },
) as fc.Arbitrary<Branch>;
const planArb: fc.Arbitrary<Plan> = fc.record({
  seed: fc.integer(),
  small: fc.array(fc.boolean(), { minLength: 1, maxLength: 3 }),
  agents: fc.array(
    fc.record({
      mode: fc.constantFrom<Mode>("plain", "thread", "custodian"),
      custodian: fc.integer({ min: 0, max: 1 }),
      ops: fc.array(
        fc.record({
          branches: fc.array(branchArb, { minLength: 1, maxLength: 4 }),
          how: fc.constantFrom<"block" | "poll" | "timeout">("block", "block", "poll", "timeout"),
          ms: fc.integer({ min: 1, max: 8 }),
          pause: fc.integer({ min: 0, max: 3 }),
          burst: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 12 })),
          burstTo: fc.nat(),
        }),
        { minLength: 5, maxLength: 60 },
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
    { maxLength: 25 },
  ),
});

// -- one run ------------------------------------------------------------------------------------

interface World {
  receivers: { sock: UdpSocket; port: number }[];
  /** One sending socket per agent, opened under the agent's custodian. */
  senders: UdpSocket[];
  custodians: Custodian[];
  nextSeq: number;
  /** Sequence numbers committed sends sent, per receiving socket. */
  sentTo: number[][];
  /** Sequence numbers committed receives took, per receiving socket. */
  got: number[][];
  controllers: Set<AbortController>;
  threads: (Thread | null)[];
  stop: boolean;
  ledger: Ledger;
  bad: string[];
}

const totals = {
  runs: 0,
  syncs: 0,
  chosen: 0,
  none: 0,
  break: 0,
  killed: 0,
  closed: 0,
  nacks: 0,
  sent: 0,
  received: 0,
  drained: 0,
  dropped: 0,
};
const wins: Record<string, number> = {};

/** A datagram: its sequence number, then bytes derived from it (checked on receipt). */
function datagram(seq: number, len: number): Uint8Array {
  const b = new Uint8Array(len);
  new DataView(b.buffer).setUint32(0, seq);
  for (let i = 4; i < len; i++) b[i] = (seq * 31 + i) & 0xff;
  return b;
}

function checkDatagram(w: World, buf: Uint8Array, n: number): number {
  const seq = new DataView(buf.buffer, buf.byteOffset).getUint32(0);
  for (let i = 4; i < n; i++)
    if (buf[i] !== ((seq * 31 + i) & 0xff)) w.bad.push(`datagram ${seq}: byte ${i} differs`);
  return seq;
}

function count(kind: string): void {
  wins[kind] = (wins[kind] ?? 0) + 1;
}

/** A closed sending socket's events raise "udp socket is closed" when chosen. */
function closedSocketError(e: unknown): boolean {
  return e instanceof ExnFailNetwork && /udp socket is closed/.test(e.message);
}

async function runAgent(w: World, a: Agent, idx: number): Promise<void> {
  const who = `agent ${idx} (${a.mode})`;
  const sender = w.senders[idx]!;
  for (const op of a.ops) {
    if (w.stop) return;
    if (op.pause > 0) {
      // Pacing: a sync on an alarm alone, breakable and killable like any other.
      const pace = w.ledger.open(`${who} pause`);
      const alarm = alarmEvt(currentInexactMilliseconds() + op.pause);
      if (
        (await settle(w, a.mode, pace, [w.ledger.branch(pace, 0, alarm, false)], "block", 0)) ===
        "killed"
      )
        return;
    }
    for (let i = 0; i < op.burst && !w.stop; i++) {
      const to = op.burstTo % w.receivers.length;
      const seq = w.nextSeq++;
      const r = w.ledger.open(`${who} burst`);
      const send = wrapEvt(
        udpSendToEvt(sender, "127.0.0.1", w.receivers[to]!.port, datagram(seq, 16)),
        () => {
          count("send");
          w.sentTo[to]!.push(seq);
        },
      );
      const how = "poll";
      if ((await settle(w, a.mode, r, [w.ledger.branch(r, 0, send, false)], how, 0)) === "killed")
        return;
    }
    const rec: SyncRecord = w.ledger.open(who);
    const evts: Evt<number>[] = [];
    const buffers: { branch: number; buf: Uint8Array }[] = [];
    try {
      op.branches.forEach((b, i) => {
        let e: Evt<unknown>;
        if (b.k === "send") {
          const to = b.to % w.receivers.length;
          const seq = w.nextSeq++;
          e = wrapEvt(
            udpSendToEvt(sender, "127.0.0.1", w.receivers[to]!.port, datagram(seq, b.len)),
            () => {
              count("send");
              w.sentTo[to]!.push(seq);
            },
          );
        } else if (b.k === "receive") {
          const from = b.from % w.receivers.length;
          const buf = new Uint8Array(BUF).fill(UNTOUCHED);
          buffers.push({ branch: i, buf });
          e = wrapEvt(udpReceiveEvt(w.receivers[from]!.sock, buf), ([n]) => {
            count("receive");
            w.got[from]!.push(checkDatagram(w, buf, n));
          });
        } else if (b.k === "receiveReady") {
          const r = w.receivers[i % w.receivers.length]!.sock;
          e = wrapEvt(udpReceiveReadyEvt(r), () => count("receiveReady"));
        } else if (b.k === "sendReady") {
          e = wrapEvt(udpSendReadyEvt(sender), () => count("sendReady"));
        } else if (b.k === "alarm") {
          e = wrapEvt(alarmEvt(currentInexactMilliseconds() + b.ms), () => count("alarm"));
        } else {
          throw new Error(`unknown branch ${JSON.stringify(b)}`);
        }
        evts.push(w.ledger.branch(rec, i, e, b.nack));
      });
    } catch (e) {
      if (e instanceof ThreadKilledError) return;
      w.ledger.problems.push(`${who}: building a sync threw ${String(e)}`);
      return;
    }
    const stopped = (await settle(w, a.mode, rec, evts, op.how, op.ms)) === "killed";
    // A receive that did not win leaves its buffer as it was.
    for (const { branch, buf } of buffers)
      if (rec.chosen !== branch && buf.some((x) => x !== UNTOUCHED))
        w.ledger.problems.push(
          `sync ${rec.id}: losing receive (branch ${branch}) wrote its buffer`,
        );
    if (stopped) return;
  }
}

/** Syncs `evts` in the agent's mode and records how it settled. */
function settle(
  w: World,
  mode: Mode,
  rec: SyncRecord,
  evts: Evt<number>[],
  how: SyncHow,
  ms: number,
): Promise<"continue" | "killed"> {
  return syncRecorded(w.ledger, w.controllers, mode === "plain", rec, evts, how, ms);
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

async function runPlan(plan: Plan): Promise<Ledger> {
  currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(plan.seed));
  const w: World = {
    receivers: [],
    senders: [],
    custodians: [makeCustodian(), makeCustodian()],
    nextSeq: 0,
    sentTo: plan.small.map(() => []),
    got: plan.small.map(() => []),
    controllers: new Set(),
    threads: [],
    stop: false,
    ledger: new Ledger(closedSocketError),
    bad: [],
  };
  for (const small of plan.small) {
    const sock = udpOpenSocket();
    await udpBind(sock, "127.0.0.1", 0);
    // The smallest queue: a handful of datagrams, then drops.
    if (small) udpSetReceiveBufferSize(sock, 1);
    w.receivers.push({ sock, port: udpAddresses(sock, true)[1] });
  }
  for (const a of plan.agents) {
    const open = async () => {
      const s = udpOpenSocket();
      await udpBind(s, "127.0.0.1", 0);
      return s;
    };
    // A custodian agent's socket, and a plain agent's, is managed by a custodian: a shutdown
    // closes it (and kills the custodian agent's thread; the plain agent carries on, and its
    // sends on the closed socket raise "udp socket is closed").
    w.senders.push(
      await (a.mode !== "thread" ? withCustodian(w.custodians[a.custodian]!, open) : open()),
    );
  }
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
  problems.push(...w.bad);

  // Drain each receiving socket until its books balance (datagrams may still be in flight).
  const buf = new Uint8Array(BUF);
  const end = Date.now() + 3000;
  for (let k = 0; k < w.receivers.length; k++) {
    const { sock } = w.receivers[k]!;
    const drained: number[] = [];
    const balanced = () =>
      w.got[k]!.length + drained.length + udpReceiveDropCount(sock) >= w.sentTo[k]!.length;
    for (;;) {
      const [n] = udpReceiveStar(sock, buf);
      if (n !== false) {
        drained.push(checkDatagram(w, buf, n));
        if (drained.length > w.sentTo[k]!.length) break; // bounded, whatever happens
        continue;
      }
      if (balanced() || Date.now() > end) break;
      await sleep(2);
    }
    const sent = new Set(w.sentTo[k]);
    const seen = new Set<number>();
    for (const seq of [...w.got[k]!, ...drained]) {
      if (!sent.has(seq)) problems.push(`socket ${k}: datagram ${seq} received but never sent`);
      if (seen.has(seq)) problems.push(`socket ${k}: datagram ${seq} received twice`);
      seen.add(seq);
    }
    const dropped = udpReceiveDropCount(sock);
    if (seen.size + dropped !== sent.size)
      problems.push(
        `socket ${k}: ${sent.size} sent, ${w.got[k]!.length} received + ${drained.length} queued + ${dropped} dropped`,
      );
    totals.sent += sent.size;
    totals.received += w.got[k]!.length;
    totals.drained += drained.length;
    totals.dropped += dropped;
  }

  for (const { sock } of w.receivers) udpClose(sock);
  for (const s of w.senders) if (isUdpOpen(s)) udpClose(s);
  for (const c of w.custodians) custodianShutdownAll(c);
  totals.runs++;
  totals.syncs += w.ledger.syncs.length;
  for (const k of ["chosen", "none", "break", "killed", "closed", "nacks"] as const)
    totals[k] += w.ledger.outcomes[k];
  return w.ledger;
}

// -- the property --------------------------------------------------------------------------------

const RUNS = Number(process.env["RELIABILITY_UDP_RUNS"] ?? 25);
const SEED = Number(process.env["RELIABILITY_SEED"] ?? 20240901);

describe("reliability: UDP sends and receives under chaos (loopback, real time)", () => {
  afterEach(() => {
    currentEvtPseudoRandomGenerator(Math.random);
  });

  it(`every datagram is sent iff its send committed, and received once, queued or counted dropped (${RUNS} plans, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const ledger = await runPlan(plan);
        expect(ledger.problems).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED, endOnFailure: true },
    );
    console.log(`udp mix: ${JSON.stringify(totals)}\nwinning branches: ${JSON.stringify(wins)}`);
    expect(totals.received).toBeGreaterThan(0);
    expect(totals.dropped).toBeGreaterThan(0);
    expect(totals.break + totals.killed).toBeGreaterThan(0);
    for (const k of ["send", "receive", "alarm"]) expect(wins[k], k).toBeGreaterThan(0);
  }, 60_000);
});
