import { afterEach, describe, expect, it } from "vitest";
import { asyncScheduler, VirtualTimeScheduler } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import {
  clockNow,
  currentInexactMilliseconds,
  currentInexactMonotonicMilliseconds,
  currentScheduler,
  wakeAt,
} from "../../src/time/clock.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { sync } from "../../src/engine/sync.js";
import { alarmEvt } from "../../src/primitives/alarm.js";

afterEach(() => currentScheduler(asyncScheduler));

describe("clock", () => {
  it("defaults to the asyncScheduler: epoch ms and performance.now()", () => {
    expect(currentScheduler()).toBe(asyncScheduler);
    const before = Date.now();
    const t = currentInexactMilliseconds();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
    const p0 = performance.now();
    const m = currentInexactMonotonicMilliseconds();
    expect(m).toBeGreaterThanOrEqual(p0);
    expect(m).toBeLessThanOrEqual(performance.now());
    expect(clockNow(false)).toBeGreaterThanOrEqual(t);
    expect(clockNow(true)).toBeGreaterThanOrEqual(m);
  });

  it("reads both clocks from an installed virtual scheduler", () => {
    const vts = new VirtualTimeScheduler();
    currentScheduler(vts);
    expect(currentScheduler()).toBe(vts);
    expect(currentInexactMilliseconds()).toBe(0);
    expect(currentInexactMonotonicMilliseconds()).toBe(0);
    vts.schedule(() => {
      expect(currentInexactMilliseconds()).toBe(75);
      expect(clockNow(true)).toBe(75);
    }, 75);
    vts.flush();
  });

  it("rejects a non-scheduler with a contract violation", () => {
    for (const bad of [{}, null, 5, { now: () => 0 }]) {
      expect(() => currentScheduler(bad as never)).toThrow(ExnFailContract);
    }
    expect(() => currentScheduler({} as never)).toThrow(/^current-scheduler: contract violation/);
    expect(currentScheduler()).toBe(asyncScheduler);
  });

  it("wakeAt calls back once the clock reaches the time; cancel stops it", () => {
    const vts = new VirtualTimeScheduler();
    currentScheduler(vts);
    const fired: string[] = [];
    wakeAt(100, false, () => fired.push(`real@${vts.now()}`));
    wakeAt(50, true, () => fired.push(`mono@${vts.now()}`));
    const w = wakeAt(70, false, () => fired.push("cancelled"));
    w.cancel();
    w.cancel();
    vts.flush();
    expect(fired).toEqual(["mono@50", "real@100"]);
  });

  it("wake-ups stay with the scheduler they were made on", () => {
    const a = new VirtualTimeScheduler();
    const b = new VirtualTimeScheduler();
    currentScheduler(a);
    const fired: string[] = [];
    wakeAt(10, false, () => fired.push("a"));
    currentScheduler(b);
    wakeAt(10, false, () => fired.push("b"));
    b.flush();
    expect(fired).toEqual(["b"]);
    a.flush();
    expect(fired).toEqual(["b", "a"]);
  });

  it("drives alarms under a TestScheduler in run mode", async () => {
    const ts = new TestScheduler((x, y) => expect(x).toEqual(y));
    let result: unknown;
    let alarm: unknown;
    ts.run(({ flush }) => {
      currentScheduler(ts);
      const a = alarmEvt(currentInexactMilliseconds() + 30);
      alarm = a;
      void sync(a).then((v) => (result = v));
      flush();
      expect(ts.now()).toBe(30);
    });
    await new Promise((r) => setImmediate(r));
    expect(result).toBe(alarm);
  });
});
