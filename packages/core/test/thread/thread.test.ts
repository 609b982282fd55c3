import { afterEach, describe, expect, it, vi } from "vitest";
import {
  Thread,
  currentThread,
  isThread,
  isThreadDead,
  isThreadRunning,
  mainThread,
  thread,
  threadDeadEvt,
  threadWait,
} from "../../src/thread/thread.js";
import { killThread } from "../../src/thread/break-and-kill.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { channelGet, channelPut, makeChannel } from "../../src/primitives/channel.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { neverEvt } from "../../src/combinators/never.js";
import { currentCustodian, makeCustodian, withCustodian } from "../../src/custodian/custodian.js";
import { ExnFail, ExnFailContract } from "../../src/errors/exn.js";
import { rejection, track, turn } from "../helpers.js";

afterEach(() => vi.restoreAllMocks());

describe("thread", () => {
  it("returns at once; the body starts asynchronously", async () => {
    const log: string[] = [];
    const t = thread(() => {
      log.push("body");
    });
    log.push("returned");
    expect(isThread(t)).toBe(true);
    expect(log).toEqual(["returned"]);
    await threadWait(t);
    expect(log).toEqual(["returned", "body"]);
  });

  it("is an event: ready once the body has finished, with the thread as its result", async () => {
    const s = makeSemaphore(0);
    const t = thread(() => sync(s));
    await turn();
    expect(await syncTimeout(0, t)).toBe(false);
    expect(isThreadRunning(t)).toBe(true);
    const waiting = track(sync(t));
    await turn();
    expect(waiting.status).toBe("pending");
    semaphorePost(s);
    await turn();
    expect(waiting.value).toBe(t);
    expect(isThreadDead(t)).toBe(true);
    expect(isThreadRunning(t)).toBe(false);
    expect(await syncTimeout(0, t)).toBe(t);
  });

  it("threadDeadEvt is one cached event per thread whose result is itself", async () => {
    const s = makeSemaphore(0);
    const t = thread(() => sync(s));
    const d = threadDeadEvt(t);
    expect(threadDeadEvt(t)).toBe(d);
    expect(threadDeadEvt(thread(() => {}))).not.toBe(d);
    const waiting = track(sync(d));
    await turn();
    expect(waiting.status).toBe("pending");
    semaphorePost(s);
    await turn();
    expect(waiting.value).toBe(d);
  });

  it("threadWait resolves with undefined after the thread terminated", async () => {
    const t = thread(async () => 42);
    expect(await threadWait(t)).toBeUndefined();
    expect(isThreadDead(t)).toBe(true);
  });

  it("currentThread: the thread inside its body, across awaits; the main thread outside", async () => {
    const seen: Thread[] = [];
    const t = thread(async () => {
      seen.push(currentThread());
      await turn();
      seen.push(currentThread());
      const ch = makeChannel<number>();
      setTimeout(() => void channelPut(ch, 1), 1);
      await channelGet(ch);
      seen.push(currentThread());
    });
    await threadWait(t);
    expect(seen).toEqual([t, t, t]);
    expect(currentThread()).toBe(mainThread);
    expect(isThread(currentThread())).toBe(true);
    expect(isThreadRunning(currentThread())).toBe(true);
  });

  it("a thread inside a thread is its own thread", async () => {
    let inner: Thread | undefined;
    let seenInner: Thread | undefined;
    const outer = thread(async () => {
      inner = thread(() => {
        seenInner = currentThread();
      });
      await threadWait(inner);
    });
    await threadWait(outer);
    expect(seenInner).toBe(inner);
    expect(inner).not.toBe(outer);
  });

  it("an uncaught error is reported and ends only that thread", async () => {
    const report = vi.spyOn(console, "error").mockImplementation(() => {});
    const s = makeSemaphore(0);
    const other = thread(() => sync(s));
    const bad = thread(async () => {
      await turn();
      throw new ExnFail("foo: bar 1");
    });
    const badSync = thread(() => {
      throw 5;
    });
    await threadWait(bad);
    await threadWait(badSync);
    expect(report).toHaveBeenCalledTimes(2);
    const texts = report.mock.calls.map((c) => String(c[0]));
    expect(texts.some((x) => x.includes("ExnFail: foo: bar 1"))).toBe(true);
    expect(texts).toContain("uncaught exception: 5");
    expect(isThreadRunning(other)).toBe(true);
    semaphorePost(s);
    await threadWait(other);
  });

  it("inherits the current custodian, which manages it", async () => {
    const c = makeCustodian();
    let seen: unknown;
    const t = withCustodian(c, () =>
      thread(async () => {
        await turn();
        seen = currentCustodian();
      }),
    );
    await threadWait(t);
    expect(seen).toBe(c);
  });

  it("the main thread never dies and cannot be killed", async () => {
    expect(() => killThread(currentThread())).toThrow(ExnFailContract);
    expect(await syncTimeout(0, currentThread())).toBe(false);
  });

  it("a thread that never syncs is still an event others can wait on", async () => {
    const t = thread(() => new Promise<void>((r) => setTimeout(r, 5)));
    expect(await sync(t, neverEvt)).toBe(t);
  });

  it("checks its arguments like Racket", async () => {
    expect(() => thread(5 as never)).toThrow(
      /^thread: contract violation\n {2}expected: procedure\?/,
    );
    expect(() => threadDeadEvt({} as never)).toThrow(/^thread-dead-evt: contract violation/);
    expect(() => isThreadRunning(1 as never)).toThrow(/^thread-running\?: contract violation/);
    expect(() => isThreadDead(1 as never)).toThrow(/^thread-dead\?: contract violation/);
    const e = await rejection(threadWait(null as never));
    expect(e).toBeInstanceOf(ExnFailContract);
    expect((e as Error).message).toMatch(/^thread-wait: contract violation/);
    expect(isThread({})).toBe(false);
  });
});
