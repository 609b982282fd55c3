import type { Evt, Syncable, EvtResult } from "../protocol/evt.js";
import { WrapEvt } from "../protocol/nodes.js";
import { isEvt } from "../engine/sync-run.js";
import { contractViolation, checkProcedure } from "../errors/contract.js";

/**
 * An event that is ready when `evt` is; after `evt` is committed, `f` is applied to its result and
 * `f`'s value is the synchronization result (Racket's `wrap-evt`). Wraps apply inside-out, after
 * the commit; an exception from `f` rejects the sync (the commit stands).
 *
 * @example
 * ```ts
 * import { sync, wrapEvt, alwaysEvt } from "@rendezvous/core";
 * await sync(wrapEvt(wrapEvt(alwaysEvt, () => 20), (n) => n + 1)); // 21
 * ```
 */
export function wrapEvt<E extends Syncable, R>(evt: E, f: (v: EvtResult<E>) => R): Evt<R> {
  if (!isEvt(evt)) throw contractViolation("wrap-evt", "evt?", evt, 1);
  checkProcedure("wrap-evt", f, 2);
  return new WrapEvt(evt, f);
}
