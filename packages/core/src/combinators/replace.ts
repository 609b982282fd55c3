import type { Evt, Syncable, EvtResult } from "../protocol/evt.js";
import { ReplaceEvt } from "../protocol/nodes.js";
import { isEvt } from "../engine/sync-run.js";
import { contractViolation, checkProcedure } from "../errors/contract.js";

/**
 * An event that first synchronizes `evt` and then, with its result, the event `maker` returns
 * (Racket's `replace-evt`). `evt` is committed in a nested sync as soon as it is ready — even if
 * the outer sync then chooses something else (the single-choice guarantee covers only the
 * replacement). A non-event from `maker` makes the replace-evt ready with itself.
 *
 * @example
 * ```ts
 * import { sync, replaceEvt, makeSemaphore, wrapEvt, alwaysEvt } from "@rendezvous/core";
 * const s = makeSemaphore(1);
 * await sync(replaceEvt(s, () => wrapEvt(alwaysEvt, () => "acquired, then replaced"))); // "acquired, then replaced"
 * ```
 */
export function replaceEvt<E extends Syncable, R>(
  evt: E,
  maker: (v: EvtResult<E>) => Evt<R>,
): Evt<R>;
export function replaceEvt<E extends Syncable>(
  evt: E,
  maker: (v: EvtResult<E>) => unknown,
): Evt<unknown>;
export function replaceEvt(evt: Syncable, maker: (v: any) => unknown): Evt<unknown> {
  if (!isEvt(evt)) throw contractViolation("replace-evt", "evt?", evt, 1);
  checkProcedure("replace-evt", maker, 2);
  return new ReplaceEvt(evt, maker);
}
