import { describe, expect, it } from "vitest";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { guardEvt } from "../../src/combinators/guard.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { makeChannel, channelPut } from "../../src/primitives/channel.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { track, turn } from "../helpers.js";

describe("wrapEvt", () => {
  it("applies f to the event's result after the commit", async () => {
    const s = makeSemaphore(1);
    let countSeen = -1;
    const r = await sync(
      wrapEvt(s, (v) => {
        countSeen = v.count;
        return "wrapped";
      }),
    );
    expect(r).toBe("wrapped");
    expect(countSeen).toBe(0);
  });

  it("applies nested wraps inside-out", async () => {
    const order: string[] = [];
    const e = wrapEvt(
      wrapEvt(
        wrapEvt(alwaysEvt, () => {
          order.push("1");
          return 1;
        }),
        (n) => {
          order.push("2");
          return n * 10;
        },
      ),
      (n) => {
        order.push("3");
        return n + 5;
      },
    );
    expect(await sync(e)).toBe(15);
    expect(order).toEqual(["1", "2", "3"]);
  });

  it("a wrap around a choice applies to whichever member is chosen", async () => {
    const c = makeChannel<number>();
    void channelPut(c, 4);
    const e = wrapEvt(choiceEvt(makeSemaphore(0), c), (v) => ["got", v]);
    expect(await sync(e)).toEqual(["got", 4]);
  });

  it("runs only for the chosen event, never for a loser", async () => {
    const ran: string[] = [];
    const s = makeSemaphore(0);
    const t = track(
      sync(
        wrapEvt(s, () => ran.push("s")),
        wrapEvt(makeSemaphore(0), () => ran.push("other")),
      ),
    );
    semaphorePost(s);
    await turn();
    expect(t.status).toBe("ok");
    expect(ran).toEqual(["s"]);
  });

  it("runs at the end of the committing step, after the primitive's bookkeeping", async () => {
    const order: string[] = [];
    const s = makeSemaphore(0);
    const p = sync(
      wrapEvt(s, () => order.push(`wrap: count ${s.count}, waiters ${s.waiters.size}`)),
    );
    semaphorePost(s);
    order.push("post returned");
    await p;
    expect(order).toEqual(["wrap: count 0, waiters 0", "post returned"]);
  });

  it("an exception rejects the sync; the commit stands", async () => {
    const s = makeSemaphore(1);
    const err = new Error("in wrap");
    await expect(
      sync(
        wrapEvt(s, () => {
          throw err;
        }),
      ),
    ).rejects.toBe(err);
    expect(s.count).toBe(0);
  });

  it("wraps a guard's event", async () => {
    expect(
      await syncTimeout(
        0,
        wrapEvt(
          guardEvt(() => alwaysEvt),
          (v) => v === alwaysEvt,
        ),
      ),
    ).toBe(true);
  });

  it("checks its arguments with wrap-evt: contract violation", () => {
    expect(() => wrapEvt(1 as never, () => 0)).toThrow(ExnFailContract);
    expect(() => wrapEvt(1 as never, () => 0)).toThrow(
      /^wrap-evt: contract violation\n {2}expected: evt\?\n {2}given: 1\n {2}argument position: 1st/,
    );
    expect(() => wrapEvt(alwaysEvt, "f" as never)).toThrow(
      /^wrap-evt: contract violation\n {2}expected: procedure\?\n {2}given: "f"\n {2}argument position: 2nd/,
    );
  });
});
