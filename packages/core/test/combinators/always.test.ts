import { describe, expect, it } from "vitest";
import { alwaysEvt, AlwaysEvt } from "../../src/combinators/always.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { isEvt } from "../../src/engine/sync-run.js";
import { PrimitiveEvt } from "../../src/protocol/evt.js";

describe("alwaysEvt", () => {
  it("is a primitive event, always ready, whose result is itself", async () => {
    expect(alwaysEvt).toBeInstanceOf(AlwaysEvt);
    expect(alwaysEvt).toBeInstanceOf(PrimitiveEvt);
    expect(isEvt(alwaysEvt)).toBe(true);
    expect(await sync(alwaysEvt)).toBe(alwaysEvt);
    expect(await syncTimeout(0, alwaysEvt)).toBe(alwaysEvt);
  });

  it("can be synced any number of times, also twice in one sync", async () => {
    for (let i = 0; i < 5; i++) expect(await sync(alwaysEvt, alwaysEvt)).toBe(alwaysEvt);
  });
});
