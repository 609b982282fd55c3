import { describe, expect, it } from "vitest";
import { alarmEvt, AlarmEvt } from "../../src/primitives/alarm.js";
import { sync, syncEnableBreak, syncTimeout } from "../../src/engine/sync.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { guardEvt } from "../../src/combinators/guard.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import {
  currentInexactMilliseconds,
  currentInexactMonotonicMilliseconds,
} from "../../src/time/clock.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { track, turn, useVirtualTime } from "../helpers.js";

describe("alarmEvt", () => {
  const clock = useVirtualTime();

  it("is ready once currentInexactMilliseconds() reaches an absolute time; result is itself", async () => {
    const a = alarmEvt(250);
    expect(a).toBeInstanceOf(AlarmEvt);
    expect(a.ms).toBe(250);
    expect(a.monotonic).toBe(false);
    const t = track(sync(a));
    clock.vts.maxFrames = 249;
    clock.vts.schedule(() => undefined, 249);
    clock.vts.flush();
    await turn();
    expect(currentInexactMilliseconds()).toBe(249);
    expect(t.status).toBe("pending");
    clock.vts.maxFrames = Infinity;
    clock.vts.flush();
    await turn();
    expect(currentInexactMilliseconds()).toBe(250);
    expect(t.value).toBe(a);
  });

  it("fires at its time under virtual time", async () => {
    const a = alarmEvt(currentInexactMilliseconds() + 250);
    const t = track(sync(a));
    await turn();
    expect(t.status).toBe("pending");
    clock.vts.flush();
    await turn();
    expect(t.value).toBe(a);
    expect(clock.vts.frame).toBe(250);
  });

  it("the monotonic variant uses currentInexactMonotonicMilliseconds()", async () => {
    const a = alarmEvt(currentInexactMonotonicMilliseconds() + 40, true);
    expect(a.monotonic).toBe(true);
    const t = track(sync(a));
    clock.vts.flush();
    await turn();
    expect(t.value).toBe(a);
    expect(currentInexactMonotonicMilliseconds()).toBe(40);
  });

  it("a time in the past (or negative) is ready at once, also in a poll", async () => {
    clock.vts.schedule(() => undefined, 100);
    clock.vts.flush();
    const a = alarmEvt(50);
    expect(await syncTimeout(0, a)).toBe(a);
    const b = alarmEvt(-1e9);
    expect(await syncTimeout(0, b)).toBe(b);
    expect(await syncTimeout(0, alarmEvt(100))).not.toBe(false);
    expect(await syncTimeout(0, alarmEvt(101))).toBe(false);
  });

  it("the earlier alarm wins", async () => {
    const late = alarmEvt(300);
    const early = alarmEvt(200);
    const t = track(sync(late, early));
    clock.vts.flush();
    await turn();
    expect(t.value).toBe(early);
    expect(clock.vts.frame).toBe(200);
  });

  it("a losing alarm releases its timer: no scheduler action remains", async () => {
    const s = makeSemaphore(0);
    const t = track(sync(alarmEvt(1000), alarmEvt(5000), s));
    expect(clock.vts.actions.length).toBe(1);
    semaphorePost(s);
    await turn();
    expect(t.value).toBe(s);
    expect(clock.vts.actions.length).toBe(0);
  });

  it("a timed-out sync releases its alarms", async () => {
    const t = track(syncTimeout(0.1, alarmEvt(10_000)));
    clock.vts.flush();
    await turn();
    expect(t.value).toBe(false);
    expect(clock.vts.frame).toBe(100);
    expect(clock.vts.actions.length).toBe(0);
  });

  it("many pending alarms share one scheduler action", async () => {
    const ac = new AbortController();
    const ts = [];
    for (let i = 0; i < 200; i++) ts.push(track(syncEnableBreak(ac.signal, alarmEvt(1000 + i))));
    expect(clock.vts.actions.length).toBe(1);
    ac.abort();
    await turn();
    expect(ts.every((t) => t.status === "err")).toBe(true);
    expect(clock.vts.actions.length).toBe(0);
  });

  it("an alarm can be synced again after it fired (ready at once)", async () => {
    const a = alarmEvt(10);
    const t = track(sync(a));
    clock.vts.flush();
    await turn();
    expect(t.value).toBe(a);
    expect(await syncTimeout(0, a)).toBe(a);
  });

  it("wrapped and guarded alarms", async () => {
    const g = guardEvt(() => wrapEvt(alarmEvt(currentInexactMilliseconds() + 5), () => "tick"));
    const t = track(sync(g));
    clock.vts.flush();
    await turn();
    expect(t.value).toBe("tick");
  });

  it("Infinity is never ready and schedules nothing", async () => {
    const ac = new AbortController();
    const t = track(syncEnableBreak(ac.signal, alarmEvt(Infinity)));
    expect(clock.vts.actions.length).toBe(0);
    ac.abort();
    await turn();
    expect(t.status).toBe("err");
  });

  it("rejects a non-real time with alarm-evt: contract violation", () => {
    for (const bad of [NaN, "5", null, undefined, {}]) {
      expect(() => alarmEvt(bad as never)).toThrow(ExnFailContract);
    }
    expect(() => alarmEvt("5" as never)).toThrow(
      /^alarm-evt: contract violation\n {2}expected: real\?\n {2}given: "5"/,
    );
  });
});
