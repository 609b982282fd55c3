// The only module that reads time or schedules wake-ups. Everything goes through an RxJS
// SchedulerLike, so an RxJS VirtualTimeScheduler/TestScheduler turns every alarm and timeout into
// virtual time.
import { asyncScheduler, type SchedulerLike } from "rxjs";
import { TimerQueue } from "./timer-queue.js";
import { check } from "../errors/contract.js";

let scheduler: SchedulerLike = asyncScheduler;
// Weak: a test's discarded TestScheduler takes its queues with it.
const queues = new WeakMap<SchedulerLike, { real: TimerQueue; mono: TimerQueue }>();

function defaultClock(): boolean {
  return scheduler === asyncScheduler;
}

/**
 * Returns the current time in milliseconds since the epoch, as a float (Racket's
 * `current-inexact-milliseconds`), read from the current scheduler.
 *
 * @example
 * ```ts
 * import { currentInexactMilliseconds, alarmEvt, sync } from "@rendezvous/core";
 * await sync(alarmEvt(currentInexactMilliseconds() + 10)); // about 10 ms later
 * ```
 */
export function currentInexactMilliseconds(): number {
  return scheduler.now();
}

/**
 * Returns milliseconds on a monotonic clock (Racket's `current-inexact-monotonic-milliseconds`):
 * `performance.now()` with the default scheduler, the scheduler's own time otherwise.
 *
 * @example
 * ```ts
 * import { currentInexactMonotonicMilliseconds, alarmEvt, sync } from "@rendezvous/core";
 * await sync(alarmEvt(currentInexactMonotonicMilliseconds() + 10, true));
 * ```
 */
export function currentInexactMonotonicMilliseconds(): number {
  return defaultClock() ? performance.now() : scheduler.now();
}

/**
 * Gets, or sets, the RxJS scheduler through which Rendezvous reads time and schedules alarms and
 * timeouts (default: RxJS `asyncScheduler`). Install a `TestScheduler` (or any
 * `VirtualTimeScheduler`) to run time-shaped code in virtual time.
 *
 * @example
 * ```ts
 * import { VirtualTimeScheduler } from "rxjs";
 * import { currentScheduler, alarmEvt, sync } from "@rendezvous/core";
 * const vts = new VirtualTimeScheduler();
 * currentScheduler(vts);
 * const p = sync(alarmEvt(1000));
 * vts.flush(); // virtual time jumps to 1000; p resolves
 * ```
 */
export function currentScheduler(): SchedulerLike;
export function currentScheduler(s: SchedulerLike): void;
export function currentScheduler(s?: SchedulerLike): SchedulerLike | void {
  if (s === undefined) return scheduler;
  check(
    typeof s === "object" &&
      s !== null &&
      typeof s.now === "function" &&
      typeof s.schedule === "function",
    "current-scheduler",
    "SchedulerLike",
    s,
  );
  scheduler = s;
}

function queuesFor(): { real: TimerQueue; mono: TimerQueue } {
  let q = queues.get(scheduler);
  if (!q) {
    const s = scheduler;
    const mono = s === asyncScheduler ? () => performance.now() : () => s.now();
    q = { real: new TimerQueue(s, () => s.now()), mono: new TimerQueue(s, mono) };
    queues.set(s, q);
  }
  return q;
}

/** A handle to cancel a wake-up. @internal */
export interface WakeUp {
  cancel(): void;
}

/**
 * Calls `cb` (inside an atomic step) once the clock reaches `at` ms: the monotonic clock when
 * `monotonic`, the epoch clock otherwise.
 * @internal
 *
 * @example
 * ```ts
 * import { wakeAt, clockNow } from "@rendezvous/core/protocol";
 * const w = wakeAt(clockNow(true) + 10, true, () => console.log("10 ms later"));
 * w.cancel(); // or let it fire
 * ```
 */
export function wakeAt(at: number, monotonic: boolean, cb: () => void): WakeUp {
  const q = monotonic ? queuesFor().mono : queuesFor().real;
  const t = q.add(at, cb);
  return { cancel: () => q.cancel(t) };
}

/**
 * The current time on the chosen clock. @internal
 *
 * @example
 * ```ts
 * import { clockNow } from "@rendezvous/core/protocol";
 * clockNow(false); // like currentInexactMilliseconds()
 * ```
 */
export function clockNow(monotonic: boolean): number {
  return monotonic ? currentInexactMonotonicMilliseconds() : currentInexactMilliseconds();
}
