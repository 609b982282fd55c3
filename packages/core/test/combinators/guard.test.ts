import { describe, expect, it } from "vitest";
import { guardEvt, pollGuardEvt } from "../../src/combinators/guard.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { neverEvt } from "../../src/combinators/never.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { alarmEvt } from "../../src/primitives/alarm.js";
import { currentInexactMilliseconds } from "../../src/time/clock.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { fixedOffset, track, turn, useVirtualTime, withGenerator } from "../helpers.js";

describe("guardEvt", () => {
  const clock = useVirtualTime();

  it("calls its maker when a sync reaches it; the event returned stands in", async () => {
    let calls = 0;
    const s = makeSemaphore(1);
    const g = guardEvt(() => {
      calls++;
      return s;
    });
    expect(calls).toBe(0);
    expect(await sync(g)).toBe(s);
    expect(calls).toBe(1);
    expect(await syncTimeout(0, g)).toBe(false);
    expect(calls).toBe(2);
  });

  it("makes a fresh event per sync: a timeout measured from each sync", async () => {
    const g = guardEvt(() => alarmEvt(currentInexactMilliseconds() + 100));
    const t1 = track(sync(g));
    clock.vts.flush();
    expect(clock.vts.frame).toBe(100);
    const t2 = track(sync(g));
    clock.vts.flush();
    expect(clock.vts.frame).toBe(200);
    await turn();
    expect(t1.status).toBe("ok");
    expect(t2.status).toBe("ok");
  });

  it("is not called when an earlier candidate is chosen first", async () => {
    let calls = 0;
    const g = guardEvt(() => {
      calls++;
      return alwaysEvt;
    });
    expect(await withGenerator(fixedOffset(0, 2), () => sync(alwaysEvt, g))).toBe(alwaysEvt);
    expect(calls).toBe(0);
  });

  it("two occurrences in one sync: two calls", async () => {
    let calls = 0;
    const g = guardEvt(() => {
      calls++;
      return neverEvt;
    });
    expect(await syncTimeout(0, g, choiceEvt(g))).toBe(false);
    expect(calls).toBe(2);
  });

  it("a non-event result makes the guard ready with the guard itself", async () => {
    const g = guardEvt(() => 5);
    expect(await sync(g)).toBe(g);
    const w = wrapEvt(g, (v) => v === g);
    expect(await sync(w)).toBe(true);
  });

  it("guards may return guards and choices", async () => {
    const g = guardEvt(() =>
      guardEvt(() =>
        choiceEvt(
          neverEvt,
          wrapEvt(alwaysEvt, () => "deep"),
        ),
      ),
    );
    expect(await sync(g)).toBe("deep");
  });

  it("a maker's exception rejects the sync, also when polling", async () => {
    const err = new Error("maker");
    const g = guardEvt(() => {
      throw err;
    });
    await expect(sync(g)).rejects.toBe(err);
    await expect(syncTimeout(0, g)).rejects.toBe(err);
  });

  it("a maker may sync-poll other events (re-entrantly)", async () => {
    const s = makeSemaphore(1);
    const g = guardEvt(() => wrapEvt(alwaysEvt, () => s.count));
    semaphorePost(s);
    expect(await sync(g)).toBe(2);
  });

  it("checks its argument with guard-evt: contract violation", () => {
    expect(() => guardEvt(5 as never)).toThrow(ExnFailContract);
    expect(() => guardEvt(5 as never)).toThrow(
      /^guard-evt: contract violation\n {2}expected: procedure\?\n {2}given: 5/,
    );
  });
});

describe("pollGuardEvt", () => {
  useVirtualTime();

  it("passes true in a poll (0 or a thunk timeout), false otherwise", async () => {
    const e = pollGuardEvt((isPoll) => wrapEvt(alwaysEvt, () => isPoll));
    expect(await syncTimeout(0, e)).toBe(true);
    expect(await syncTimeout(() => "t", e)).toBe(true);
    expect(await syncTimeout(0.5, e)).toBe(false);
    expect(await sync(e)).toBe(false);
  });

  it("a non-event result makes it ready with the poll-guard itself", async () => {
    const e = pollGuardEvt(() => "not an event");
    expect(await sync(e)).toBe(e);
  });

  it("checks its argument with poll-guard-evt: contract violation", () => {
    expect(() => pollGuardEvt({} as never)).toThrow(/^poll-guard-evt: contract violation/);
  });
});
