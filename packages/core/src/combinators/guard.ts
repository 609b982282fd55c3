import type { Evt } from "../protocol/evt.js";
import { PollGuardEvt } from "../protocol/nodes.js";
import { checkProcedure } from "../errors/contract.js";

/**
 * An event generator (Racket's `guard-evt`): each time a sync reaches it, `maker()` is called and
 * the event it returns stands in for the guard. It runs lazily — at most once per occurrence per
 * sync, and not at all if another event is chosen first. A non-event result makes the guard ready
 * with the guard itself as its result.
 *
 * @example
 * ```ts
 * import { sync, guardEvt, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";
 * // A timeout measured from each sync, not from when the event was made:
 * const in50ms = guardEvt(() => alarmEvt(currentInexactMilliseconds() + 50));
 * await sync(in50ms);
 * ```
 */
export function guardEvt<T>(maker: () => Evt<T>): Evt<T>;
export function guardEvt(maker: () => unknown): Evt<unknown>;
export function guardEvt(maker: () => unknown): Evt<unknown> {
  checkProcedure("guard-evt", maker, 1);
  return new PollGuardEvt(() => maker());
}

/**
 * Like {@link guardEvt}, but `maker` receives `true` when the sync is a poll (`syncTimeout(0, …)`
 * or a thunk timeout) and `false` when it may block (Racket's `poll-guard-evt`).
 *
 * @example
 * ```ts
 * import { syncTimeout, pollGuardEvt, wrapEvt, alwaysEvt } from "@rendezvous/core";
 * const e = pollGuardEvt((isPoll) => wrapEvt(alwaysEvt, () => isPoll));
 * await syncTimeout(0, e); // true
 * ```
 */
export function pollGuardEvt<T>(maker: (isPoll: boolean) => Evt<T>): Evt<T>;
export function pollGuardEvt(maker: (isPoll: boolean) => unknown): Evt<unknown>;
export function pollGuardEvt(maker: (isPoll: boolean) => unknown): Evt<unknown> {
  checkProcedure("poll-guard-evt", maker, 1);
  return new PollGuardEvt(maker);
}
