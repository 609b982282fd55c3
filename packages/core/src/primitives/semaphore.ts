import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";
import { atomically } from "../engine/atomic.js";
import { sync, syncVoid, pollNow } from "../engine/sync.js";
import { check, checkProcedure, isExactNonnegativeInteger } from "../errors/contract.js";

/**
 * A counting semaphore; as an event, it is ready when its count is positive, and choosing it
 * decrements the count (Racket's semaphore). Its result is the semaphore. Waiters (blocked
 * `semaphoreWait`s and syncs) are served first come, first served.
 *
 * @example
 * ```ts
 * import { makeSemaphore, Semaphore, sync } from "@rendezvous/core";
 * const s: Semaphore = makeSemaphore(1);
 * (await sync(s)) === s; // true: the count is now 0
 * ```
 */
export class Semaphore extends PrimitiveEvt<Semaphore> {
  /** @internal */ count: number;
  /** @internal */ readonly waiters = new WaiterQueue();

  /** @internal */
  constructor(init: number) {
    super();
    this.count = init;
  }

  poll(_c: Candidate): Semaphore | NotReady {
    if (this.count > 0) {
      this.count--;
      return this;
    }
    return NOT_READY;
  }
  block(c: Candidate): void {
    this.waiters.push(c);
  }
  abandon(c: Candidate): void {
    this.waiters.remove(c);
  }
  override get supportsStanding(): boolean {
    return true;
  }

  /** @internal */
  post(): void {
    atomically(() => {
      this.count++;
      // FIFO: peekers at the head are woken without consuming; the first real waiter consumes.
      let c: Candidate | null;
      while (this.count > 0 && (c = this.waiters.shift())) {
        if (c.run.done) {
          c.skipped();
          continue;
        }
        if (c.prim === this) {
          this.count--;
          c.commit(this);
        } else {
          c.commit(c.prim);
        }
      }
    });
  }
}

/** The class of {@link semaphorePeekEvt}'s events: ready when the count is positive; never consumes.
 *
 * @example
 * ```ts
 * import { makeSemaphore, semaphorePeekEvt, SemaphorePeekEvt } from "@rendezvous/core";
 * semaphorePeekEvt(makeSemaphore()) instanceof SemaphorePeekEvt; // true
 * ```
 */
export class SemaphorePeekEvt extends PrimitiveEvt<SemaphorePeekEvt> {
  /** @internal */
  constructor(readonly semaphore: Semaphore) {
    super();
  }
  poll(_c: Candidate): SemaphorePeekEvt | NotReady {
    return this.semaphore.count > 0 ? this : NOT_READY;
  }
  block(c: Candidate): void {
    this.semaphore.waiters.push(c);
  }
  abandon(c: Candidate): void {
    this.semaphore.waiters.remove(c);
  }
  override get supportsStanding(): boolean {
    return true;
  }
}

const WHO_SEM = "semaphore?";

/**
 * Makes a semaphore with count `init` (Racket's `make-semaphore`).
 *
 * @throws {@link ExnFailContract} unless `init` is an exact non-negative integer.
 *
 * @example
 * ```ts
 * import { makeSemaphore, semaphoreWait, semaphorePost } from "@rendezvous/core";
 * const s = makeSemaphore(0);
 * const waiting = semaphoreWait(s);
 * semaphorePost(s);
 * await waiting;
 * ```
 */
export function makeSemaphore(init: number = 0): Semaphore {
  check(isExactNonnegativeInteger(init), "make-semaphore", "exact-nonnegative-integer?", init, 1);
  return new Semaphore(init);
}

/**
 * `true` if `v` is a semaphore.
 * @example
 * ```ts
 * import { isSemaphore, makeSemaphore } from "@rendezvous/core";
 * isSemaphore(makeSemaphore()); // true
 * ```
 */
export function isSemaphore(v: unknown): v is Semaphore {
  return v instanceof Semaphore;
}

/**
 * Increments the count, waking the oldest waiter if any (Racket's `semaphore-post`).
 * @example
 * ```ts
 * import { makeSemaphore, semaphorePost, semaphoreTryWait } from "@rendezvous/core";
 * const s = makeSemaphore();
 * semaphorePost(s);
 * semaphoreTryWait(s); // true
 * ```
 */
export function semaphorePost(s: Semaphore): void {
  check(s instanceof Semaphore, "semaphore-post", WHO_SEM, s, 1);
  s.post();
}

/**
 * Waits until the count is positive, then decrements it (Racket's `semaphore-wait`).
 * @example
 * ```ts
 * import { makeSemaphore, semaphoreWait } from "@rendezvous/core";
 * await semaphoreWait(makeSemaphore(1)); // at once
 * ```
 */
export function semaphoreWait(s: Semaphore): Promise<void> {
  try {
    check(s instanceof Semaphore, "semaphore-wait", WHO_SEM, s, 1);
  } catch (e) {
    return Promise.reject(e);
  }
  return syncVoid(s);
}

/**
 * Decrements the count if it is positive and returns `true`; otherwise returns `false` at once
 * (Racket's `semaphore-try-wait?`).
 * @example
 * ```ts
 * import { makeSemaphore, semaphoreTryWait } from "@rendezvous/core";
 * semaphoreTryWait(makeSemaphore(0)); // false
 * ```
 */
export function semaphoreTryWait(s: Semaphore): boolean {
  check(s instanceof Semaphore, "semaphore-try-wait?", WHO_SEM, s, 1);
  return pollNow([s], false) !== false;
}

/**
 * Like {@link semaphoreWait}, but aborting `signal` breaks the wait with {@link ExnBreak}
 * (Racket's `semaphore-wait/enable-break`); the count is decremented iff the promise resolves.
 * @example
 * ```ts
 * import { makeSemaphore, semaphoreWaitEnableBreak } from "@rendezvous/core";
 * const ac = new AbortController();
 * const p = semaphoreWaitEnableBreak(ac.signal, makeSemaphore(0));
 * ac.abort(); // p rejects with ExnBreak
 * ```
 */
export function semaphoreWaitEnableBreak(signal: AbortSignal, s: Semaphore): Promise<void> {
  try {
    check(signal instanceof AbortSignal, "semaphore-wait/enable-break", "AbortSignal", signal, 1);
    check(s instanceof Semaphore, "semaphore-wait/enable-break", WHO_SEM, s, 2);
  } catch (e) {
    return Promise.reject(e);
  }
  return syncVoid(s, signal);
}

/**
 * An event that is ready when `s`'s count is positive, without decrementing it (Racket's
 * `semaphore-peek-evt`); its result is the peek event itself.
 * @example
 * ```ts
 * import { makeSemaphore, semaphorePeekEvt, sync, semaphoreTryWait } from "@rendezvous/core";
 * const s = makeSemaphore(1);
 * await sync(semaphorePeekEvt(s));
 * semaphoreTryWait(s); // true: peeking consumed nothing
 * ```
 */
export function semaphorePeekEvt(s: Semaphore): SemaphorePeekEvt {
  check(s instanceof Semaphore, "semaphore-peek-evt", WHO_SEM, s, 1);
  return new SemaphorePeekEvt(s);
}

/**
 * `true` if `v` was made by {@link semaphorePeekEvt}.
 * @example
 * ```ts
 * import { isSemaphorePeekEvt, semaphorePeekEvt, makeSemaphore } from "@rendezvous/core";
 * isSemaphorePeekEvt(semaphorePeekEvt(makeSemaphore())); // true
 * ```
 */
export function isSemaphorePeekEvt(v: unknown): v is SemaphorePeekEvt {
  return v instanceof SemaphorePeekEvt;
}

/**
 * Waits on `s`, calls `proc(...args)` (which may be async), and posts `s` when it settles, even by
 * an exception (Racket's `call-with-semaphore`). With `tryFailThunk` (not `false`), a semaphore that
 * is not immediately available makes it call `tryFailThunk()` instead, without waiting.
 *
 * @example
 * ```ts
 * import { makeSemaphore, callWithSemaphore } from "@rendezvous/core";
 * const lock = makeSemaphore(1);
 * await callWithSemaphore(lock, async (x: number) => x * 2, false, 21); // 42
 * ```
 */
export async function callWithSemaphore<A extends unknown[], R, F = never>(
  s: Semaphore,
  proc: (...args: A) => R | PromiseLike<R>,
  tryFailThunk: false | (() => F) = false,
  ...args: A
): Promise<R | F> {
  check(s instanceof Semaphore, "call-with-semaphore", WHO_SEM, s, 1);
  checkProcedure("call-with-semaphore", proc, 2);
  if (tryFailThunk !== false && tryFailThunk !== undefined) {
    checkProcedure("call-with-semaphore", tryFailThunk, 3);
    if (!semaphoreTryWait(s)) return tryFailThunk();
  } else {
    await sync(s);
  }
  try {
    return await proc(...args);
  } finally {
    s.post();
  }
}
