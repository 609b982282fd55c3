// A thread's mailbox: the FIFO behind threadSend / threadReceive, and the waiters of the two events
// that watch it (a receive, which dequeues, and the receive event, which only looks).
import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";
import { atomically } from "../engine/atomic.js";

/** A thread's message queue. @internal */
export class Mailbox {
  private q: unknown[] = [];
  private head = 0;
  /** Blocked receives and receive events, first come first served. */
  readonly waiters = new WaiterQueue();
  /** The event that dequeues one message when chosen (what `threadReceive` syncs on). */
  readonly takeEvt = new MailboxTakeEvt(this);

  get size(): number {
    return this.q.length - this.head;
  }

  /** Dequeues the oldest message; the caller checked `size > 0`. */
  shift(): unknown {
    const v = this.q[this.head];
    this.q[this.head++] = undefined;
    if (this.head === this.q.length) {
      this.q.length = 0;
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.q.length) {
      this.q = this.q.slice(this.head);
      this.head = 0;
    }
    return v;
  }

  /** Enqueues `v`, then wakes waiters: watchers at the head without consuming, then one receive. */
  push(v: unknown): void {
    atomically(() => {
      this.q.push(v);
      let c: Candidate | null;
      while (this.size > 0 && (c = this.waiters.shift())) {
        if (c.run.done) continue;
        if (c.prim === this.takeEvt) c.commit(this.shift());
        else c.commit(c.prim);
      }
    });
  }

  /** Drops every message (the thread died: nothing can receive them any more). */
  clear(): void {
    this.q = [];
    this.head = 0;
  }
}

/** Ready when the mailbox is non-empty; choosing it dequeues one message, its result. @internal */
export class MailboxTakeEvt extends PrimitiveEvt<unknown> {
  constructor(private readonly mailbox: Mailbox) {
    super();
  }
  poll(_c: Candidate): unknown {
    return this.mailbox.size > 0 ? this.mailbox.shift() : NOT_READY;
  }
  block(c: Candidate): void {
    this.mailbox.waiters.push(c);
  }
  abandon(c: Candidate): void {
    this.mailbox.waiters.remove(c);
  }
}

/**
 * The class of {@link threadReceiveEvt}'s one event: ready when the mailbox of the thread that
 * syncs on it is non-empty; its result is the event itself; it dequeues nothing.
 *
 * @example
 * ```ts
 * import { threadReceiveEvt, ThreadReceiveEvt } from "@rendezvous/core";
 * threadReceiveEvt() instanceof ThreadReceiveEvt; // true
 * ```
 */
export class ThreadReceiveEvt extends PrimitiveEvt<ThreadReceiveEvt> {
  /** @internal */
  constructor(private readonly mailboxOfSyncer: () => Mailbox) {
    super();
  }
  poll(c: Candidate): ThreadReceiveEvt | NotReady {
    const m = this.mailboxOfSyncer();
    if (m.size > 0) return this;
    // Remembered for `block` and `abandon`, which may run in another context.
    c.data = m;
    return NOT_READY;
  }
  block(c: Candidate): void {
    (c.data as Mailbox).waiters.push(c);
  }
  abandon(c: Candidate): void {
    (c.data as Mailbox).waiters.remove(c);
  }
}
