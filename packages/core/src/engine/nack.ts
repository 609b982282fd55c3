import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";

/**
 * The NACK event handed to a `nackGuardEvt` maker: ready (for good, result `undefined`) once the sync
 * that ran the maker ends without choosing anything from the maker's event.
 *
 * @example
 * ```ts
 * import { sync, nackGuardEvt, alwaysEvt, neverEvt } from "@rendezvous/core";
 * await sync(alwaysEvt, nackGuardEvt((nack) => { void sync(nack).then(() => console.log("lost")); return neverEvt; }));
 * ```
 */
export class NackEvt extends PrimitiveEvt<void> {
  private fired = false;
  private readonly waiters = new WaiterQueue();

  /** Whether the NACK has fired. */
  get isFired(): boolean {
    return this.fired;
  }

  fire(): void {
    if (this.fired) return;
    this.fired = true;
    let c: Candidate | null;
    while ((c = this.waiters.shift())) if (!c.run.done) c.commit(undefined);
  }

  poll(_c: Candidate): void | NotReady {
    return this.fired ? undefined : NOT_READY;
  }
  block(c: Candidate): void {
    this.waiters.push(c);
  }
  abandon(c: Candidate): void {
    this.waiters.remove(c);
  }
}
