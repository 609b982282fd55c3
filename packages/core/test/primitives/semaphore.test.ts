import { describe, expect, it } from "vitest";
import {
  callWithSemaphore,
  isSemaphore,
  isSemaphorePeekEvt,
  makeSemaphore,
  semaphorePeekEvt,
  semaphorePost,
  semaphoreTryWait,
  semaphoreWait,
  semaphoreWaitEnableBreak,
} from "../../src/primitives/semaphore.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { ExnBreak, ExnFailContract } from "../../src/errors/exn.js";
import { rejection, track, turn } from "../helpers.js";

describe("makeSemaphore", () => {
  it("makes a semaphore with the given count (default 0)", () => {
    expect(makeSemaphore().count).toBe(0);
    expect(makeSemaphore(3).count).toBe(3);
    expect(isSemaphore(makeSemaphore())).toBe(true);
    expect(isSemaphore(semaphorePeekEvt(makeSemaphore()))).toBe(false);
    expect(isSemaphore({})).toBe(false);
  });

  it("rejects a negative or non-integer count with make-semaphore: contract violation", () => {
    for (const bad of [-1, 1.5, NaN, "1", Infinity]) {
      expect(() => makeSemaphore(bad as never)).toThrow(ExnFailContract);
    }
    expect(() => makeSemaphore(-1)).toThrow(
      /^make-semaphore: contract violation\n {2}expected: exact-nonnegative-integer\?\n {2}given: -1/,
    );
  });
});

describe("semaphore as an event", () => {
  it("is ready when the count is positive; choosing it decrements; result is the semaphore", async () => {
    const s = makeSemaphore(2);
    expect(await sync(s)).toBe(s);
    expect(s.count).toBe(1);
    expect(await syncTimeout(0, s)).toBe(s);
    expect(await syncTimeout(0, s)).toBe(false);
    expect(s.count).toBe(0);
  });

  it("a losing semaphore is not decremented", async () => {
    const s = makeSemaphore(0);
    const o = makeSemaphore(0);
    const t = track(sync(s, o));
    semaphorePost(o);
    await turn();
    expect(t.value).toBe(o);
    semaphorePost(s);
    expect(s.count).toBe(1);
    expect(s.waiters.size).toBe(0);
  });

  it("wakes waiters first come, first served, one per post", async () => {
    const s = makeSemaphore(0);
    const order: number[] = [];
    const ps = [0, 1, 2, 3].map((i) => sync(wrapEvt(s, () => order.push(i))));
    await turn();
    semaphorePost(s);
    semaphorePost(s);
    await turn();
    expect(order).toEqual([0, 1]);
    semaphorePost(s);
    semaphorePost(s);
    await Promise.all(ps);
    expect(order).toEqual([0, 1, 2, 3]);
    expect(s.count).toBe(0);
  });

  it("a withdrawn waiter loses its place; the next one is served", async () => {
    const s = makeSemaphore(0);
    const other = makeSemaphore(0);
    const first = track(sync(s, other));
    const second = track(sync(s));
    semaphorePost(other);
    semaphorePost(s);
    await turn();
    expect(first.value).toBe(other);
    expect(second.value).toBe(s);
    expect(s.count).toBe(0);
  });

  it("stays first come, first served for a choice synced again and again", async () => {
    // A choice synced repeatedly keeps its members registered between syncs (standing
    // registrations); a waiter that blocked while it was idle must still be served first.
    const ss = Array.from({ length: 8 }, () => makeSemaphore(0));
    const loop = choiceEvt(...ss);
    for (let k = 1; k <= 3; k++) {
      const t = track(sync(loop));
      await turn();
      semaphorePost(ss[k]!);
      await turn();
      expect(t.value).toBe(ss[k]);
    }
    const early = track(sync(ss[0]!));
    await turn();
    const late = track(sync(loop));
    await turn();
    semaphorePost(ss[0]!);
    await turn();
    expect(early.value).toBe(ss[0]);
    expect(late.status).toBe("pending");
    semaphorePost(ss[0]!);
    await turn();
    expect(late.value).toBe(ss[0]);
  });

  it("a post with no waiter just counts", () => {
    const s = makeSemaphore(0);
    semaphorePost(s);
    semaphorePost(s);
    expect(s.count).toBe(2);
  });
});

describe("semaphorePeekEvt", () => {
  it("is ready when the count is positive, never consumes, result is itself", async () => {
    const s = makeSemaphore(1);
    const p = semaphorePeekEvt(s);
    expect(isSemaphorePeekEvt(p)).toBe(true);
    expect(isSemaphorePeekEvt(s)).toBe(false);
    expect(await sync(p)).toBe(p);
    expect(await sync(p)).toBe(p);
    expect(s.count).toBe(1);
    expect(await syncTimeout(0, semaphorePeekEvt(makeSemaphore(0)))).toBe(false);
  });

  it("a post wakes the peekers at the head without consuming, then one real waiter", async () => {
    const s = makeSemaphore(0);
    const p1 = track(sync(semaphorePeekEvt(s)));
    const p2 = track(sync(semaphorePeekEvt(s)));
    const w1 = track(sync(s));
    const p3 = track(sync(semaphorePeekEvt(s)));
    const w2 = track(sync(s));
    semaphorePost(s);
    await turn();
    expect([p1.status, p2.status, w1.status, p3.status, w2.status]).toEqual([
      "ok",
      "ok",
      "ok",
      "pending",
      "pending",
    ]);
    expect(s.count).toBe(0);
    semaphorePost(s);
    await turn();
    expect([p3.status, w2.status]).toEqual(["ok", "ok"]);
    expect(s.count).toBe(0);
  });

  it("rejects a non-semaphore", () => {
    expect(() => semaphorePeekEvt({} as never)).toThrow(/^semaphore-peek-evt: contract violation/);
  });
});

describe("semaphoreWait, semaphoreTryWait, semaphorePost", () => {
  it("wait resolves (with undefined) once the count is positive, decrementing it", async () => {
    const s = makeSemaphore(0);
    const t = track(semaphoreWait(s));
    await turn();
    expect(t.status).toBe("pending");
    semaphorePost(s);
    await turn();
    expect(t).toMatchObject({ status: "ok", value: undefined });
    expect(s.count).toBe(0);
  });

  it("tryWait decrements and returns true, or returns false at once", () => {
    const s = makeSemaphore(1);
    expect(semaphoreTryWait(s)).toBe(true);
    expect(semaphoreTryWait(s)).toBe(false);
    expect(s.count).toBe(0);
  });

  it("tryWait does not jump the queue of blocked waiters", async () => {
    const s = makeSemaphore(0);
    const t = track(semaphoreWait(s));
    semaphorePost(s);
    expect(semaphoreTryWait(s)).toBe(false);
    await turn();
    expect(t.status).toBe("ok");
  });

  it("check their arguments", async () => {
    expect(() => semaphorePost(1 as never)).toThrow(/^semaphore-post: contract violation/);
    expect(() => semaphoreTryWait(1 as never)).toThrow(/^semaphore-try-wait\?: contract violation/);
    const e = await rejection(semaphoreWait(1 as never));
    expect(e).toBeInstanceOf(ExnFailContract);
    expect((e as Error).message).toMatch(/^semaphore-wait: contract violation/);
  });
});

describe("semaphoreWaitEnableBreak", () => {
  it("decrements iff it resolves; an abort breaks the wait and takes nothing", async () => {
    const s = makeSemaphore(0);
    const ac = new AbortController();
    const t = track(semaphoreWaitEnableBreak(ac.signal, s));
    await turn();
    ac.abort();
    await turn();
    expect(t.error).toBeInstanceOf(ExnBreak);
    semaphorePost(s);
    expect(s.count).toBe(1);
    const ac2 = new AbortController();
    await semaphoreWaitEnableBreak(ac2.signal, s);
    expect(s.count).toBe(0);
  });

  it("an already-aborted signal breaks even when the count is positive", async () => {
    const s = makeSemaphore(1);
    const ac = new AbortController();
    ac.abort();
    expect(await rejection(semaphoreWaitEnableBreak(ac.signal, s))).toBeInstanceOf(ExnBreak);
    expect(s.count).toBe(1);
  });

  it("checks its arguments", async () => {
    const e1 = await rejection(semaphoreWaitEnableBreak(new AbortController().signal, 3 as never));
    expect((e1 as Error).message).toMatch(/^semaphore-wait\/enable-break: contract violation/);
    const e2 = await rejection(semaphoreWaitEnableBreak(3 as never, makeSemaphore()));
    expect((e2 as Error).message).toMatch(/^semaphore-wait\/enable-break: contract violation/);
  });
});

describe("callWithSemaphore", () => {
  it("waits, calls proc with the arguments, posts after", async () => {
    const s = makeSemaphore(1);
    let countInside = -1;
    const r = await callWithSemaphore(
      s,
      async (a: number, b: number) => {
        countInside = s.count;
        await turn();
        return a + b;
      },
      false,
      40,
      2,
    );
    expect(r).toBe(42);
    expect(countInside).toBe(0);
    expect(s.count).toBe(1);
  });

  it("serialises callers (a lock)", async () => {
    const s = makeSemaphore(1);
    let inside = 0;
    let maxInside = 0;
    const work = async () => {
      inside++;
      maxInside = Math.max(maxInside, inside);
      await turn();
      inside--;
    };
    await Promise.all([1, 2, 3, 4].map(() => callWithSemaphore(s, work)));
    expect(maxInside).toBe(1);
    expect(s.count).toBe(1);
  });

  it("posts when proc throws synchronously or rejects", async () => {
    const s = makeSemaphore(1);
    const err = new Error("proc");
    await expect(
      callWithSemaphore(s, () => {
        throw err;
      }),
    ).rejects.toBe(err);
    expect(s.count).toBe(1);
    await expect(
      callWithSemaphore(s, async () => {
        await turn();
        throw err;
      }),
    ).rejects.toBe(err);
    expect(s.count).toBe(1);
  });

  it("with tryFailThunk: calls it instead of waiting when the semaphore is taken", async () => {
    const s = makeSemaphore(0);
    let procRan = false;
    const r = await callWithSemaphore(
      s,
      () => {
        procRan = true;
      },
      () => "busy",
    );
    expect(r).toBe("busy");
    expect(procRan).toBe(false);
    expect(s.count).toBe(0);
    semaphorePost(s);
    expect(
      await callWithSemaphore(
        s,
        () => "ran",
        () => "busy",
      ),
    ).toBe("ran");
    expect(s.count).toBe(1);
  });

  it("checks its arguments", async () => {
    const e1 = await rejection(callWithSemaphore(5 as never, () => 0));
    expect((e1 as Error).message).toMatch(/^call-with-semaphore: contract violation/);
    const e2 = await rejection(callWithSemaphore(makeSemaphore(1), 5 as never));
    expect((e2 as Error).message).toMatch(/^call-with-semaphore: contract violation/);
    const e3 = await rejection(callWithSemaphore(makeSemaphore(1), () => 0, 5 as never));
    expect((e3 as Error).message).toMatch(/^call-with-semaphore: contract violation/);
  });
});
