// Model-based property test of the sync engine: random event trees over shared semaphores and
// channels, synced concurrently (blocking, timed, polling, breakable), completed by later posts,
// partner syncs, timeouts and aborts; every outcome is checked against ./model.ts.
import { afterEach, describe, expect, it } from "vitest";
import fc from "fast-check";
import { asyncScheduler, VirtualTimeScheduler } from "rxjs";
import {
  pollNow,
  sync,
  syncEnableBreak,
  syncTimeout,
  syncTimeoutEnableBreak,
} from "../../src/engine/sync.js";
import {
  currentEvtPseudoRandomGenerator,
  makePseudoRandomGenerator,
} from "../../src/engine/random.js";
import { currentScheduler } from "../../src/time/clock.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { neverEvt } from "../../src/combinators/never.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { guardEvt } from "../../src/combinators/guard.js";
import { nackGuardEvt } from "../../src/combinators/nack-guard.js";
import { makeSemaphore, semaphorePost, type Semaphore } from "../../src/primitives/semaphore.js";
import {
  ChannelPutEvt,
  channelPutEvt,
  makeChannel,
  type Channel,
} from "../../src/primitives/channel.js";
import { ExnBreak } from "../../src/errors/exn.js";
import type { Evt } from "../../src/protocol/evt.js";
import { track, turn, type Tracked } from "../helpers.js";
import {
  Model,
  shapeOf,
  type Leaf,
  type Node,
  type Pending,
  type Shape,
  type Tree,
} from "./model.js";

const SEMS = 3;
const CHANS = 2;
const THUNK = "thunk result";
const NO = Symbol("not fired");

// -- generators ------------------------------------------------------------------------------

const semLeaf = fc.nat(SEMS - 1).map((i): Tree => ({ k: "sem", i }));
const getLeaf = fc.nat(CHANS - 1).map((i): Tree => ({ k: "get", i }));
const putLeaf = fc.nat(CHANS - 1).map((i): Tree => ({ k: "put", i }));
const leafArb: fc.Arbitrary<Tree> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Tree>({ k: "always" }) },
  { weight: 1, arbitrary: fc.constant<Tree>({ k: "never" }) },
  { weight: 5, arbitrary: semLeaf },
  { weight: 4, arbitrary: getLeaf },
  { weight: 4, arbitrary: putLeaf },
);

const treeArb: fc.Arbitrary<Tree> = fc.letrec<{ tree: Tree }>((tie) => ({
  tree: fc.oneof(
    { maxDepth: 4, depthIdentifier: "tree" },
    { weight: 6, arbitrary: leafArb },
    {
      weight: 3,
      arbitrary: fc.array(tie("tree"), { maxLength: 4 }).map((xs): Tree => ({ k: "choice", xs })),
    },
    { weight: 1, arbitrary: tie("tree").map((x): Tree => ({ k: "wrap", x })) },
    { weight: 1, arbitrary: tie("tree").map((x): Tree => ({ k: "guard", x })) },
    { weight: 2, arbitrary: tie("tree").map((x): Tree => ({ k: "nack", x })) },
  ),
})).tree;

// Wide guard-free choices, synced again and again: the shape a server loop has.
const wideArb: fc.Arbitrary<Tree> = fc
  .array(
    fc.oneof(
      semLeaf,
      getLeaf,
      putLeaf,
      semLeaf.map((x): Tree => ({ k: "wrap", x })),
    ),
    { minLength: 8, maxLength: 12 },
  )
  .map((xs): Tree => ({ k: "choice", xs }));

type Mode = "block" | "timeout" | "poll" | "thunk" | "break" | "breakTimeout" | "preAborted";
const MODES: Mode[] = ["block", "timeout", "poll", "thunk", "break", "breakTimeout", "preAborted"];

type Op =
  | { op: "sync"; tree: number; mode: Mode; ms: number; spread: boolean }
  | { op: "post"; sem: number }
  | { op: "advance"; ms: number }
  | { op: "abort"; which: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant("sync" as const),
      tree: fc.nat(99),
      mode: fc.constantFrom(...MODES),
      ms: fc.integer({ min: 1, max: 50 }),
      spread: fc.boolean(),
    }),
  },
  { weight: 4, arbitrary: fc.record({ op: fc.constant("post" as const), sem: fc.nat(SEMS - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("advance" as const),
      ms: fc.integer({ min: 1, max: 60 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("abort" as const), which: fc.nat(9) }) },
);

const scenarioArb = fc.record({
  seed: fc.integer(),
  semInit: fc.array(fc.nat(1), { minLength: SEMS, maxLength: SEMS }),
  pool: fc.array(fc.oneof({ weight: 3, arbitrary: treeArb }, { weight: 1, arbitrary: wideArb }), {
    minLength: 1,
    maxLength: 4,
  }),
  ops: fc.array(opArb, { minLength: 5, maxLength: 40, size: "medium" }),
});
type Scenario = typeof scenarioArb extends fc.Arbitrary<infer S> ? S : never;

// Server loops: a few wide choices synced again and again, interleaved with small syncs that
// block on the same semaphores and channels (registrations that outlive a sync must keep FIFO).
const loopOpArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.record({
      op: fc.constant("sync" as const),
      tree: fc.nat(99),
      mode: fc.constantFrom<Mode>("block", "block", "break", "breakTimeout", "timeout", "poll"),
      ms: fc.integer({ min: 1, max: 50 }),
      spread: fc.constant(false),
    }),
  },
  { weight: 5, arbitrary: fc.record({ op: fc.constant("post" as const), sem: fc.nat(SEMS - 1) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("advance" as const),
      ms: fc.integer({ min: 1, max: 60 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant("abort" as const), which: fc.nat(9) }) },
);
const wideLoopArb: fc.Arbitrary<Tree> = fc
  .array(
    fc.oneof(
      { weight: 6, arbitrary: semLeaf },
      { weight: 1, arbitrary: getLeaf },
      { weight: 1, arbitrary: putLeaf },
      { weight: 2, arbitrary: semLeaf.map((x): Tree => ({ k: "wrap", x })) },
    ),
    { minLength: 8, maxLength: 12 },
  )
  .map((xs): Tree => ({ k: "choice", xs }));
const loopArb: fc.Arbitrary<Scenario> = fc.record({
  seed: fc.integer(),
  semInit: fc.constant([0, 0, 0]),
  pool: fc.tuple(wideLoopArb, wideLoopArb, leafArb, leafArb).map((t): Tree[] => t),
  ops: fc.array(loopOpArb, { minLength: 10, maxLength: 60, size: "medium" }),
});

// -- running a scenario against the engine ---------------------------------------------------

/** What a leaf's wrap delivers: which leaf was chosen, its raw result, the wraps applied after. */
interface Res {
  leaf: number;
  raw: unknown;
  wraps: number[];
}

/** What one sync's guards did. */
interface Rec {
  ran: number[];
  nacks: Map<number, Evt<void>>;
}

interface Live {
  key: number;
  tree: number;
  shape: Shape;
  mode: Mode;
  tracked: Tracked<unknown>;
  rec: Rec;
  ac: AbortController;
}

async function runScenario(sc: Scenario): Promise<void> {
  const vts = new VirtualTimeScheduler();
  currentScheduler(vts);
  currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(sc.seed));
  const sems: Semaphore[] = sc.semInit.map((n) => makeSemaphore(n));
  const chans: Channel<string>[] = Array.from({ length: CHANS }, () => makeChannel<string>());
  const model = new Model([...sc.semInit]);
  const valueOf = (tree: number, leaf: number) => `t${tree}.l${leaf}`;

  // The guard makers log into the sync being started (they run synchronously inside the call).
  let current: Rec | null = null;
  const build = (n: Node, t: number): Evt<unknown> => {
    const res =
      (leaf: number) =>
      (raw: unknown): Res => ({ leaf, raw, wraps: [] });
    switch (n.k) {
      case "always":
        return wrapEvt(alwaysEvt, res(n.leaf));
      case "sem":
        return wrapEvt(sems[n.i]!, res(n.leaf));
      case "get":
        return wrapEvt(chans[n.i]!, res(n.leaf));
      case "put":
        return wrapEvt(channelPutEvt(chans[n.i]!, valueOf(t, n.leaf)), res(n.leaf));
      case "never":
        return neverEvt;
      case "choice":
        return choiceEvt(...n.xs.map((x) => build(x, t)));
      case "wrap": {
        const inner = build(n.x, t);
        return wrapEvt(inner, (r) => {
          (r as Res).wraps.push(n.wrap);
          return r;
        });
      }
      case "guard": {
        const inner = build(n.x, t);
        return guardEvt(() => {
          current!.ran.push(n.guard);
          return inner;
        });
      }
      case "nack": {
        const inner = build(n.x, t);
        return nackGuardEvt((nack) => {
          current!.ran.push(n.guard);
          current!.nacks.set(n.guard, nack);
          return inner;
        });
      }
    }
  };
  const shapes = sc.pool.map(shapeOf);
  // Built once and reused by every sync of the tree (as a long-lived server loop would).
  const built = shapes.map((sh, t) => {
    if (sh.root.k !== "choice") return { whole: build(sh.root, t), members: null };
    const members = sh.root.xs.map((x) => build(x, t));
    return { whole: choiceEvt(...members), members };
  });

  const live = new Map<number, Live>();
  const mustNotFire: Evt<void>[] = [];
  let nextKey = 0;
  const isFired = (n: Evt<void>) => pollNow([n], NO) !== NO;

  const where = (s: Live) => `sync #${s.key} (tree ${s.tree}, ${s.mode})`;

  const checkNacks = (s: Live, chosen: Leaf | null) => {
    const firing = Model.nacksFiring(s.shape, new Set(s.rec.ran), chosen);
    for (const [g, nack] of s.rec.nacks) {
      expect(isFired(nack), `${where(s)}: NACK of guard ${g}`).toBe(firing.has(g));
      if (!firing.has(g)) mustNotFire.push(nack);
    }
  };

  /** Checks that `s` settled by choosing one of `allowed`; returns the leaf and its raw result. */
  const checkChosen = (s: Live, allowed: readonly Leaf[]): { leaf: Leaf; raw: unknown } => {
    expect(s.tracked.status, `${where(s)} should have settled (${String(s.tracked.error)})`).toBe(
      "ok",
    );
    const r = s.tracked.value as Res;
    const leaf = allowed.find((l) => l.id === r.leaf);
    expect(
      leaf,
      `${where(s)} chose leaf ${r.leaf}; allowed ${allowed.map((l) => l.id)}`,
    ).toBeDefined();
    expect(r.wraps, `${where(s)}: wraps`).toEqual(leaf!.wraps);
    if (leaf!.kind === "always") expect(r.raw).toBe(alwaysEvt);
    if (leaf!.kind === "sem") expect(r.raw).toBe(sems[leaf!.i]);
    if (leaf!.kind === "put") {
      expect(r.raw).toBeInstanceOf(ChannelPutEvt);
      expect((r.raw as ChannelPutEvt).channel).toBe(chans[leaf!.i]);
    }
    checkNacks(s, leaf!);
    return { leaf: leaf!, raw: r.raw };
  };

  /** A rendezvous between new sync `x` (chose `xl`) and pending `p`: both ends agree on the value. */
  const checkPartner = (x: Live, xl: { leaf: Leaf; raw: unknown }, p: Pending) => {
    const ps = live.get(p.key)!;
    const pl = checkChosen(ps, model.partnerLeaves(p, xl.leaf));
    const [getter, putter] =
      xl.leaf.kind === "get" ? [xl, { ...pl, s: ps }] : [pl, { ...xl, s: x }];
    expect(getter.raw, `value handed over to ${where(x)} / ${where(ps)}`).toBe(
      valueOf(putter.s.tree, putter.leaf.id),
    );
    model.remove(p);
  };

  const checkSettledWith = (s: Live, status: "ok" | "err", value: unknown) => {
    expect(s.tracked.status, where(s)).toBe(status);
    if (status === "ok") expect(s.tracked.value, where(s)).toBe(value);
    else expect(s.tracked.error, where(s)).toBeInstanceOf(value as typeof ExnBreak);
    checkNacks(s, null);
  };

  const checkInvariants = () => {
    for (const p of model.pending) {
      expect(live.get(p.key)!.tracked.status, `${where(live.get(p.key)!)} should be pending`).toBe(
        "pending",
      );
    }
    expect(
      sems.map((s) => s.count),
      "semaphore counts",
    ).toEqual(model.sems);
  };

  const doSync = async (op: Extract<Op, { op: "sync" }>) => {
    const t = op.tree % shapes.length;
    const shape = shapes[t]!;
    const { whole, members } = built[t]!;
    const args = op.spread && members ? members : [whole];
    const ready = model.readyLeaves(shape);
    const ac = new AbortController();
    if (op.mode === "preAborted") ac.abort();
    const rec: Rec = { ran: [], nacks: new Map() };
    const secs = op.ms / 1000;
    current = rec;
    let p: Promise<unknown>;
    try {
      switch (op.mode) {
        case "block":
          p = sync(...args);
          break;
        case "timeout":
          p = syncTimeout(secs, ...args);
          break;
        case "poll":
          p = syncTimeout(0, ...args);
          break;
        case "thunk":
          p = syncTimeout(() => THUNK, ...args);
          break;
        case "break":
        case "preAborted":
          p = syncEnableBreak(ac.signal, ...args);
          break;
        case "breakTimeout":
          p = syncTimeoutEnableBreak(ac.signal, secs, ...args);
          break;
      }
    } finally {
      current = null;
    }
    const s: Live = { key: nextKey++, tree: t, shape, mode: op.mode, tracked: track(p), rec, ac };
    live.set(s.key, s);
    await turn();

    if (op.mode === "preAborted") {
      expect(rec.ran, `${where(s)}: no guard runs`).toEqual([]);
      expect(s.tracked.error).toBeInstanceOf(ExnBreak);
      return;
    }
    if (ready.length > 0) {
      const chosen = checkChosen(s, ready);
      expect(Model.checkGuards(shape, rec.ran, chosen.leaf), where(s)).toBeNull();
      if (chosen.leaf.kind === "get" || chosen.leaf.kind === "put") {
        checkPartner(s, chosen, model.partner(chosen.leaf)!);
      } else model.commitNew(chosen.leaf);
      return;
    }
    expect(Model.checkGuards(shape, rec.ran, null), where(s)).toBeNull();
    if (op.mode === "poll" || op.mode === "thunk") {
      checkSettledWith(s, "ok", op.mode === "poll" ? false : THUNK);
      return;
    }
    for (const [g, n] of rec.nacks) expect(isFired(n), `${where(s)}: NACK ${g} early`).toBe(false);
    const timed = op.mode === "timeout" || op.mode === "breakTimeout";
    model.pending.push({
      key: s.key,
      shape,
      deadline: timed ? vts.now() + secs * 1000 : Infinity,
      abortable: op.mode === "break" || op.mode === "breakTimeout",
    });
  };

  const doPost = async (i: number) => {
    semaphorePost(sems[i]!);
    await turn();
    const w = model.post(i);
    if (w) {
      const s = live.get(w.key)!;
      checkChosen(
        s,
        w.shape.leaves.filter((l) => l.kind === "sem" && l.i === i),
      );
    }
  };

  const doAdvance = async (ms: number) => {
    const target = vts.now() + ms;
    vts.maxFrames = target;
    vts.flush();
    vts.frame = target;
    vts.maxFrames = Infinity;
    await turn();
    for (const p of model.expire(target)) checkSettledWith(live.get(p.key)!, "ok", false);
  };

  const doAbort = async (which: number) => {
    const abortable = model.pending.filter((p) => p.abortable);
    if (abortable.length === 0) return;
    const p = abortable[which % abortable.length]!;
    const s = live.get(p.key)!;
    s.ac.abort();
    await turn();
    model.remove(p);
    checkSettledWith(s, "err", ExnBreak);
  };

  for (const op of sc.ops) {
    if (op.op === "sync") await doSync(op);
    else if (op.op === "post") await doPost(op.sem);
    else if (op.op === "advance") await doAdvance(op.ms);
    else await doAbort(op.which);
    checkInvariants();
  }
  // Wind down: break every breakable sync, let every timeout expire.
  while (model.pending.some((p) => p.abortable)) await doAbort(0);
  await doAdvance(1000);
  checkInvariants();
  for (const p of model.pending) expect(p.deadline).toBe(Infinity);
  for (const n of mustNotFire)
    expect(isFired(n), "a NACK fired after its guard's event was chosen").toBe(false);
}

describe("engine vs reference model", () => {
  afterEach(() => {
    currentScheduler(asyncScheduler);
    currentEvtPseudoRandomGenerator(Math.random);
  });

  it("exactly one commit per sync, NACKs iff the guard ran and lost, nothing lost or duplicated", async () => {
    await fc.assert(fc.asyncProperty(scenarioArb, runScenario), {
      seed: 20260511,
      numRuns: 400,
    });
  }, 60_000);

  it("the same for choices synced again and again (standing registrations)", async () => {
    await fc.assert(fc.asyncProperty(loopArb, runScenario), { seed: 777, numRuns: 300 });
  }, 60_000);

  it("a re-synced loop does not jump a waiter that blocked while it was idle (FIFO)", async () => {
    const W: Tree = {
      k: "choice",
      xs: [0, 1, 2, 0, 1, 2, 0, 1].map((i): Tree => ({ k: "sem", i })),
    };
    const sy = (tree: number): Op => ({ op: "sync", tree, mode: "block", ms: 1, spread: false });
    await runScenario({
      seed: 1,
      semInit: [0, 0, 0],
      pool: [W, { k: "sem", i: 0 }],
      ops: [
        sy(0),
        { op: "post", sem: 1 },
        sy(0),
        { op: "post", sem: 2 },
        sy(1),
        sy(0),
        { op: "post", sem: 0 },
      ],
    });
  });

  it("the model itself: shapes number leaves, wraps and guards depth first", () => {
    const s = shapeOf({
      k: "nack",
      x: {
        k: "choice",
        xs: [
          { k: "wrap", x: { k: "sem", i: 0 } },
          { k: "guard", x: { k: "put", i: 1 } },
        ],
      },
    });
    expect(s.leaves).toEqual([
      { id: 0, kind: "sem", i: 0, guards: [0], wraps: [0] },
      { id: 1, kind: "put", i: 1, guards: [0, 1], wraps: [] },
    ]);
    expect(s.guards).toEqual([
      { id: 0, nack: true, ancestors: [] },
      { id: 1, nack: false, ancestors: [0] },
    ]);
    expect(Model.nacksFiring(s, new Set([0, 1]), s.leaves[0]!)).toEqual(new Set());
    expect(Model.nacksFiring(s, new Set([0, 1]), null)).toEqual(new Set([0]));
    expect(Model.checkGuards(s, [1, 0], s.leaves[1]!)).toMatch(/before its ancestor/);
    expect(Model.checkGuards(s, [0], null)).toMatch(/should have run/);
  });
});
