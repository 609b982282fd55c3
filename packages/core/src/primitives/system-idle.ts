import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";
import { atomically } from "../engine/atomic.js";

class SystemIdleEvt extends PrimitiveEvt<void> {
  private readonly waiters = new WaiterQueue();
  private scheduled = false;

  poll(_c: Candidate): void | NotReady {
    return NOT_READY;
  }
  block(c: Candidate): void {
    this.waiters.push(c);
    if (!this.scheduled) {
      this.scheduled = true;
      // The check phase runs after every pending promise continuation and I/O callback of this
      // loop turn: Node's nearest notion of "no other thread can run".
      setImmediate(() => this.wake());
    }
  }
  abandon(c: Candidate): void {
    this.waiters.remove(c);
  }
  private wake(): void {
    this.scheduled = false;
    atomically(() => {
      let c: Candidate | null;
      while ((c = this.waiters.shift())) if (!c.run.done) c.commit(undefined);
    });
  }
}

const idle = new SystemIdleEvt();

/**
 * Returns the event that is ready when the system is idle (Racket's `system-idle-evt`): here,
 * when Node reaches the check phase of its event loop after every pending promise continuation and
 * I/O callback of the current turn has run. Its result is `undefined`. Always the same object.
 * A poll never finds it ready (the polling code itself is running).
 *
 * @example
 * ```ts
 * import { sync, systemIdleEvt } from "@rendezvous/core";
 * await sync(systemIdleEvt()); // after other ready work has run
 * ```
 */
export function systemIdleEvt(): PrimitiveEvt<void> {
  return idle;
}
