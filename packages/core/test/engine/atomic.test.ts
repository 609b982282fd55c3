import { describe, expect, it } from "vitest";
import { atomically, defer } from "../../src/engine/atomic.js";
import { sync } from "../../src/engine/sync.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";

describe("atomically and defer", () => {
  it("defer outside an atomic step runs the task at once", () => {
    const log: unknown[] = [];
    defer((a, b) => log.push([a, b]), 1, 2);
    expect(log).toEqual([[1, 2]]);
  });

  it("deferred work waits for the outermost atomic step to end, in order", () => {
    const log: string[] = [];
    const r = atomically(() => {
      defer(() => log.push("a"), 0, 0);
      atomically(() => {
        defer(() => log.push("b"), 0, 0);
        log.push("inner body");
      });
      log.push("outer body");
      return 42;
    });
    expect(r).toBe(42);
    expect(log).toEqual(["inner body", "outer body", "a", "b"]);
  });

  it("runs deferred work even when the step throws", () => {
    const log: string[] = [];
    expect(() =>
      atomically(() => {
        defer(() => log.push("ran"), 0, 0);
        throw new Error("step");
      }),
    ).toThrow("step");
    expect(log).toEqual(["ran"]);
  });

  it("work deferred while flushing runs in the same flush, after the current task", () => {
    const log: string[] = [];
    atomically(() => {
      defer(
        () => {
          log.push("t1 start");
          defer(() => log.push("t3"), 0, 0);
          atomically(() => defer(() => log.push("t4"), 0, 0));
          log.push("t1 end");
        },
        0,
        0,
      );
      defer(() => log.push("t2"), 0, 0);
    });
    expect(log).toEqual(["t1 start", "t1 end", "t2", "t3", "t4"]);
  });

  it("a throwing task does not stop the tasks behind it (the error is reported asynchronously)", async () => {
    const log: string[] = [];
    const reported: unknown[] = [];
    const onUncaught = (e: unknown) => reported.push(e);
    process.prependListener("uncaughtException", onUncaught);
    const listeners = process.listeners("uncaughtException");
    // vitest's own handler would fail the run: keep only ours for this turn.
    for (const l of listeners) if (l !== onUncaught) process.removeListener("uncaughtException", l);
    try {
      atomically(() => {
        defer(
          () => {
            throw new Error("task bug");
          },
          0,
          0,
        );
        defer(() => log.push("after"), 0, 0);
      });
      expect(log).toEqual(["after"]);
      await new Promise((r) => setImmediate(r));
    } finally {
      process.removeListener("uncaughtException", onUncaught);
      for (const l of listeners) if (l !== onUncaught) process.on("uncaughtException", l);
    }
    expect((reported[0] as Error).message).toBe("task bug");
  });

  it("a wrap runs after the atomic step that committed its sync", async () => {
    const s = makeSemaphore(0);
    const log: string[] = [];
    const p = sync(wrapEvt(s, () => log.push("wrap")));
    atomically(() => {
      semaphorePost(s);
      log.push("still in the step");
    });
    log.push("after the step");
    await p;
    expect(log).toEqual(["still in the step", "wrap", "after the step"]);
  });
});
