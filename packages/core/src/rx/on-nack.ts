// Runs a callback when a NACK fires, without a sync of its own: a top-level sync would go through
// the thread layer (a killed thread could not start it, and breakThread could pick it).
import type { Evt } from "../protocol/evt.js";
import { Candidate } from "../protocol/candidate.js";
import { SyncRun } from "../engine/sync-run.js";
import type { NackEvt } from "../engine/nack.js";

function ignore(): void {}

/**
 * Calls `cb` (after the atomic step in which it happens) when `nack` — the NACK a `nackGuardEvt`
 * maker received — fires. A bare waiter is registered on the NACK, standing for a sync that never
 * does anything else.
 * @internal
 */
export function onNack(nack: Evt<void>, cb: () => void): void {
  const n = nack as NackEvt;
  const run = new SyncRun(false, cb, ignore);
  const c = new Candidate(run, n, null, null);
  c.prim = n;
  c.blocked = true;
  n.block(c);
}
