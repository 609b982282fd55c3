import type { Evt } from "../protocol/evt.js";
import { NackGuardEvt } from "../protocol/nodes.js";
import { checkProcedure } from "../errors/contract.js";

/**
 * Like {@link guardEvt}, but `maker` receives a NACK event (Racket's `nack-guard-evt`). The NACK
 * becomes ready — for good, result `undefined` — when the sync that called `maker` ends **without
 * choosing anything inside `maker`'s event**: another event chosen, a timeout, a poll that found
 * nothing, an exception, a break or a kill. It never becomes ready when something in the guard's
 * event is chosen. Use it to cancel work started for a branch that lost.
 *
 * @example
 * ```ts
 * import { sync, nackGuardEvt, neverEvt, alwaysEvt, thread } from "@rendezvous/core";
 * let cancelled = false;
 * const request = nackGuardEvt((nack) => {
 *   void sync(nack).then(() => { cancelled = true; }); // stop the request when this branch loses
 *   return neverEvt;
 * });
 * await sync(request, alwaysEvt); // alwaysEvt wins
 * // soon after: cancelled === true
 * ```
 */
export function nackGuardEvt<T>(maker: (nack: Evt<void>) => Evt<T>): Evt<T>;
export function nackGuardEvt(maker: (nack: Evt<void>) => unknown): Evt<unknown>;
export function nackGuardEvt(maker: (nack: Evt<void>) => unknown): Evt<unknown> {
  checkProcedure("nack-guard-evt", maker, 1);
  return new NackGuardEvt(maker);
}
