import { describe, expect, it } from "vitest";
import {
  ChoiceEvt,
  HandleEvt,
  NackGuardEvt,
  NeverEvt,
  PollGuardEvt,
  ReadyEvt,
  ReplaceEvt,
  WrapEvt,
} from "../../src/protocol/nodes.js";
import { Evt, PrimitiveEvt } from "../../src/protocol/evt.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { neverEvt } from "../../src/combinators/never.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { handleEvt } from "../../src/combinators/handle.js";
import { guardEvt, pollGuardEvt } from "../../src/combinators/guard.js";
import { nackGuardEvt } from "../../src/combinators/nack-guard.js";
import { replaceEvt } from "../../src/combinators/replace.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";

describe("event tree node kinds", () => {
  it("each combinator builds its node kind", () => {
    expect(choiceEvt()).toBeInstanceOf(ChoiceEvt);
    expect(wrapEvt(alwaysEvt, (x) => x)).toBeInstanceOf(WrapEvt);
    expect(handleEvt(alwaysEvt, (x) => x)).toBeInstanceOf(HandleEvt);
    expect(guardEvt(() => alwaysEvt)).toBeInstanceOf(PollGuardEvt);
    expect(pollGuardEvt(() => alwaysEvt)).toBeInstanceOf(PollGuardEvt);
    expect(nackGuardEvt(() => alwaysEvt)).toBeInstanceOf(NackGuardEvt);
    expect(replaceEvt(alwaysEvt, () => alwaysEvt)).toBeInstanceOf(ReplaceEvt);
    expect(neverEvt).toBeInstanceOf(NeverEvt);
    for (const k of [
      ChoiceEvt,
      WrapEvt,
      HandleEvt,
      PollGuardEvt,
      NackGuardEvt,
      ReplaceEvt,
      NeverEvt,
    ]) {
      expect(k.prototype).toBeInstanceOf(Evt);
      expect(k.prototype).not.toBeInstanceOf(PrimitiveEvt);
    }
  });

  it("ReadyEvt is a primitive ready at once with its fixed value", async () => {
    const r = new ReadyEvt("v");
    expect(r).toBeInstanceOf(PrimitiveEvt);
    expect(await sync(r)).toBe("v");
    expect(await syncTimeout(0, r)).toBe("v");
  });

  it("nodes keep what they were built from", () => {
    const f = (x: unknown) => x;
    const w = wrapEvt(alwaysEvt, f) as WrapEvt;
    expect(w.inner).toBe(alwaysEvt);
    expect(w.f).toBe(f);
    const c = choiceEvt(alwaysEvt, neverEvt) as ChoiceEvt;
    expect(c.evts).toEqual([alwaysEvt, neverEvt]);
    const r = replaceEvt(alwaysEvt, f) as ReplaceEvt;
    expect(r.inner).toBe(alwaysEvt);
    expect(r.maker).toBe(f);
  });
});
