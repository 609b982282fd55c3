import { describe, expect, it } from "vitest";
import { systemIdleEvt } from "../../src/primitives/system-idle.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { isEvt } from "../../src/engine/sync-run.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { track } from "../helpers.js";

describe("systemIdleEvt", () => {
  it("is always the same event", () => {
    expect(systemIdleEvt()).toBe(systemIdleEvt());
    expect(isEvt(systemIdleEvt())).toBe(true);
  });

  it("is ready, with result undefined, once pending promise work has run", async () => {
    const order: string[] = [];
    const idle = sync(systemIdleEvt()).then((v) => order.push(`idle ${String(v)}`));
    void Promise.resolve()
      .then(() => order.push("microtask 1"))
      .then(() => order.push("microtask 2"));
    await idle;
    expect(order).toEqual(["microtask 1", "microtask 2", "idle undefined"]);
  });

  it("a poll never finds it ready", async () => {
    expect(await syncTimeout(0, systemIdleEvt())).toBe(false);
  });

  it("wakes every waiter; a waiter that chose something else first is left alone", async () => {
    const s = makeSemaphore(0);
    const a = track(sync(systemIdleEvt()));
    const b = track(sync(systemIdleEvt(), s));
    semaphorePost(s);
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(a).toMatchObject({ status: "ok", value: undefined });
    expect(b.value).toBe(s);
    expect(s.count).toBe(0);
  });

  it("loses to a ready event", async () => {
    const s = makeSemaphore(1);
    expect(await sync(systemIdleEvt(), s)).toBe(s);
  });
});
