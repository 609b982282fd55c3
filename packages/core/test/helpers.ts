// Shared helpers for the core engine's unit tests: promise tracking, a scriptable primitive,
// deterministic rotation, virtual time.
import { afterEach, beforeEach } from "vitest";
import { asyncScheduler, VirtualTimeScheduler } from "rxjs";
import { NOT_READY, PrimitiveEvt, type NotReady } from "../src/protocol/evt.js";
import type { Candidate } from "../src/protocol/candidate.js";
import { WaiterQueue } from "../src/protocol/waiter-queue.js";
import { atomically } from "../src/engine/atomic.js";
import {
  currentEvtPseudoRandomGenerator,
  makePseudoRandomGenerator,
  type PseudoRandomGenerator,
} from "../src/engine/random.js";
import { currentScheduler } from "../src/time/clock.js";

/** The observable state of a promise, updated as it settles. */
export interface Tracked<T> {
  status: "pending" | "ok" | "err";
  value: T | undefined;
  error: unknown;
}

/** Tracks `p` (and marks its rejection handled). */
export function track<T>(p: Promise<T>): Tracked<T> {
  const t: Tracked<T> = { status: "pending", value: undefined, error: undefined };
  p.then(
    (v) => {
      t.status = "ok";
      t.value = v;
    },
    (e: unknown) => {
      t.status = "err";
      t.error = e;
    },
  );
  return t;
}

/** Lets every pending promise continuation run (one macrotask turn). */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Awaits `p` and returns what it rejected with; fails if it resolves. */
export async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    const v = await p;
    throw new Error(`expected a rejection, got ${String(v)}`);
  } catch (e) {
    return e;
  }
}

/** A generator that always yields the same rotation offset `k` for lists of length `n`. */
export function fixedOffset(k: number, n: number): PseudoRandomGenerator {
  return () => (k + 0.5) / n;
}

/** A generator that replays `values` (each in [0,1)) cyclically. */
export function scripted(values: number[]): PseudoRandomGenerator {
  let i = 0;
  return () => values[i++ % values.length]!;
}

/** Installs a seeded generator before each test and restores `Math.random` after it. */
export function useSeededRandom(seed = 1): void {
  beforeEach(() => currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(seed)));
  afterEach(() => currentEvtPseudoRandomGenerator(Math.random));
}

/** Installs `g` for the duration of `fn`. */
export async function withGenerator<T>(
  g: PseudoRandomGenerator,
  fn: () => T | Promise<T>,
): Promise<T> {
  const old = currentEvtPseudoRandomGenerator();
  currentEvtPseudoRandomGenerator(g);
  try {
    return await fn();
  } finally {
    currentEvtPseudoRandomGenerator(old);
  }
}

/** A fresh `VirtualTimeScheduler` installed for each test (the real one restored after). */
export function useVirtualTime(): { readonly vts: VirtualTimeScheduler } {
  const box = { vts: new VirtualTimeScheduler() };
  beforeEach(() => {
    box.vts = new VirtualTimeScheduler();
    currentScheduler(box.vts);
  });
  afterEach(() => currentScheduler(asyncScheduler));
  return box;
}

/**
 * A scriptable primitive: ready while `value` is set (polling consumes it unless `sticky`), records
 * every protocol call, and can complete its blocked waiters with {@link Gate.open}.
 */
export class Gate<T = unknown> extends PrimitiveEvt<T> {
  readonly log: string[] = [];
  readonly waiters = new WaiterQueue();
  polls = 0;
  blocks = 0;
  abandons = 0;
  private ready = false;
  private value: T | undefined = undefined;

  constructor(
    readonly name = "gate",
    readonly sticky = false,
  ) {
    super();
  }

  /** Makes the gate ready with `v` (for the next poll), without waking waiters. */
  arm(v: T): this {
    this.ready = true;
    this.value = v;
    return this;
  }

  /** Completes the oldest live waiter with `v` (inside an atomic step); returns whether one took it. */
  open(v: T): boolean {
    return atomically(() => {
      let c: Candidate | null;
      while ((c = this.waiters.shift())) {
        if (c.run.done) continue;
        c.commit(v);
        return true;
      }
      return false;
    });
  }

  poll(_c: Candidate): T | NotReady {
    this.polls++;
    this.log.push("poll");
    if (!this.ready) return NOT_READY;
    if (!this.sticky) this.ready = false;
    return this.value as T;
  }
  block(c: Candidate): void {
    this.blocks++;
    this.log.push("block");
    this.waiters.push(c);
  }
  abandon(c: Candidate): void {
    this.abandons++;
    this.log.push("abandon");
    this.waiters.remove(c);
  }
}

/** Counts how often each value occurs. */
export function histogram<T>(xs: readonly T[]): Map<T, number> {
  const m = new Map<T, number>();
  for (const x of xs) m.set(x, (m.get(x) ?? 0) + 1);
  return m;
}
