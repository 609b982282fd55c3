import { describe, expect, it } from "vitest";
import {
  pollNow,
  sync,
  syncEnableBreak,
  syncTimeout,
  syncTimeoutEnableBreak,
  syncWithCallbacks,
} from "../../src/engine/sync.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { neverEvt } from "../../src/combinators/never.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { guardEvt, pollGuardEvt } from "../../src/combinators/guard.js";
import { nackGuardEvt } from "../../src/combinators/nack-guard.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { makeChannel } from "../../src/primitives/channel.js";
import { alarmEvt } from "../../src/primitives/alarm.js";
import { atomically } from "../../src/engine/atomic.js";
import { ExnBreak, ExnFailContract } from "../../src/errors/exn.js";
import type { Evt } from "../../src/protocol/evt.js";
import { Gate, rejection, track, turn, useVirtualTime } from "../helpers.js";

const tag = <T>(name: T) => wrapEvt(alwaysEvt, () => name);

async function contractMessage(p: Promise<unknown>): Promise<string> {
  const e = await rejection(p);
  expect(e).toBeInstanceOf(ExnFailContract);
  return (e as Error).message;
}

describe("sync", () => {
  it("rejects a non-event with sync: contract violation", async () => {
    const msg = await contractMessage(sync(alwaysEvt, 5 as never));
    expect(msg).toMatch(/^sync: contract violation\n {2}expected: evt\?\n {2}given: 5/);
    expect(msg).toContain("argument position: 2nd");
  });

  it("checks every argument before polling any", async () => {
    const s = makeSemaphore(1);
    await contractMessage(sync(s, {} as never));
    expect(s.count).toBe(1);
  });

  it("with no events waits forever", async () => {
    const t = track(sync());
    await turn();
    expect(t.status).toBe("pending");
  });

  it("never is dropped: sync(never, e) waits for e", async () => {
    const g = new Gate();
    const p = sync(neverEvt, g);
    g.open("e");
    await expect(p).resolves.toBe("e");
  });
});

describe("syncTimeout", () => {
  const clock = useVirtualTime();

  it("0 polls: false when nothing is ready, without blocking anything", async () => {
    const g = new Gate();
    expect(await syncTimeout(0, g, makeChannel(), neverEvt)).toBe(false);
    expect(g.blocks).toBe(0);
    expect(await syncTimeout(0)).toBe(false);
  });

  it("0 polls: a ready event is chosen", async () => {
    const s = makeSemaphore(1);
    expect(await syncTimeout(0, s)).toBe(s);
  });

  it("a thunk is called only when nothing is ready; its value is the result", async () => {
    let calls = 0;
    const thunk = () => {
      calls++;
      return "nothing";
    };
    expect(await syncTimeout(thunk, makeSemaphore(0))).toBe("nothing");
    expect(calls).toBe(1);
    expect(await syncTimeout(thunk, tag("ready"))).toBe("ready");
    expect(calls).toBe(1);
  });

  it("a thunk's exception rejects the sync", async () => {
    const err = new Error("thunk");
    await expect(
      syncTimeout(() => {
        throw err;
      }, neverEvt),
    ).rejects.toBe(err);
  });

  it("false means no timeout", async () => {
    const g = new Gate();
    const t = track(syncTimeout(false, g));
    clock.vts.flush();
    await turn();
    expect(t.status).toBe("pending");
    g.open(1);
    await turn();
    expect(t).toMatchObject({ status: "ok", value: 1 });
  });

  it("resolves false when the time runs out, in seconds", async () => {
    const g = new Gate();
    const t = track(syncTimeout(0.25, g));
    clock.vts.flush();
    await turn();
    expect(t).toMatchObject({ status: "ok", value: false });
    expect(clock.vts.frame).toBe(250);
    expect(g.waiters.size).toBe(0);
    expect(g.abandons).toBe(1);
  });

  it("an event ready before the deadline wins and the timer is released", async () => {
    const s = makeSemaphore(0);
    const t = track(syncTimeout(10, s));
    expect(clock.vts.actions.length).toBe(1);
    semaphorePost(s);
    await turn();
    expect(t).toMatchObject({ status: "ok", value: s });
    expect(clock.vts.actions.length).toBe(0);
  });

  it("Infinity is accepted and means no limit", async () => {
    const s = makeSemaphore(0);
    const t = track(syncTimeout(Infinity, s));
    expect(clock.vts.actions.length).toBe(0);
    semaphorePost(s);
    await turn();
    expect(t).toMatchObject({ status: "ok", value: s });
  });

  it("rejects bad timeouts with sync/timeout: contract violation", async () => {
    for (const bad of [-1, "x", NaN, -Infinity, {}, true]) {
      const msg = await contractMessage(syncTimeout(bad as never, alwaysEvt));
      expect(msg.startsWith("sync/timeout: contract violation")).toBe(true);
      expect(msg).toContain("(or/c #f (and/c real? (not/c negative?)) (-> any))");
    }
  });

  it("checks the events too", async () => {
    const msg = await contractMessage(syncTimeout(0, alwaysEvt, 3 as never));
    expect(msg).toMatch(/^sync\/timeout: contract violation/);
    expect(msg).toContain("argument position: 3rd");
  });

  it("poll-guards see true for 0 and for a thunk, false otherwise", async () => {
    const seen: boolean[] = [];
    const e = pollGuardEvt((isPoll) => {
      seen.push(isPoll);
      return tag(isPoll);
    });
    expect(await syncTimeout(0, e)).toBe(true);
    expect(await syncTimeout(() => 0, e)).toBe(true);
    expect(await syncTimeout(1, e)).toBe(false);
    expect(await syncTimeout(false, e)).toBe(false);
    expect(await sync(e)).toBe(false);
    expect(seen).toEqual([true, true, false, false, false]);
  });
});

describe("syncEnableBreak", () => {
  const clock = useVirtualTime();

  it("an already-aborted signal wins over ready events: nothing committed, no guard run", async () => {
    const ac = new AbortController();
    ac.abort();
    const s = makeSemaphore(1);
    let guardRan = false;
    const g = guardEvt(() => {
      guardRan = true;
      return alwaysEvt;
    });
    const e = await rejection(syncEnableBreak(ac.signal, s, g, alwaysEvt));
    expect(e).toBeInstanceOf(ExnBreak);
    expect(s.count).toBe(1);
    expect(guardRan).toBe(false);
  });

  it("an abort while blocked settles with ExnBreak, withdraws waiters and fires NACKs", async () => {
    const ac = new AbortController();
    const s = makeSemaphore(0);
    let nack: Evt<void> | undefined;
    const t = track(
      syncEnableBreak(
        ac.signal,
        s,
        nackGuardEvt((n) => {
          nack = n;
          return neverEvt;
        }),
      ),
    );
    await turn();
    expect(t.status).toBe("pending");
    ac.abort();
    await turn();
    expect(t.status).toBe("err");
    expect(t.error).toBeInstanceOf(ExnBreak);
    expect(s.waiters.size).toBe(0);
    semaphorePost(s);
    expect(s.count).toBe(1);
    expect(await syncTimeout(0, nack!)).toBeUndefined();
  });

  it("a commit that races an abort wins, and its result is delivered", async () => {
    const ac = new AbortController();
    const s = makeSemaphore(0);
    const t = track(syncEnableBreak(ac.signal, s));
    atomically(() => {
      semaphorePost(s);
      ac.abort();
    });
    await turn();
    expect(t).toMatchObject({ status: "ok", value: s });
    expect(s.count).toBe(0);
  });

  it("an abort before the commit wins: nothing is consumed", async () => {
    const ac = new AbortController();
    const s = makeSemaphore(0);
    const t = track(syncEnableBreak(ac.signal, s));
    atomically(() => {
      ac.abort();
      semaphorePost(s);
    });
    await turn();
    expect(t.error).toBeInstanceOf(ExnBreak);
    expect(s.count).toBe(1);
  });

  it("an abort that happens while the sync polls (inside a guard) still breaks it", async () => {
    const ac = new AbortController();
    const t = track(
      syncEnableBreak(
        ac.signal,
        guardEvt(() => {
          ac.abort();
          return neverEvt;
        }),
      ),
    );
    await turn();
    expect(t.status).toBe("err");
    expect(t.error).toBeInstanceOf(ExnBreak);
  });

  it("the abort listener is removed once the sync settles", async () => {
    const ac = new AbortController();
    const s = makeSemaphore(1);
    let added = 0;
    let removed = 0;
    const add = ac.signal.addEventListener.bind(ac.signal);
    const remove = ac.signal.removeEventListener.bind(ac.signal);
    ac.signal.addEventListener = ((...a: Parameters<typeof add>) => {
      added++;
      return add(...a);
    }) as typeof add;
    ac.signal.removeEventListener = ((...a: Parameters<typeof remove>) => {
      removed++;
      return remove(...a);
    }) as typeof remove;
    const g = new Gate();
    const p = syncEnableBreak(ac.signal, g);
    g.open(1);
    await p;
    expect(added).toBe(1);
    expect(removed).toBe(1);
    // A ready sync never registers a listener.
    await syncEnableBreak(ac.signal, s);
    expect(added).toBe(1);
  });

  it("rejects a non-signal with sync/enable-break: contract violation", async () => {
    const msg = await contractMessage(syncEnableBreak({} as never, alwaysEvt));
    expect(msg).toMatch(/^sync\/enable-break: contract violation\n {2}expected: AbortSignal/);
    const msg2 = await contractMessage(syncEnableBreak(new AbortController().signal, 1 as never));
    expect(msg2).toMatch(/^sync\/enable-break: contract violation\n {2}expected: evt\?/);
  });

  it("syncTimeoutEnableBreak: times out, breaks, and checks its arguments", async () => {
    const ac = new AbortController();
    const t1 = track(syncTimeoutEnableBreak(ac.signal, 0.5, neverEvt));
    clock.vts.flush();
    await turn();
    expect(t1).toMatchObject({ status: "ok", value: false });

    const t2 = track(syncTimeoutEnableBreak(ac.signal, 0.5, neverEvt));
    ac.abort();
    await turn();
    expect(t2.error).toBeInstanceOf(ExnBreak);
    expect(clock.vts.actions.length).toBe(0);

    const ac2 = new AbortController();
    expect(await syncTimeoutEnableBreak(ac2.signal, 0, makeSemaphore(0))).toBe(false);
    expect(await syncTimeoutEnableBreak(ac2.signal, () => "t", makeSemaphore(0))).toBe("t");
    expect(await contractMessage(syncTimeoutEnableBreak(ac2.signal, -1, alwaysEvt))).toMatch(
      /^sync\/timeout\/enable-break: contract violation/,
    );
    expect(await contractMessage(syncTimeoutEnableBreak(5 as never, 1, alwaysEvt))).toMatch(
      /^sync\/timeout\/enable-break: contract violation/,
    );
    expect(await contractMessage(syncTimeoutEnableBreak(ac2.signal, 1, "e" as never))).toMatch(
      /^sync\/timeout\/enable-break: contract violation/,
    );
  });

  it("an aborted signal also wins over a poll", async () => {
    const ac = new AbortController();
    ac.abort();
    const s = makeSemaphore(1);
    expect(await rejection(syncTimeoutEnableBreak(ac.signal, 0, s))).toBeInstanceOf(ExnBreak);
    expect(s.count).toBe(1);
  });

  it("a break while waiting on an alarm releases the alarm's timer", async () => {
    const ac = new AbortController();
    const t = track(syncEnableBreak(ac.signal, alarmEvt(1000)));
    expect(clock.vts.actions.length).toBe(1);
    ac.abort();
    await turn();
    expect(t.error).toBeInstanceOf(ExnBreak);
    expect(clock.vts.actions.length).toBe(0);
  });
});

describe("pollNow", () => {
  it("returns the result synchronously, or `none`", () => {
    const s = makeSemaphore(1);
    expect(pollNow([s], "none")).toBe(s);
    expect(pollNow([s], "none")).toBe("none");
    expect(pollNow([wrapEvt(alwaysEvt, () => 3)], "none")).toBe(3);
  });

  it("throws what the sync would reject with", () => {
    expect(() =>
      pollNow(
        [
          wrapEvt(alwaysEvt, () => {
            throw new Error("w");
          }),
        ],
        0,
      ),
    ).toThrow("w");
    expect(() =>
      pollNow(
        [
          guardEvt(() => {
            throw new Error("g");
          }),
        ],
        0,
      ),
    ).toThrow("g");
  });

  it("works synchronously from inside a wrap (where deferred work waits)", async () => {
    const s = makeSemaphore(1);
    const r = await sync(wrapEvt(alwaysEvt, () => pollNow([s], "none")));
    expect(r).toBe(s);
  });
});

describe("syncWithCallbacks", () => {
  const clock = useVirtualTime();

  it("delivers through the callbacks and honours limits", async () => {
    const got: unknown[] = [];
    syncWithCallbacks(
      [makeSemaphore(0)],
      (v) => got.push(v),
      (e) => got.push(e),
      { timeoutMs: 100 },
    );
    clock.vts.flush();
    expect(got).toEqual([false]);
    syncWithCallbacks(
      [pollGuardEvt((p) => tag(p))],
      (v) => got.push(v),
      () => {},
      { timeoutMs: 0 },
    );
    expect(got).toEqual([false, true]);
    syncWithCallbacks(
      [makeSemaphore(0)],
      (v) => got.push(v),
      () => {},
      {
        timeoutMs: 0,
        thunk: () => "thunk",
      },
    );
    expect(got).toEqual([false, true, "thunk"]);
  });
});
