import type { SchedulerLike, Subscription } from "rxjs";
import { atomically } from "../engine/atomic.js";

// setTimeout's limit: a longer delay is run after 1 ms instead, so far deadlines are approached
// in steps of at most this.
const MAX_DELAY = 2 ** 31 - 1;

/** A pending timer of a {@link TimerQueue}. @internal */
export interface Timer {
  at: number;
  index: number;
  cb: () => void;
}

/**
 * Deadlines kept in a binary min-heap behind a single scheduled action: 10,000 alarms cost one
 * scheduler timer, and cancelling a losing alarm removes it at once (no dead entries keep the
 * process alive).
 * @internal
 */
export class TimerQueue {
  private heap: Timer[] = [];
  private action: Subscription | null = null;
  private actionAt = Infinity;

  constructor(
    private readonly scheduler: SchedulerLike,
    private readonly now: () => number,
  ) {}

  get size(): number {
    return this.heap.length;
  }

  add(at: number, cb: () => void): Timer {
    const t: Timer = { at, index: this.heap.length, cb };
    this.heap.push(t);
    this.up(t.index);
    if (this.heap[0] === t) this.arm();
    return t;
  }

  cancel(t: Timer): void {
    const i = t.index;
    if (i < 0 || this.heap[i] !== t) return;
    t.index = -1;
    const last = this.heap.pop()!;
    if (i < this.heap.length) {
      this.heap[i] = last;
      last.index = i;
      this.down(i);
      this.up(last.index);
    }
    if (this.heap.length === 0) this.disarm();
  }

  private arm(): void {
    const first = this.heap[0];
    // Timers at Infinity are never due: nothing to schedule for them.
    if (!first || first.at === Infinity) return this.disarm();
    if (this.action && this.actionAt <= first.at) return;
    this.disarm();
    this.actionAt = first.at;
    // Round up: a timer that fires a fraction of a millisecond early would only be re-armed.
    const delay = Math.min(MAX_DELAY, Math.max(0, Math.ceil(first.at - this.now())));
    this.action = this.scheduler.schedule(() => this.fire(), delay);
  }

  private disarm(): void {
    if (this.action) {
      const a = this.action;
      this.action = null;
      a.unsubscribe();
    }
    this.actionAt = Infinity;
  }

  private fire(): void {
    this.action = null;
    this.actionAt = Infinity;
    atomically(() => {
      const now = this.now();
      let first: Timer | undefined;
      while ((first = this.heap[0]) && first.at <= now) {
        this.cancel(first);
        first.cb();
      }
    });
    this.arm();
  }

  private up(i: number): void {
    const h = this.heap;
    const t = h[i]!;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = h[p]!;
      if (pt.at <= t.at) break;
      h[i] = pt;
      pt.index = i;
      i = p;
    }
    h[i] = t;
    t.index = i;
  }

  private down(i: number): void {
    const h = this.heap;
    const n = h.length;
    const t = h[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && h[r]!.at < h[l]!.at ? r : l;
      const ct = h[c]!;
      if (ct.at >= t.at) break;
      h[i] = ct;
      ct.index = i;
      i = c;
    }
    h[i] = t;
    t.index = i;
  }
}
