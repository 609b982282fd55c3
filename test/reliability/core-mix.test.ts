// Exactly-once under stress, for the core primitives: random agents sync on random choices over
// one channel, one async channel, one semaphore and one pipe (reads and a writer), raced against
// alarms, while a chaos schedule aborts their syncs (syncEnableBreak), breaks and kills their
// threads and shuts their custodians down. Everything runs in virtual time, driven tick by tick,
// so a run is a pure function of its fast-check plan and seed: a failure replays.
//
// Conservation, checked after every run:
// - channel: the values of committed puts are exactly the values received, each once;
// - async channel: committed puts = received + still buffered, each once, FIFO per producer;
// - semaphore: initial + posts - committed waits = the count left;
// - pipe: the bytes the readers' committed reads took, in commit order, then the bytes still in the
//   pipe, are exactly the bytes the writer's committed writes put in;
// - every sync commits at most one branch, settles once, agrees with its wraps, and every NACK
//   fired exactly when its branch lost (checked when the sync settles and again at the end).
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { asyncScheduler, VirtualTimeScheduler } from "rxjs";
import {
  alarmEvt,
  asyncChannelPutEvt,
  asyncChannelTryGet,
  channelPutEvt,
  channelTryGet,
  choiceEvt,
  closeOutputPort,
  currentEvtPseudoRandomGenerator,
  currentInexactMilliseconds,
  currentScheduler,
  custodianShutdownAll,
  isEofObject,
  isThreadDead,
  killThread,
  breakThread,
  makeAsyncChannel,
  makeChannel,
  makeCustodian,
  makePipe,
  makePseudoRandomGenerator,
  makeSemaphore,
  readBytes,
  readBytesAvailEvt,
  readBytesEvt,
  readBytesLineEvt,
  semaphorePeekEvt,
  semaphorePost,
  semaphoreTryWait,
  thread,
  threadWait,
  withCustodian,
  wrapEvt,
  writeBytesAvailEvt,
  ExnBreak,
  ThreadKilledError,
  type AsyncChannel,
  type Channel,
  type Custodian,
  type Evt,
  type InputPort,
  type OutputPort,
  type Semaphore,
  type Thread,
} from "@rendezvous/core";
import {
  Ledger,
  multisetDiff,
  syncRecorded,
  turn,
  type SyncHow,
  type SyncRecord,
} from "./ledger.js";

// -- plans --------------------------------------------------------------------------------------

type Branch =
  | { k: "chGet" | "chPut" | "achGet" | "achPut" | "semWait" | "semPeek"; nack: boolean }
  | { k: "read" | "readAvail"; n: number; nack: boolean }
  | { k: "readLine"; nack: boolean }
  | { k: "alarm"; ms: number; nack: boolean };
interface SyncOp {
  k: "sync";
  branches: Branch[];
  how: "block" | "poll" | "timeout";
  ms: number;
  nest: boolean;
}
type Op = SyncOp | { k: "post" } | { k: "try"; what: "ch" | "ach" | "sem" };
type Mode = "plain" | "thread" | "custodian";
interface Agent {
  mode: Mode;
  custodian: number;
  /** Sync a standing choice (the same choice object each time) besides the op's branches. */
  standing: boolean;
  ops: Op[];
}
interface Writer {
  mode: Mode;
  writes: { n: number; race: boolean; how: "block" | "timeout" }[];
}
type ChaosKind = "abort" | "break" | "kill" | "shutdown" | "post";
interface Plan {
  seed: number;
  achLimit: number | false;
  semInit: number;
  pipeLimit: number | false;
  agents: Agent[];
  writer: Writer;
  chaos: { tick: number; kind: ChaosKind; target: number }[];
}

const TICKS = 40;
const nack = fc.boolean();
const branchArb: fc.Arbitrary<Branch> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constantFrom("chGet", "chPut"), nack }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constantFrom("achGet", "achPut"), nack }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constantFrom("semWait", "semPeek"), nack }) },
  {
    weight: 2,
    arbitrary: fc.record({
      k: fc.constantFrom("read", "readAvail"),
      n: fc.integer({ min: 1, max: 12 }),
      nack,
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant("readLine"), nack }) },
  {
    weight: 2,
    arbitrary: fc.record({ k: fc.constant("alarm"), ms: fc.integer({ min: 0, max: 6 }), nack }),
  },
) as fc.Arbitrary<Branch>;
const syncArb: fc.Arbitrary<SyncOp> = fc.record({
  k: fc.constant("sync"),
  branches: fc.array(branchArb, { minLength: 1, maxLength: 4 }),
  how: fc.constantFrom("block", "block", "poll", "timeout"),
  ms: fc.integer({ min: 1, max: 5 }),
  nest: fc.boolean(),
}) as fc.Arbitrary<SyncOp>;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 8, arbitrary: syncArb },
  { weight: 1, arbitrary: fc.constant<Op>({ k: "post" }) },
  {
    weight: 1,
    arbitrary: fc.record({ k: fc.constant("try"), what: fc.constantFrom("ch", "ach", "sem") }),
  },
) as fc.Arbitrary<Op>;
const modeArb = fc.constantFrom<Mode>("plain", "thread", "custodian");
const planArb: fc.Arbitrary<Plan> = fc.record({
  seed: fc.integer(),
  achLimit: fc.constantFrom<number | false>(1, 2, 4, false),
  semInit: fc.integer({ min: 0, max: 3 }),
  pipeLimit: fc.constantFrom<number | false>(false, 4, 16),
  agents: fc.array(
    fc.record({
      mode: modeArb,
      custodian: fc.integer({ min: 0, max: 1 }),
      standing: fc.boolean(),
      ops: fc.array(opArb, { minLength: 1, maxLength: 20 }),
    }),
    { minLength: 2, maxLength: 8 },
  ),
  writer: fc.record({
    mode: modeArb,
    writes: fc.array(
      fc.record({
        n: fc.integer({ min: 1, max: 16 }),
        race: fc.boolean(),
        how: fc.constantFrom<"block" | "timeout">("block", "timeout"),
      }),
      { minLength: 0, maxLength: 25 },
    ),
  }),
  chaos: fc.array(
    fc.record({
      tick: fc.integer({ min: 0, max: TICKS - 1 }),
      kind: fc.constantFrom<ChaosKind>("abort", "break", "kill", "shutdown", "post", "post"),
      target: fc.nat(),
    }),
    { maxLength: 40 },
  ),
});

// -- one run ------------------------------------------------------------------------------------

interface World {
  ch: Channel<number>;
  ach: AsyncChannel<number>;
  sem: Semaphore;
  pin: InputPort;
  pout: OutputPort;
  custodians: Custodian[];
  nextValue: number;
  chPut: number[];
  chGot: number[];
  achPut: { v: number; from: number }[];
  achGot: number[];
  posts: number;
  semTaken: number;
  /** The pipe's byte stream: what the writer offers, in order. */
  stream: Uint8Array;
  written: number;
  readChunks: Uint8Array[];
  stop: boolean;
  /** The abort controllers of the plain agents' pending syncs. */
  controllers: Set<AbortController>;
  threads: (Thread | null)[];
  standingChoices: Evt<number>[];
  ledger: Ledger;
}

/** Totals over all runs, reported at the end (the counts docs/reliability.md quotes). */
const totals = {
  runs: 0,
  syncs: 0,
  chosen: 0,
  none: 0,
  break: 0,
  killed: 0,
  nacks: 0,
  chValues: 0,
  achValues: 0,
  semWaits: 0,
  pipeBytes: 0,
  chaos: 0,
  standingEngaged: 0,
  breaksOnPolls: 0,
};

function makeStream(seed: number, n: number): Uint8Array {
  const rnd = makePseudoRandomGenerator(seed);
  const b = new Uint8Array(n);
  // Mostly printable, a newline now and then, so line reads commit too.
  for (let i = 0; i < n; i++) b[i] = rnd() < 0.12 ? 10 : 32 + Math.floor(rnd() * 200);
  return b;
}

function buildBranch(w: World, b: Branch, agent: number): Evt<unknown> {
  switch (b.k) {
    case "chGet":
      return wrapEvt(w.ch, (v) => w.chGot.push(v));
    case "chPut": {
      const v = w.nextValue++;
      return wrapEvt(channelPutEvt(w.ch, v), () => w.chPut.push(v));
    }
    case "achGet":
      return wrapEvt(w.ach, (v) => w.achGot.push(v));
    case "achPut": {
      const v = w.nextValue++;
      return wrapEvt(asyncChannelPutEvt(w.ach, v), () => w.achPut.push({ v, from: agent }));
    }
    case "semWait":
      return wrapEvt(w.sem, () => w.semTaken++);
    case "semPeek":
      return semaphorePeekEvt(w.sem);
    case "read":
      return wrapEvt(readBytesEvt(b.n, w.pin), (r) => {
        if (!isEofObject(r)) w.readChunks.push(r);
      });
    case "readAvail": {
      const buf = new Uint8Array(b.n);
      return wrapEvt(readBytesAvailEvt(buf, w.pin), (n) => {
        if (typeof n === "number") w.readChunks.push(buf.slice(0, n));
      });
    }
    case "readLine":
      return wrapEvt(readBytesLineEvt(w.pin, "linefeed"), (r) => {
        if (r instanceof Uint8Array) w.readChunks.push(Uint8Array.of(...r, 10));
      });
    case "alarm":
      return alarmEvt(currentInexactMilliseconds() + b.ms);
  }
}

/** Which kinds of branches won, over all runs. */
const wins: Record<string, number> = {};
function tally(e: Evt<unknown>, kind: string): Evt<unknown> {
  return wrapEvt(e, (v) => {
    wins[kind] = (wins[kind] ?? 0) + 1;
    return v;
  });
}

/** Runs one sync for an agent in its mode; resolves when it settled (never throws). */
function runSync(
  w: World,
  mode: Mode,
  evts: Evt<number>[],
  how: SyncHow,
  ms: number,
  rec: SyncRecord,
): Promise<"continue" | "killed"> {
  return syncRecorded(w.ledger, w.controllers, mode === "plain", rec, evts, how, ms);
}

/**
 * A choice synced again and again, of at least 8 standing-capable members: the engine keeps its
 * members registered between syncs (engine/standing.ts), inert while no sync uses it. Its wraps
 * are fixed, so they record into the agent's current sync record through `current`.
 */
function standingChoice(w: World, current: () => SyncRecord, first: number): Evt<number> {
  const members: Evt<unknown>[] = [
    wrapEvt(w.ch, (v) => w.chGot.push(v)),
    wrapEvt(w.ach, (v) => w.achGot.push(v)),
    wrapEvt(w.sem, () => w.semTaken++),
    wrapEvt(w.ch, (v) => w.chGot.push(v)),
    semaphorePeekEvt(w.sem),
    wrapEvt(w.ach, (v) => w.achGot.push(v)),
    wrapEvt(w.sem, () => w.semTaken++),
    wrapEvt(w.ch, (v) => w.chGot.push(v)),
    wrapEvt(w.ach, (v) => w.achGot.push(v)),
  ];
  return choiceEvt(
    ...members.map((m, i) =>
      wrapEvt(tally(m, "standing"), () => {
        current().committed.push(first + i);
        return first + i;
      }),
    ),
  );
}

async function runAgent(w: World, a: Agent, idx: number): Promise<void> {
  const who = `agent ${idx} (${a.mode}${a.standing ? ", standing" : ""})`;
  let rec: SyncRecord | null = null;
  // Branch numbers 100+ are the standing choice's members.
  const standing = a.standing ? standingChoice(w, () => rec!, 100) : null;
  if (standing) w.standingChoices.push(standing);
  for (const op of a.ops) {
    if (w.stop) return;
    try {
      if (op.k === "post") {
        semaphorePost(w.sem);
        w.posts++;
      } else if (op.k === "try") {
        if (op.what === "ch") {
          const v = channelTryGet(w.ch);
          if (v !== false) w.chGot.push(v);
        } else if (op.what === "ach") {
          const v = asyncChannelTryGet(w.ach);
          if (v !== false) w.achGot.push(v);
        } else if (semaphoreTryWait(w.sem)) w.semTaken++;
      } else {
        const r = (rec = w.ledger.open(who));
        let evts = op.branches.map((b, i) =>
          w.ledger.branch(r, i, tally(buildBranch(w, b, idx), b.k), b.nack),
        );
        // Nested choices flatten to the same candidates: the outcome must not change.
        if (op.nest && evts.length > 2)
          evts = [choiceEvt(evts[0]!, choiceEvt(...evts.slice(1)))] as Evt<number>[];
        if (standing) evts.push(standing);
        if ((await runSync(w, a.mode, evts, op.how, op.ms, r)) === "killed") return;
      }
    } catch (e) {
      // A never-waiting call from a killed thread throws ThreadKilledError: the body ends.
      if (e instanceof ThreadKilledError) return;
      // A break that arrived while the thread was between syncs waits for its next one, and a
      // never-waiting call is one (Racket's channel-try-get is a sync/timeout 0, which checks for
      // breaks first): it raises ExnBreak and takes nothing — the conservation checks say so.
      if (e instanceof ExnBreak) {
        totals.breaksOnPolls++;
        continue;
      }
      w.ledger.problems.push(`${who}: unexpected ${String(e)}`);
      return;
    }
  }
}

async function runWriter(w: World, wr: Writer): Promise<void> {
  for (const step of wr.writes) {
    if (w.stop) return;
    const rec = w.ledger.open(`writer (${wr.mode})`);
    const chunk = w.stream.subarray(w.written, w.written + step.n);
    const write = wrapEvt(
      // Racket's write-bytes-avail-evt: commits iff chosen, writing some of `chunk`.
      writeBytesAvailEvt(chunk, w.pout),
      (n: number) => {
        w.written += n;
      },
    );
    const evts = [w.ledger.branch(rec, 0, write, true)];
    if (step.race)
      evts.push(w.ledger.branch(rec, 1, alarmEvt(currentInexactMilliseconds() + 1), true));
    if ((await runSync(w, wr.mode, evts, step.how, 3, rec)) === "killed") return;
  }
}

/** Starts `body` in the given mode; returns what to await and the thread, if any. */
function start(
  w: World,
  mode: Mode,
  custodian: number,
  body: () => Promise<void>,
): [Promise<void>, Thread | null] {
  if (mode === "plain") return [body(), null];
  const make = () => thread(body);
  const t = mode === "custodian" ? withCustodian(w.custodians[custodian]!, make) : make();
  return [threadWait(t), t];
}

function chaos(w: World, kind: ChaosKind, target: number): void {
  const live = w.threads.filter((t): t is Thread => t !== null && !isThreadDead(t));
  switch (kind) {
    case "abort": {
      const acs = [...w.controllers];
      if (acs.length > 0) acs[target % acs.length]!.abort();
      break;
    }
    case "break":
      if (live.length > 0) breakThread(live[target % live.length]!);
      break;
    case "kill":
      if (live.length > 0) killThread(live[target % live.length]!);
      break;
    case "shutdown":
      custodianShutdownAll(w.custodians[target % w.custodians.length]!);
      break;
    case "post":
      semaphorePost(w.sem);
      w.posts++;
      break;
  }
}

async function runPlan(plan: Plan): Promise<Ledger> {
  const vts = new VirtualTimeScheduler();
  currentScheduler(vts);
  currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(plan.seed));
  const [pin, pout] = makePipe(plan.pipeLimit);
  const w: World = {
    ch: makeChannel<number>(),
    ach: makeAsyncChannel<number>(plan.achLimit),
    sem: makeSemaphore(plan.semInit),
    pin,
    pout,
    custodians: [makeCustodian(), makeCustodian()],
    nextValue: 0,
    chPut: [],
    chGot: [],
    achPut: [],
    achGot: [],
    posts: 0,
    semTaken: 0,
    stream: makeStream(plan.seed, 16 * 25),
    written: 0,
    readChunks: [],
    stop: false,
    controllers: new Set(),
    threads: [],
    standingChoices: [],
    ledger: new Ledger(),
  };
  const running: Promise<void>[] = [];
  plan.agents.forEach((a, i) => {
    const [p, t] = start(w, a.mode, a.custodian, () => runAgent(w, a, i));
    running.push(p);
    w.threads.push(t);
  });
  {
    const [p, t] = start(w, plan.writer.mode, 0, () => runWriter(w, plan.writer));
    running.push(p);
    w.threads.push(t);
  }

  for (let tick = 0; tick < TICKS; tick++) {
    await turn();
    for (const c of plan.chaos) if (c.tick === tick) chaos(w, c.kind, c.target);
    await turn();
    // Virtual time moves one millisecond per tick: the alarms and timeouts due fire.
    vts.maxFrames = tick + 1;
    vts.flush();
    vts.frame = tick + 1;
  }

  // Stop: no new syncs; pending ones are aborted (plain) or their threads killed.
  w.stop = true;
  for (const ac of w.controllers) ac.abort();
  for (const t of w.threads) if (t && !isThreadDead(t)) killThread(t);
  for (let i = 0; i < 5; i++) await turn();
  vts.maxFrames = Infinity;
  vts.flush();
  await Promise.all(running);
  await turn();

  // Syncs abandoned by a kill never settle; they must have committed nothing.
  for (const rec of w.ledger.syncs) w.ledger.abandoned(rec);
  w.ledger.checkAll();

  const problems = w.ledger.problems;
  // Channel: committed puts = receipts.
  const chDiff = multisetDiff(w.chPut, w.chGot);
  if (chDiff) problems.push(`channel: ${chDiff}`);
  // Async channel: committed puts = receipts + what is still buffered; FIFO per producer.
  const left: number[] = [];
  // Bounded: a broken primitive must fail the run, not hang it.
  for (let v = asyncChannelTryGet(w.ach); v !== false && left.length <= w.achPut.length;) {
    left.push(v);
    v = asyncChannelTryGet(w.ach);
  }
  const achDiff = multisetDiff(
    w.achPut.map((p) => p.v),
    [...w.achGot, ...left],
  );
  if (achDiff) problems.push(`async channel: ${achDiff}`);
  const order = new Map([...w.achGot, ...left].map((v, i) => [v, i]));
  const lastBy = new Map<number, number>();
  for (const { v, from } of w.achPut) {
    const pos = order.get(v) ?? -1;
    if (pos < (lastBy.get(from) ?? -1)) problems.push(`async channel: value ${v} overtook`);
    lastBy.set(from, pos);
  }
  // Semaphore: the count left is what was put in minus what was taken.
  let count = 0;
  const most = plan.semInit + w.posts;
  while (count <= most && semaphoreTryWait(w.sem)) count++;
  if (count !== plan.semInit + w.posts - w.semTaken)
    problems.push(
      `semaphore: ${plan.semInit} + ${w.posts} posts - ${w.semTaken} waits, but ${count} left`,
    );
  // Pipe: committed reads in commit order, then what is left, are exactly the committed writes.
  closeOutputPort(w.pout);
  const rest = await readBytes(1 << 20, w.pin);
  const got = Buffer.concat([...w.readChunks, ...(isEofObject(rest) ? [] : [rest])]);
  const want = Buffer.from(w.stream.subarray(0, w.written));
  if (!got.equals(want))
    problems.push(`pipe: read ${got.length} bytes, written ${want.length}, contents differ`);

  totals.runs++;
  totals.syncs += w.ledger.syncs.length;
  for (const k of ["chosen", "none", "break", "killed", "nacks"] as const)
    totals[k] += w.ledger.outcomes[k];
  totals.chValues += w.chPut.length;
  totals.achValues += w.achPut.length;
  totals.semWaits += w.semTaken;
  totals.pipeBytes += w.written;
  totals.chaos += plan.chaos.length;
  // White-box: did the engine actually keep standing registrations for these choices?
  for (const c of w.standingChoices)
    if ((c as unknown as { standing?: unknown }).standing) totals.standingEngaged++;
  for (const c of w.custodians) custodianShutdownAll(c);
  return w.ledger;
}

// -- the property --------------------------------------------------------------------------------

const RUNS = Number(process.env["RELIABILITY_RUNS"] ?? 400);
const SEED = Number(process.env["RELIABILITY_SEED"] ?? 20240901);

describe("reliability: core primitives under chaos (virtual time)", () => {
  afterEach(() => {
    currentScheduler(asyncScheduler);
    currentEvtPseudoRandomGenerator(Math.random);
  });

  it(`every value, count and byte is consumed exactly once or still there (${RUNS} plans, seed ${SEED})`, async () => {
    await fc.assert(
      fc.asyncProperty(planArb, async (plan) => {
        const ledger = await runPlan(plan);
        currentScheduler(asyncScheduler);
        expect(ledger.problems).toEqual([]);
      }),
      { numRuns: RUNS, seed: SEED },
    );
    console.log(`core mix: ${JSON.stringify(totals)}\nwinning branches: ${JSON.stringify(wins)}`);
    // The plans must actually exercise every outcome, or the property proves little.
    expect(totals.chosen).toBeGreaterThan(0);
    expect(totals.break).toBeGreaterThan(0);
    expect(totals.killed).toBeGreaterThan(0);
    expect(totals.none).toBeGreaterThan(0);
    expect(totals.chValues).toBeGreaterThan(0);
    expect(totals.achValues).toBeGreaterThan(0);
    expect(totals.pipeBytes).toBeGreaterThan(0);
    for (const k of ["chGet", "chPut", "achGet", "achPut", "semWait", "semPeek", "read"])
      expect(wins[k], k).toBeGreaterThan(0);
    for (const k of ["readAvail", "readLine", "alarm", "standing"])
      expect(wins[k], k).toBeGreaterThan(0);
    expect(totals.standingEngaged).toBeGreaterThan(0);
  }, 120_000);

  it("a plan replays: the same plan and seed give the same outcomes", async () => {
    const plans = fc.sample(planArb, { numRuns: 5, seed: SEED + 1 });
    for (const plan of plans) {
      const a = await runPlan(plan);
      const b = await runPlan(plan);
      currentScheduler(asyncScheduler);
      const shape = (l: Ledger) => l.syncs.map((r) => `${r.outcome}:${r.chosen}`).join(" ");
      expect(shape(b)).toBe(shape(a));
      expect(a.syncs.length).toBeGreaterThan(0);
    }
  }, 60_000);
});
