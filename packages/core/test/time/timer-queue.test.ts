import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { asyncScheduler, VirtualTimeScheduler, type SchedulerLike } from "rxjs";
import { TimerQueue } from "../../src/time/timer-queue.js";
import { defer } from "../../src/engine/atomic.js";

/** A virtual-time scheduler that records the delay of every action scheduled on it. */
function recording(): { vts: VirtualTimeScheduler; s: SchedulerLike; delays: number[] } {
  const vts = new VirtualTimeScheduler();
  const delays: number[] = [];
  const s: SchedulerLike = {
    now: () => vts.now(),
    schedule: ((work: any, delay?: number, state?: unknown) => {
      delays.push(delay ?? 0);
      return vts.schedule(work, delay, state);
    }) as SchedulerLike["schedule"],
  };
  return { vts, s, delays };
}

describe("TimerQueue", () => {
  it("fires callbacks in deadline order, each when its time comes", () => {
    const vts = new VirtualTimeScheduler();
    const q = new TimerQueue(vts, () => vts.now());
    const fired: [number, number][] = [];
    for (const at of [30, 10, 50, 20, 40]) q.add(at, () => fired.push([at, vts.now()]));
    vts.flush();
    expect(fired).toEqual([
      [10, 10],
      [20, 20],
      [30, 30],
      [40, 40],
      [50, 50],
    ]);
    expect(q.size).toBe(0);
  });

  it("keeps one scheduled action however many timers are pending", () => {
    const vts = new VirtualTimeScheduler();
    const q = new TimerQueue(vts, () => vts.now());
    const timers = [];
    for (let i = 0; i < 1000; i++) timers.push(q.add(1000 + ((i * 7919) % 1000), () => {}));
    expect(q.size).toBe(1000);
    expect(vts.actions.length).toBe(1);
    for (const t of timers) q.cancel(t);
    expect(q.size).toBe(0);
    expect(vts.actions.length).toBe(0);
  });

  it("re-arms earlier when an earlier timer is added", () => {
    const { vts, s, delays } = recording();
    const q = new TimerQueue(s, () => vts.now());
    const fired: number[] = [];
    q.add(500, () => fired.push(500));
    q.add(100, () => fired.push(100));
    q.add(300, () => fired.push(300));
    expect(delays).toEqual([500, 100]);
    expect(vts.actions.length).toBe(1);
    vts.flush();
    expect(fired).toEqual([100, 300, 500]);
  });

  it("cancel removes a timer and is idempotent; cancelling a fired timer is harmless", () => {
    const vts = new VirtualTimeScheduler();
    const q = new TimerQueue(vts, () => vts.now());
    const fired: string[] = [];
    const a = q.add(10, () => fired.push("a"));
    const b = q.add(20, () => fired.push("b"));
    const c = q.add(30, () => fired.push("c"));
    q.cancel(b);
    q.cancel(b);
    expect(q.size).toBe(2);
    vts.flush();
    expect(fired).toEqual(["a", "c"]);
    q.cancel(a);
    q.cancel(c);
    expect(q.size).toBe(0);
  });

  it("cancelling the earliest timer leaves the later ones due at their times", () => {
    const vts = new VirtualTimeScheduler();
    const q = new TimerQueue(vts, () => vts.now());
    const fired: number[] = [];
    const first = q.add(10, () => fired.push(vts.now()));
    q.add(40, () => fired.push(vts.now()));
    q.cancel(first);
    vts.flush();
    expect(fired).toEqual([40]);
  });

  it("runs the due callbacks of one wake-up in one atomic step", () => {
    const vts = new VirtualTimeScheduler();
    const q = new TimerQueue(vts, () => vts.now());
    const order: string[] = [];
    q.add(10, () => {
      order.push("cb1");
      defer(() => order.push("deferred"), 0, 0);
    });
    q.add(10, () => order.push("cb2"));
    vts.flush();
    expect(order).toEqual(["cb1", "cb2", "deferred"]);
  });

  it("a callback may add a timer, even one already due, and cancel others", () => {
    const vts = new VirtualTimeScheduler();
    const q = new TimerQueue(vts, () => vts.now());
    const fired: string[] = [];
    const later = q.add(20, () => fired.push("later"));
    q.add(10, () => {
      fired.push("first");
      q.cancel(later);
      q.add(5, () => fired.push("overdue"));
      q.add(15, () => fired.push("added"));
    });
    vts.flush();
    expect(fired).toEqual(["first", "overdue", "added"]);
    expect(q.size).toBe(0);
    expect(vts.actions.length).toBe(0);
  });

  it("schedules nothing for a timer that is never due (Infinity)", () => {
    const { vts, s, delays } = recording();
    const q = new TimerQueue(s, () => vts.now());
    const t = q.add(Infinity, () => {});
    expect(delays).toEqual([]);
    expect(vts.actions.length).toBe(0);
    q.cancel(t);
    expect(q.size).toBe(0);
  });

  it("never asks for a delay longer than a JS timer can hold", () => {
    const { vts, s, delays } = recording();
    const q = new TimerQueue(s, () => vts.now());
    const fortyDays = 40 * 86_400_000;
    let firedAt = -1;
    q.add(fortyDays, () => (firedAt = vts.now()));
    vts.flush();
    expect(firedAt).toBe(fortyDays);
    expect(Math.max(...delays)).toBeLessThanOrEqual(2 ** 31 - 1);
    // Re-armed only a few times on the way, not once per millisecond.
    expect(delays.length).toBeLessThan(5);
  });

  it("with the real scheduler, a far deadline does not spin", async () => {
    let scheduled = 0;
    const s: SchedulerLike = {
      now: () => asyncScheduler.now(),
      schedule: ((work: any, delay?: number, state?: unknown) => {
        scheduled++;
        return asyncScheduler.schedule(work, delay, state);
      }) as SchedulerLike["schedule"],
    };
    const q = new TimerQueue(s, () => s.now());
    const t = q.add(s.now() + 40 * 86_400_000, () => {});
    await new Promise((r) => setTimeout(r, 60));
    q.cancel(t);
    expect(scheduled).toBe(1);
  });

  it("fires exactly the timers not cancelled, in deadline order (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 200 }), fc.boolean()), { maxLength: 60 }),
        (spec) => {
          const vts = new VirtualTimeScheduler();
          const q = new TimerQueue(vts, () => vts.now());
          const fired: { id: number; at: number; now: number }[] = [];
          const timers = spec.map(([at], id) =>
            q.add(at, () => fired.push({ id, at, now: vts.now() })),
          );
          spec.forEach(([, cancel], id) => {
            if (cancel) q.cancel(timers[id]!);
          });
          vts.flush();
          const expected = spec
            .map(([at, cancel], id) => ({ id, at, cancel }))
            .filter((x) => !x.cancel)
            .map((x) => x.id)
            .sort((a, b) => a - b);
          expect(fired.map((f) => f.id).sort((a, b) => a - b)).toEqual(expected);
          for (let i = 1; i < fired.length; i++) {
            expect(fired[i]!.at).toBeGreaterThanOrEqual(fired[i - 1]!.at);
          }
          for (const f of fired) expect(f.now).toBe(f.at);
          expect(q.size).toBe(0);
          expect(vts.actions.length).toBe(0);
        },
      ),
      { seed: 4242, numRuns: 200 },
    );
  });
});
