import type { Evt, Syncable, EvtResult } from "../protocol/evt.js";
import { ChoiceEvt } from "../protocol/nodes.js";
import { isEvt } from "../engine/sync-run.js";
import { contractViolation } from "../errors/contract.js";

/**
 * An event that is ready when any of `evts` is; its result is the chosen event's result (Racket's
 * `choice-evt`). `sync` flattens nested choices, so `sync(choiceEvt(a, b), c)` picks each of three
 * ready events with probability 1/3. `choiceEvt()` is never ready.
 *
 * @example
 * ```ts
 * import { sync, choiceEvt, wrapEvt, alwaysEvt, neverEvt } from "@rendezvous/core";
 * await sync(choiceEvt(neverEvt, wrapEvt(alwaysEvt, () => 1))); // 1
 * ```
 */
export function choiceEvt<E extends readonly Syncable[]>(...evts: E): Evt<EvtResult<E[number]>> {
  for (let i = 0; i < evts.length; i++) {
    if (!isEvt(evts[i])) throw contractViolation("choice-evt", "evt?", evts[i], i + 1);
  }
  return new ChoiceEvt(evts.slice());
}
