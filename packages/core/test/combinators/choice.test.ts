import { describe, expect, it } from "vitest";
import { choiceEvt } from "../../src/combinators/choice.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { neverEvt } from "../../src/combinators/never.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { isEvt } from "../../src/engine/sync-run.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { propEvt } from "../../src/protocol/evt.js";
import { histogram, track, turn, useSeededRandom } from "../helpers.js";

describe("choiceEvt", () => {
  useSeededRandom(5);

  it("is ready when any member is; its result is the chosen member's", async () => {
    const s = makeSemaphore(0);
    const e = choiceEvt(
      s,
      wrapEvt(alwaysEvt, () => "w"),
    );
    expect(isEvt(e)).toBe(true);
    expect(await sync(e)).toBe("w");
    const t = track(sync(choiceEvt(neverEvt, s)));
    await turn();
    expect(t.status).toBe("pending");
    semaphorePost(s);
    await turn();
    expect(t.value).toBe(s);
  });

  it("choiceEvt() is never ready", async () => {
    expect(await syncTimeout(0, choiceEvt())).toBe(false);
    expect(await sync(choiceEvt(), alwaysEvt)).toBe(alwaysEvt);
  });

  it("picks each ready member about equally often", async () => {
    const out: unknown[] = [];
    const e = choiceEvt(...[0, 1, 2, 3].map((i) => wrapEvt(alwaysEvt, () => i)));
    for (let i = 0; i < 2000; i++) out.push(await sync(e));
    const h = histogram(out);
    for (let i = 0; i < 4; i++) {
      expect(h.get(i)! / 2000).toBeGreaterThan(0.19);
      expect(h.get(i)! / 2000).toBeLessThan(0.31);
    }
  });

  it("copies its arguments: later changes to the array do not matter", async () => {
    const members = [neverEvt];
    const e = choiceEvt(...members);
    members.push(alwaysEvt as never);
    expect(await syncTimeout(0, e)).toBe(false);
  });

  it("accepts propEvt objects", async () => {
    expect(await sync(choiceEvt({ [propEvt]: alwaysEvt }))).toBe(alwaysEvt);
  });

  it("rejects a non-event with choice-evt: contract violation", () => {
    expect(() => choiceEvt(alwaysEvt, 7 as never)).toThrow(ExnFailContract);
    expect(() => choiceEvt(alwaysEvt, 7 as never)).toThrow(
      /^choice-evt: contract violation\n {2}expected: evt\?\n {2}given: 7\n {2}argument position: 2nd/,
    );
  });
});
