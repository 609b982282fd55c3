import { describe, expect, it } from "vitest";
import { handleEvt, isHandleEvt } from "../../src/combinators/handle.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { sync, syncEnableBreak, syncTimeout } from "../../src/engine/sync.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { makeChannel, channelPut, channelGet } from "../../src/primitives/channel.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { track, turn } from "../helpers.js";

describe("handleEvt", () => {
  it("its procedure's value is the sync's result", async () => {
    expect(await sync(handleEvt(alwaysEvt, (v) => [v === alwaysEvt, "handled"]))).toEqual([
      true,
      "handled",
    ]);
  });

  it("its procedure may be async: the awaited value is the result", async () => {
    const r = await sync(
      handleEvt(alwaysEvt, async () => {
        await turn();
        return 99;
      }),
    );
    expect(r).toBe(99);
  });

  it("an async rejection rejects the sync; a synchronous throw too", async () => {
    const err = new Error("h");
    await expect(
      sync(
        handleEvt(alwaysEvt, async () => {
          await turn();
          throw err;
        }),
      ),
    ).rejects.toBe(err);
    await expect(
      sync(
        handleEvt(alwaysEvt, () => {
          throw err;
        }),
      ),
    ).rejects.toBe(err);
  });

  it("runs after the commit, only for the chosen event", async () => {
    const s = makeSemaphore(0);
    const ran: string[] = [];
    const t = track(
      sync(
        handleEvt(s, () => ran.push(`s, count ${s.count}`)),
        handleEvt(makeSemaphore(0), () => ran.push("loser")),
      ),
    );
    semaphorePost(s);
    await turn();
    expect(t.status).toBe("ok");
    expect(ran).toEqual(["s, count 0"]);
  });

  it("wraps inside a handle apply first", async () => {
    const e = handleEvt(
      wrapEvt(alwaysEvt, () => 2),
      (n) => n * 3,
    );
    expect(await syncTimeout(0, e)).toBe(6);
  });

  it("a loop of 100,000 syncs, each handler syncing again, runs in constant stack", async () => {
    const count = (n: number): Promise<number> =>
      sync(handleEvt(alwaysEvt, () => (n === 0 ? 0 : count(n - 1).then((k) => k + 1))));
    expect(await count(100_000)).toBe(100_000);
  });

  it("the same loop through syncTimeout and syncEnableBreak", async () => {
    const signal = new AbortController().signal;
    const viaTimeout = (n: number): Promise<unknown> =>
      syncTimeout(
        5,
        handleEvt(alwaysEvt, (): unknown => (n === 0 ? "done" : viaTimeout(n - 1))),
      );
    const viaBreak = (n: number): Promise<unknown> =>
      syncEnableBreak(
        signal,
        handleEvt(alwaysEvt, () => (n === 0 ? "done" : viaBreak(n - 1))),
      );
    expect(await viaTimeout(100_000)).toBe("done");
    expect(await viaBreak(100_000)).toBe("done");
  });

  it("a ping-pong of 20,000 rounds through handlers over channels", async () => {
    const a = makeChannel<number>();
    const b = makeChannel<number>();
    const pong = (): Promise<unknown> =>
      sync(
        handleEvt(a, async (n) => {
          await channelPut(b, n + 1);
          return n >= 20_000 ? n : pong();
        }),
      );
    const ponger = pong();
    let n = 0;
    while (n < 20_000) {
      await channelPut(a, n);
      n = await channelGet(b);
    }
    await channelPut(a, n);
    expect(await channelGet(b)).toBe(20_001);
    expect(await ponger).toBe(20_000);
  });

  it("checks its arguments with handle-evt: contract violation", () => {
    expect(() => handleEvt(null as never, () => 0)).toThrow(ExnFailContract);
    expect(() => handleEvt(null as never, () => 0)).toThrow(
      /^handle-evt: contract violation\n {2}expected: evt\?/,
    );
    expect(() => handleEvt(alwaysEvt, 3 as never)).toThrow(
      /^handle-evt: contract violation\n {2}expected: procedure\?\n {2}given: 3\n {2}argument position: 2nd/,
    );
  });
});

describe("isHandleEvt", () => {
  it("is true for a handle or a choice containing one, false for a wrap around one", () => {
    const h = handleEvt(alwaysEvt, () => 1);
    expect(isHandleEvt(h)).toBe(true);
    expect(isHandleEvt(choiceEvt(alwaysEvt, h))).toBe(true);
    expect(isHandleEvt(choiceEvt(alwaysEvt, choiceEvt(h)))).toBe(true);
    expect(isHandleEvt(wrapEvt(h, (x) => x))).toBe(false);
    expect(isHandleEvt(choiceEvt(alwaysEvt))).toBe(false);
    expect(isHandleEvt(alwaysEvt)).toBe(false);
    expect(isHandleEvt(5)).toBe(false);
  });
});
