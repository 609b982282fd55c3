import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { clockNow, wakeAt, type WakeUp } from "../time/clock.js";
import { check } from "../errors/contract.js";

/** The class of the events {@link alarmEvt} makes.
 *
 * @example
 * ```ts
 * import { alarmEvt, AlarmEvt } from "@rendezvous/core";
 * const a = alarmEvt(0);
 * a instanceof AlarmEvt; // true
 * a.ms; // 0
 * ```
 */
export class AlarmEvt extends PrimitiveEvt<AlarmEvt> {
  /** @internal */
  constructor(
    /** The absolute time, in milliseconds, at which the alarm is ready. */
    readonly ms: number,
    /** Whether `ms` is on the monotonic clock. */
    readonly monotonic: boolean,
  ) {
    super();
  }
  poll(_c: Candidate): AlarmEvt | NotReady {
    return clockNow(this.monotonic) >= this.ms ? this : NOT_READY;
  }
  block(c: Candidate): void {
    c.data = wakeAt(this.ms, this.monotonic, () => {
      c.data = undefined;
      if (!c.run.done) c.commit(this);
    });
  }
  abandon(c: Candidate): void {
    // A losing alarm releases its timer at once.
    (c.data as WakeUp | undefined)?.cancel();
    c.data = undefined;
  }
}

/**
 * An event that is ready once `currentInexactMilliseconds()` (or, with `monotonic`,
 * `currentInexactMonotonicMilliseconds()`) reaches `ms` — an **absolute** time, as in Racket's
 * `alarm-evt`. A time in the past is ready at once. The result is the alarm itself.
 *
 * @throws {@link ExnFailContract} if `ms` is not a real number.
 *
 * @example
 * ```ts
 * import { sync, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";
 * const a = alarmEvt(currentInexactMilliseconds() + 20);
 * (await sync(a)) === a; // true, about 20 ms later
 * ```
 */
export function alarmEvt(ms: number, monotonic: boolean = false): AlarmEvt {
  check(typeof ms === "number" && !Number.isNaN(ms), "alarm-evt", "real?", ms, 1);
  return new AlarmEvt(ms, monotonic !== false && monotonic !== undefined);
}
