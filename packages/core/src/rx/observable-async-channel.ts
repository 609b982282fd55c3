import type { Subscribable, Subscription, Unsubscribable } from "rxjs";
import { NOT_READY, PrimitiveEvt, RaiseResult, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";
import { atomically } from "../engine/atomic.js";
import { check, contractViolation, isExactPositiveInteger } from "../errors/contract.js";
import { custodianManage } from "../custodian/custodian.js";
import { isSubscribable } from "./from-observable.js";

const WHO = "observable-async-channel";

/**
 * A buffer fed by a (typically hot) observable, made by {@link observableAsyncChannel}. As an event
 * it is ready when a value is buffered, and choosing it takes exactly that one value, the oldest; a
 * get that loses takes nothing.
 *
 * - `limit` values at most are buffered; a value arriving while the buffer is full is **dropped**
 *   (the newest is dropped, as a full socket buffer drops a datagram) and counted in `dropped`.
 *   A value arriving while a get waits goes straight to the oldest waiting get.
 * - When the source **completes**, the values already buffered can still be taken; then the
 *   channel is never ready again, and {@link ObservableAsyncChannel.doneEvt} becomes ready.
 * - When the source **errors**, the values already buffered can still be taken; then every get is
 *   ready and raises that error (and `doneEvt` is ready).
 * - `close()` (or `Symbol.dispose`, or a shutdown of the custodian that was current at creation)
 *   unsubscribes from the source and counts as a completion.
 *
 * @typeParam T - the values carried.
 *
 * @example
 * ```ts
 * import { Subject } from "rxjs";
 * import { observableAsyncChannel, syncTimeout } from "@rendezvous/core";
 * const s = new Subject<number>();
 * using ch = observableAsyncChannel(s, 2);
 * for (const i of [1, 2, 3]) s.next(i);
 * ch.dropped; // 1: the buffer holds two
 * await syncTimeout(0, ch); // 1
 * ```
 */
export class ObservableAsyncChannel<T = unknown> extends PrimitiveEvt<T> {
  /** How many values were dropped because the buffer was full. */
  dropped = 0;
  /** The event that is ready once the source has ended and every buffered value has been taken. */
  readonly doneEvt: PrimitiveEvt<void>;
  private buf: T[] = [];
  private head = 0;
  private ended = false;
  private failed = false;
  private error: unknown = undefined;
  private readonly getters = new WaiterQueue();
  /** @internal */ readonly doneWaiters = new WaiterQueue();
  private sub: Unsubscribable | null = null;
  private reg: Subscription | null = null;
  private closing = false;

  /** @internal */
  constructor(
    source: Subscribable<T>,
    /** The most values buffered at once (`false`: no limit). */
    readonly limit: number | false,
  ) {
    super();
    this.doneEvt = new ObservableDoneEvt(this);
    this.reg = custodianManage(WHO, this, () => this.close());
    const sub = source.subscribe({
      next: (v) => this.arrive(v),
      error: (e: unknown) => this.end(true, e),
      complete: () => this.end(false, undefined),
    });
    if (this.ended) sub.unsubscribe();
    else this.sub = sub;
  }

  /** How many values are buffered. */
  get size(): number {
    return this.buf.length - this.head;
  }

  /** @internal */ get isDone(): boolean {
    return this.ended && this.size === 0;
  }

  /** Unsubscribes from the source; counts as a completion. Idempotent. */
  close(): void {
    if (this.closing) return;
    this.closing = true;
    this.end(false, undefined);
  }

  /** Closes the channel (see {@link ObservableAsyncChannel.close}). */
  [Symbol.dispose](): void {
    this.close();
  }

  private arrive(v: T): void {
    if (this.ended) return;
    atomically(() => {
      // Invariant: no get waits while a value is buffered, so a waiting get takes `v` directly.
      let g: Candidate | null;
      while ((g = this.getters.shift())) {
        if (g.run.done) continue;
        g.commit(v);
        return;
      }
      if (this.limit === false || this.size < this.limit) this.buf.push(v);
      else this.dropped++;
    });
  }

  private end(failed: boolean, error: unknown): void {
    if (this.ended) return;
    this.ended = true;
    this.failed = failed;
    this.error = error;
    const s = this.sub;
    this.sub = null;
    s?.unsubscribe();
    const reg = this.reg;
    this.reg = null;
    reg?.unsubscribe();
    atomically(() => {
      if (this.size > 0) return;
      let g: Candidate | null;
      if (failed)
        while ((g = this.getters.shift())) if (!g.run.done) g.commit(new RaiseResult(error));
      this.wakeDone();
    });
  }

  private wakeDone(): void {
    let c: Candidate | null;
    while ((c = this.doneWaiters.shift())) if (!c.run.done) c.commit(undefined);
  }

  private shift(): T {
    const v = this.buf[this.head]!;
    (this.buf as unknown[])[this.head++] = undefined;
    if (this.head === this.buf.length) {
      this.buf.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.buf.length) {
      this.buf = this.buf.slice(this.head);
      this.head = 0;
    }
    if (this.ended && this.size === 0) this.wakeDone();
    return v;
  }

  poll(_c: Candidate): T | NotReady {
    if (this.size > 0) return this.shift();
    // A RaiseResult stands in for T: the engine raises it instead of delivering it.
    if (this.ended && this.failed) return new RaiseResult(this.error) as T;
    return NOT_READY;
  }
  block(c: Candidate): void {
    this.getters.push(c);
  }
  abandon(c: Candidate): void {
    this.getters.remove(c);
  }
}

/** The class of {@link ObservableAsyncChannel.doneEvt}. */
class ObservableDoneEvt extends PrimitiveEvt<void> {
  constructor(private readonly ch: ObservableAsyncChannel<unknown>) {
    super();
  }
  poll(_c: Candidate): void | NotReady {
    return this.ch.isDone ? undefined : NOT_READY;
  }
  block(c: Candidate): void {
    this.ch.doneWaiters.push(c);
  }
  abandon(c: Candidate): void {
    this.ch.doneWaiters.remove(c);
  }
}

/**
 * Subscribes to `source` now and buffers its values in an {@link ObservableAsyncChannel}, an event
 * whose get commits exactly one value iff chosen: the form of {@link fromObservable} for hot
 * sources, whose values must not be lost between syncs. At most `limit` values are buffered
 * (`false`: no limit); see {@link ObservableAsyncChannel} for what happens to values beyond it, and
 * to the source's completion and errors. The subscription is managed by the current custodian.
 *
 * @throws {@link ExnFailContract} if `source` has no `subscribe` method or `limit` is neither
 * `false` nor an exact positive integer.
 *
 * @example
 * ```ts
 * import { Subject } from "rxjs";
 * import { sync, syncTimeout, observableAsyncChannel } from "@rendezvous/core";
 * const clicks = new Subject<string>();
 * const ch = observableAsyncChannel(clicks, 100);
 * clicks.next("a");
 * clicks.next("b");
 * await sync(ch); // "a"
 * await syncTimeout(0, ch); // "b"
 * await syncTimeout(0, ch); // false: nothing buffered
 * ch.close();
 * ```
 */
export function observableAsyncChannel<T>(
  source: Subscribable<T>,
  limit: number | false = false,
): ObservableAsyncChannel<T> {
  if (!isSubscribable(source)) throw contractViolation(WHO, "Subscribable", source, 1);
  const l = limit === undefined ? false : limit;
  check(
    l === false || isExactPositiveInteger(l),
    WHO,
    "(or/c #f exact-positive-integer?)",
    limit,
    2,
  );
  return new ObservableAsyncChannel<T>(source, l);
}
