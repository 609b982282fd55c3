import { describe, expect, it } from "vitest";
import { NackEvt } from "../../src/engine/nack.js";
import { pollNow, sync, syncTimeout } from "../../src/engine/sync.js";
import { atomically } from "../../src/engine/atomic.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { track, turn } from "../helpers.js";

describe("NackEvt", () => {
  it("is not ready until fired, then ready for good with result undefined", async () => {
    const n = new NackEvt();
    expect(n.isFired).toBe(false);
    expect(await syncTimeout(0, n)).toBe(false);
    atomically(() => n.fire());
    expect(n.isFired).toBe(true);
    expect(pollNow([n], "no")).toBeUndefined();
    expect(await sync(n)).toBeUndefined();
    expect(await sync(n)).toBeUndefined();
  });

  it("firing wakes every blocked sync, once; firing again does nothing", async () => {
    const n = new NackEvt();
    const a = track(sync(n));
    const b = track(sync(n));
    const other = makeSemaphore(0);
    const c = track(sync(n, other));
    semaphorePost(other);
    await turn();
    expect(c.value).toBe(other);
    atomically(() => n.fire());
    atomically(() => n.fire());
    await turn();
    expect(a).toMatchObject({ status: "ok", value: undefined });
    expect(b).toMatchObject({ status: "ok", value: undefined });
  });
});
