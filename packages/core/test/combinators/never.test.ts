import { describe, expect, it } from "vitest";
import { neverEvt } from "../../src/combinators/never.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { guardEvt } from "../../src/combinators/guard.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { isEvt } from "../../src/engine/sync-run.js";
import { track, turn } from "../helpers.js";

describe("neverEvt", () => {
  it("is an event that is never ready", async () => {
    expect(isEvt(neverEvt)).toBe(true);
    expect(await syncTimeout(0, neverEvt)).toBe(false);
    expect(await syncTimeout(0, neverEvt, neverEvt, choiceEvt(neverEvt))).toBe(false);
  });

  it("sync(neverEvt) waits forever", async () => {
    const t = track(sync(neverEvt));
    await turn();
    expect(t.status).toBe("pending");
  });

  it("is dropped when reached under a wrap or from a guard", async () => {
    expect(
      await sync(
        wrapEvt(neverEvt, () => "no"),
        alwaysEvt,
      ),
    ).toBe(alwaysEvt);
    expect(
      await sync(
        guardEvt(() => neverEvt),
        alwaysEvt,
      ),
    ).toBe(alwaysEvt);
  });
});
