import type { Evt, Syncable, EvtResult } from "../protocol/evt.js";
import { ChoiceEvt, HandleEvt } from "../protocol/nodes.js";
import { isEvt } from "../engine/sync-run.js";
import { contractViolation, checkProcedure } from "../errors/contract.js";

/**
 * Like {@link wrapEvt}, but `f` runs on a fresh stack after the commit (Racket runs it in tail
 * position) and may be async: its (awaited) value is the sync's result. A loop in which each
 * handler syncs again runs in constant stack.
 *
 * @example
 * ```ts
 * import { sync, handleEvt, alwaysEvt } from "@rendezvous/core";
 * const count = (n: number): Promise<number> =>
 *   sync(handleEvt(alwaysEvt, () => (n === 0 ? 0 : count(n - 1))));
 * await count(100_000); // 0, without a stack overflow
 * ```
 */
export function handleEvt<E extends Syncable, R>(
  evt: E,
  f: (v: EvtResult<E>) => R | PromiseLike<R>,
): Evt<R> {
  if (!isEvt(evt)) throw contractViolation("handle-evt", "evt?", evt, 1);
  checkProcedure("handle-evt", f, 2);
  return new HandleEvt(evt, f) as Evt<R>;
}

/**
 * `true` for an event made by {@link handleEvt}, or a {@link choiceEvt} that contains one (Racket's
 * `handle-evt?`); `false` for a `wrapEvt` around a handle.
 *
 * @example
 * ```ts
 * import { isHandleEvt, handleEvt, wrapEvt, choiceEvt, alwaysEvt } from "@rendezvous/core";
 * isHandleEvt(choiceEvt(alwaysEvt, handleEvt(alwaysEvt, () => 1))); // true
 * isHandleEvt(wrapEvt(handleEvt(alwaysEvt, () => 1), (x) => x)); // false
 * ```
 */
export function isHandleEvt(v: unknown): boolean {
  if (v instanceof HandleEvt) return true;
  return v instanceof ChoiceEvt && v.evts.some(isHandleEvt);
}
