import { describe, expect, it } from "vitest";
import { nackGuardEvt } from "../../src/combinators/nack-guard.js";
import { guardEvt } from "../../src/combinators/guard.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { neverEvt } from "../../src/combinators/never.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { handleEvt } from "../../src/combinators/handle.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { replaceEvt } from "../../src/combinators/replace.js";
import { pollNow, sync, syncEnableBreak, syncTimeout } from "../../src/engine/sync.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { makeChannel, channelPut } from "../../src/primitives/channel.js";
import { ExnBreak, ExnFailContract } from "../../src/errors/exn.js";
import type { Evt } from "../../src/protocol/evt.js";
import { fixedOffset, rejection, track, turn, useVirtualTime, withGenerator } from "../helpers.js";

/** A nack-guard whose maker records its NACK and returns `inner`. */
function probe(inner: () => unknown = () => neverEvt) {
  const p: { nack: Evt<void> | undefined; calls: number; evt: Evt<unknown> } = {
    nack: undefined,
    calls: 0,
    evt: nackGuardEvt((n) => {
      p.calls++;
      p.nack = n;
      return inner();
    }),
  };
  return p;
}

/** Whether the NACK is ready now (a synchronous poll). */
function fired(p: { nack: Evt<void> | undefined }): boolean {
  if (!p.nack) throw new Error("the maker never ran");
  return pollNow([p.nack], "not ready") === undefined;
}

const inOrder = <T>(n: number, f: () => Promise<T>) => withGenerator(fixedOffset(0, n), f);

describe("nackGuardEvt: the NACK fires", () => {
  const clock = useVirtualTime();

  it("when another event is chosen (before that event's wraps run)", async () => {
    const p = probe();
    let firedInWrap: boolean | undefined;
    await inOrder(2, () =>
      sync(
        p.evt,
        wrapEvt(alwaysEvt, () => (firedInWrap = fired(p))),
      ),
    );
    expect(p.calls).toBe(1);
    expect(firedInWrap).toBe(true);
  });

  it("when another blocked event is chosen later", async () => {
    const s = makeSemaphore(0);
    const mine = makeSemaphore(0);
    const p = probe(() => mine);
    const t = track(sync(p.evt, s));
    await turn();
    expect(fired(p)).toBe(false);
    semaphorePost(s);
    await turn();
    expect(t.value).toBe(s);
    expect(fired(p)).toBe(true);
    semaphorePost(mine);
    expect(mine.count).toBe(1);
  });

  it("when a real timeout expires", async () => {
    const p = probe();
    const t = track(syncTimeout(0.1, p.evt));
    await turn();
    expect(fired(p)).toBe(false);
    clock.vts.flush();
    await turn();
    expect(t.value).toBe(false);
    expect(fired(p)).toBe(true);
  });

  it("when a poll finds nothing (0 and thunk timeouts)", async () => {
    const p = probe();
    expect(await syncTimeout(0, p.evt)).toBe(false);
    expect(fired(p)).toBe(true);
    const q = probe();
    expect(await syncTimeout(() => "thunk", q.evt)).toBe("thunk");
    expect(fired(q)).toBe(true);
  });

  it("when the maker itself throws (after receiving the NACK)", async () => {
    const err = new Error("maker");
    const p = probe(() => {
      throw err;
    });
    await expect(sync(p.evt)).rejects.toBe(err);
    expect(fired(p)).toBe(true);
  });

  it("when a later guard in the same sync throws", async () => {
    const p = probe();
    const err = new Error("later guard");
    const bad = guardEvt(() => {
      throw err;
    });
    await expect(inOrder(2, () => sync(p.evt, bad))).rejects.toBe(err);
    expect(fired(p)).toBe(true);
  });

  it("when another event is chosen and its wrap throws", async () => {
    const p = probe();
    const err = new Error("winner's wrap");
    await expect(
      inOrder(2, () =>
        sync(
          p.evt,
          wrapEvt(alwaysEvt, () => {
            throw err;
          }),
        ),
      ),
    ).rejects.toBe(err);
    expect(fired(p)).toBe(true);
  });

  it("when the sync is broken through its AbortSignal", async () => {
    const ac = new AbortController();
    const p = probe();
    const t = track(syncEnableBreak(ac.signal, p.evt));
    await turn();
    expect(fired(p)).toBe(false);
    ac.abort();
    await turn();
    expect(t.error).toBeInstanceOf(ExnBreak);
    expect(fired(p)).toBe(true);
  });

  it("for an inner nack-guard whose branch lost inside the outer guard's event", async () => {
    const inner = probe();
    const outer = probe(() =>
      choiceEvt(
        inner.evt,
        wrapEvt(alwaysEvt, () => "outer's own"),
      ),
    );
    expect(await inOrder(2, () => sync(outer.evt))).toBe("outer's own");
    expect(fired(inner)).toBe(true);
    expect(fired(outer)).toBe(false);
  });

  it("wakes syncs blocked on it, and stays ready", async () => {
    const p = probe();
    const s = makeSemaphore(0);
    const t = track(sync(p.evt, s));
    const waiter = track(sync(wrapEvt(p.nack!, (v) => ["nack", v])));
    await turn();
    expect(waiter.status).toBe("pending");
    semaphorePost(s);
    await turn();
    expect(t.value).toBe(s);
    expect(waiter.value).toEqual(["nack", undefined]);
    expect(await sync(p.nack!)).toBeUndefined();
    expect(await sync(p.nack!)).toBeUndefined();
  });

  it("a new NACK is made for each sync", async () => {
    const p = probe();
    await syncTimeout(0, p.evt);
    const first = p.nack;
    await syncTimeout(0, p.evt);
    expect(p.nack).not.toBe(first);
    expect(p.calls).toBe(2);
  });
});

describe("nackGuardEvt: the NACK never fires", () => {
  useVirtualTime();

  it("when the maker's event is chosen", async () => {
    const p = probe(() => wrapEvt(alwaysEvt, () => "mine"));
    expect(await inOrder(2, () => sync(p.evt, alwaysEvt))).toBe("mine");
    await turn();
    expect(fired(p)).toBe(false);
  });

  it("when the maker's event is chosen later, after blocking", async () => {
    const mine = makeSemaphore(0);
    const p = probe(() => mine);
    const t = track(sync(p.evt, makeSemaphore(0)));
    semaphorePost(mine);
    await turn();
    expect(t.value).toBe(mine);
    expect(fired(p)).toBe(false);
  });

  it("when a member of a choice inside the maker's event is chosen", async () => {
    const c = makeChannel<string>();
    const p = probe(() => choiceEvt(makeSemaphore(0), choiceEvt(neverEvt, c)));
    const t = track(sync(p.evt, makeSemaphore(0)));
    await channelPut(c, "v");
    await turn();
    expect(t.value).toBe("v");
    expect(fired(p)).toBe(false);
  });

  it("when an inner nack-guard's event is chosen: neither fires", async () => {
    const inner = probe(() => wrapEvt(alwaysEvt, () => "inner"));
    const outer = probe(() => inner.evt);
    expect(await sync(outer.evt)).toBe("inner");
    await turn();
    expect(fired(inner)).toBe(false);
    expect(fired(outer)).toBe(false);
  });

  it("when the maker's event is chosen and a wrap around the nack-guard throws", async () => {
    const p = probe(() => alwaysEvt);
    const err = new Error("outer wrap");
    await expect(
      sync(
        wrapEvt(p.evt, () => {
          throw err;
        }),
      ),
    ).rejects.toBe(err);
    expect(fired(p)).toBe(false);
  });

  it("when a replace inside the maker's event completes", async () => {
    const s = makeSemaphore(0);
    const p = probe(() => replaceEvt(s, () => wrapEvt(alwaysEvt, () => "replaced")));
    const t = track(sync(p.evt, makeSemaphore(0)));
    semaphorePost(s);
    await turn();
    expect(t.value).toBe("replaced");
    expect(fired(p)).toBe(false);
  });

  it("and the maker never runs when an earlier event is chosen first", async () => {
    const p = probe();
    await inOrder(2, () => sync(alwaysEvt, p.evt));
    expect(p.calls).toBe(0);
    expect(p.nack).toBeUndefined();
  });
});

describe("nackGuardEvt: results and contracts", () => {
  it("a non-event result makes it ready with the nack-guard itself", async () => {
    const e = nackGuardEvt(() => 3);
    expect(await sync(e)).toBe(e);
  });

  it("works under handle and wrap", async () => {
    const p = probe(() => wrapEvt(alwaysEvt, () => 1));
    expect(await sync(handleEvt(p.evt, (n) => (n as number) + 1))).toBe(2);
  });

  it("checks its argument with nack-guard-evt: contract violation", async () => {
    expect(() => nackGuardEvt(null as never)).toThrow(ExnFailContract);
    expect(() => nackGuardEvt(null as never)).toThrow(/^nack-guard-evt: contract violation/);
    expect(await rejection(sync(nackGuardEvt as never))).toBeInstanceOf(ExnFailContract);
  });
});
