import type { Candidate } from "./candidate.js";

/**
 * A FIFO of blocked candidates with O(1) removal (intrusive links), so a waiter that loses or is
 * abandoned leaves at once instead of lingering until the queue is drained.
 *
 * Wake-up loops must re-read `head` after each commit: committing one waiter may abandon (remove)
 * others from this very queue.
 *
 * @example
 * ```ts
 * import { WaiterQueue } from "@rendezvous/core/protocol";
 * const q = new WaiterQueue();
 * q.size; // 0
 * ```
 */
export class WaiterQueue {
  head: Candidate | null = null;
  tail: Candidate | null = null;
  size = 0;

  /** Appends `c`, and tells the waiter it lands behind (see {@link Candidate.skipped}). */
  push(c: Candidate): void {
    const t = this.tail;
    c.queue = this;
    c.qnext = null;
    c.qprev = t;
    if (t) t.qnext = c;
    else this.head = c;
    this.tail = c;
    this.size++;
    // A standing waiter keeps its place between syncs (engine/standing.ts): once someone queues
    // behind it, its next sync must re-register it at the back, or it would jump the queue.
    if (t) t.skipped();
  }

  /** Removes `c` if it is in this queue; idempotent. */
  remove(c: Candidate): void {
    if (c.queue !== this) return;
    const { qprev, qnext } = c;
    if (qprev) qprev.qnext = qnext;
    else this.head = qnext;
    if (qnext) qnext.qprev = qprev;
    else this.tail = qprev;
    c.queue = c.qprev = c.qnext = null;
    this.size--;
  }

  /** Removes and returns the oldest waiter, or `null`. */
  shift(): Candidate | null {
    const c = this.head;
    if (c) this.remove(c);
    return c;
  }
}
