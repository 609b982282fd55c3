import { describe, expect, it } from "vitest";
import { currentThread, thread, threadWait } from "../../src/thread/thread.js";
import { killThread } from "../../src/thread/break-and-kill.js";
import {
  threadReceive,
  threadReceiveEvt,
  threadSend,
  threadTryReceive,
} from "../../src/thread/send-receive.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { turn } from "../helpers.js";

describe("thread mailboxes", () => {
  it("threadSend queues messages that threadReceive takes in order", async () => {
    const got: unknown[] = [];
    const t = thread(async () => {
      for (let i = 0; i < 3; i++) got.push(await threadReceive());
    });
    expect(threadSend(t, "a")).toBeUndefined();
    threadSend(t, "b");
    await turn();
    threadSend(t, "c");
    await threadWait(t);
    expect(got).toEqual(["a", "b", "c"]);
  });

  it("threadTryReceive returns false at once on an empty mailbox, else dequeues", () => {
    expect(threadTryReceive()).toBe(false);
    threadSend(currentThread(), 1);
    threadSend(currentThread(), false);
    expect(threadTryReceive()).toBe(1);
    expect(threadTryReceive()).toBe(false); // the message `false` itself
    expect(threadTryReceive()).toBe(false);
  });

  it("each thread reads its own mailbox", async () => {
    let inThread: unknown = "unset";
    threadSend(currentThread(), "for main");
    const t = thread(() => {
      inThread = threadTryReceive();
    });
    await threadWait(t);
    expect(inThread).toBe(false);
    expect(threadTryReceive()).toBe("for main");
  });

  it("threadReceiveEvt: one constant event, ready when the syncer's mailbox is non-empty, dequeues nothing", async () => {
    const e = threadReceiveEvt();
    expect(threadReceiveEvt()).toBe(e);
    expect(await syncTimeout(0, e)).toBe(false);
    threadSend(currentThread(), "x");
    expect(await sync(e)).toBe(e);
    expect(await sync(e)).toBe(e);
    // Another thread syncing on the same event watches its own (empty) mailbox.
    let other: unknown;
    await threadWait(thread(async () => (other = await syncTimeout(0, e))));
    expect(other).toBe(false);
    expect(threadTryReceive()).toBe("x");
  });

  it("a blocked receive event is woken by a send without consuming; a blocked receive consumes", async () => {
    const log: unknown[] = [];
    const t = thread(async () => {
      log.push((await sync(threadReceiveEvt())) === threadReceiveEvt());
      log.push(await threadReceive());
    });
    await turn();
    threadSend(t, "m");
    await threadWait(t);
    expect(log).toEqual([true, "m"]);
  });

  it("sending to a dead thread: ExnFailContract by default, false with #f, the thunk's result otherwise", async () => {
    const t = thread(() => {});
    await threadWait(t);
    expect(() => threadSend(t, 1)).toThrow(ExnFailContract);
    expect(() => threadSend(t, 1)).toThrow(/^thread-send: target thread is not running$/);
    expect(threadSend(t, 1, false)).toBe(false);
    expect(threadSend(t, 1, () => "failed")).toBe("failed");
    const k = thread(() => new Promise(() => {}));
    killThread(k);
    expect(threadSend(k, 1, () => "dead")).toBe("dead");
  });

  it("checks its arguments", () => {
    expect(() => threadSend(5 as never, 1)).toThrow(
      /^thread-send: contract violation\n {2}expected: thread\?/,
    );
    expect(() => threadSend(currentThread(), 1, 7 as never)).toThrow(
      /^thread-send: contract violation/,
    );
  });
});
