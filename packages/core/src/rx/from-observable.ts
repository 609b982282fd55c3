import type { Subscribable, Unsubscribable } from "rxjs";
import { NOT_READY, PrimitiveEvt, RaiseResult, type Evt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { atomically } from "../engine/atomic.js";
import { nackGuardEvt } from "../combinators/nack-guard.js";
import { contractViolation } from "../errors/contract.js";
import { ExnFail } from "../errors/exn.js";
import { onNack } from "./on-nack.js";

const WAITING = 0;
const VALUE = 1;
const ERROR = 2;
const COMPLETE = 3;
const FINISHED = 4;
type Signal = typeof VALUE | typeof ERROR | typeof COMPLETE;

/**
 * One sync's subscription to the source: ready with the first value (or raising the source's
 * error), committed iff that sync is still undecided when it arrives.
 */
class FirstValueEvt<T> extends PrimitiveEvt<T> {
  private state: typeof WAITING | Signal | typeof FINISHED = WAITING;
  private payload: unknown = undefined;
  private waiter: Candidate | null = null;
  private sub: Unsubscribable | null = null;
  private disposed = false;

  subscribe(source: Subscribable<T>): void {
    const sub = source.subscribe({
      next: (v) => this.arrive(VALUE, v),
      error: (e: unknown) => this.arrive(ERROR, e),
      complete: () => this.arrive(COMPLETE, undefined),
    });
    // A source that emitted during `subscribe` is unsubscribed as soon as we hold its handle.
    if (this.disposed) sub.unsubscribe();
    else this.sub = sub;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    const s = this.sub;
    this.sub = null;
    s?.unsubscribe();
  }

  private arrive(kind: Signal, v: unknown): void {
    if (this.state !== WAITING) return;
    atomically(() => {
      const c = this.waiter;
      if (c) {
        this.waiter = null;
        this.state = FINISHED;
        // Committed iff the sync is undecided; otherwise it chose something else and drops this.
        if (!c.run.done) c.commit(outcome(kind, v));
      } else {
        this.state = kind;
        this.payload = v;
      }
    });
    this.dispose();
  }

  poll(_c: Candidate): T | NotReady {
    const s = this.state;
    if (s === WAITING || s === FINISHED) return NOT_READY;
    this.state = FINISHED;
    this.dispose();
    // A RaiseResult stands in for T: the engine raises it instead of delivering it.
    return outcome(s, this.payload) as T;
  }
  block(c: Candidate): void {
    this.waiter = c;
  }
  abandon(c: Candidate): void {
    if (this.waiter === c) this.waiter = null;
  }
}

function outcome(kind: Signal, v: unknown): unknown {
  if (kind === VALUE) return v;
  if (kind === ERROR) return new RaiseResult(v);
  return new RaiseResult(new ExnFail("from-observable: the observable completed without a value"));
}

/** `true` for an RxJS `Observable` or anything else with a `subscribe(observer)` method. */
export function isSubscribable(v: unknown): v is Subscribable<unknown> {
  return (
    v !== null &&
    (typeof v === "object" || typeof v === "function") &&
    typeof (v as { subscribe?: unknown }).subscribe === "function"
  );
}

/**
 * An event backed by an RxJS observable (any `Subscribable`): **every sync subscribes afresh** —
 * when the sync reaches the event — and the event becomes ready with the source's first value.
 * The subscription ends with the sync, whichever way it ends: after the first value when this event
 * is chosen, and at once when another event is chosen, the sync times out, fails, is broken or
 * cancelled (the event is a `nackGuardEvt`). So a losing branch cancels an HTTP request or a timer.
 *
 * Buffering: none. A value is committed iff the sync is still undecided when it arrives; values
 * after the first, and a value arriving after the sync chose something else, are dropped with the
 * subscription (for a hot source whose values must not be lost, use
 * {@link observableAsyncChannel}). A source that emits during `subscribe` makes the event ready at
 * once, also in a poll (`syncTimeout(0, …)`).
 *
 * If the source errors before its first value, the event is ready and raises that error when
 * chosen; if it completes without a value, it raises {@link ExnFail}
 * `"from-observable: the observable completed without a value"`.
 *
 * @throws {@link ExnFailContract} if `source` has no `subscribe` method.
 *
 * @example
 * ```ts
 * import { timer, map } from "rxjs";
 * import { sync, fromObservable, makeChannel } from "@rendezvous/core";
 * const timeout = fromObservable(timer(50).pipe(map(() => "timeout" as const)));
 * // Whichever comes first; the losing timer is unsubscribed.
 * await sync(makeChannel<string>(), timeout); // "timeout"
 * ```
 */
export function fromObservable<T>(source: Subscribable<T>): Evt<T> {
  if (!isSubscribable(source))
    throw contractViolation("from-observable", "Subscribable", source, 1);
  return nackGuardEvt((nack) => {
    const evt = new FirstValueEvt<T>();
    onNack(nack, () => evt.dispose());
    evt.subscribe(source);
    return evt;
  });
}
