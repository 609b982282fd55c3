import { describe, expect, it } from "vitest";
import { isEvt, SyncRun } from "../../src/engine/sync-run.js";
import { sync, syncTimeout, syncWithCallbacks } from "../../src/engine/sync.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { neverEvt } from "../../src/combinators/never.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { guardEvt } from "../../src/combinators/guard.js";
import { nackGuardEvt } from "../../src/combinators/nack-guard.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { makeChannel } from "../../src/primitives/channel.js";
import { Evt, propEvt, RaiseResult } from "../../src/protocol/evt.js";
import {
  currentEvtPseudoRandomGenerator,
  makePseudoRandomGenerator,
} from "../../src/engine/random.js";
import { pollNow } from "../../src/engine/sync.js";
import {
  fixedOffset,
  Gate,
  histogram,
  track,
  turn,
  useSeededRandom,
  withGenerator,
} from "../helpers.js";

const tag = <T>(name: T) => wrapEvt(alwaysEvt, () => name);

async function tally(n: number, make: () => Promise<unknown>): Promise<Map<unknown, number>> {
  const out: unknown[] = [];
  for (let i = 0; i < n; i++) out.push(await make());
  return histogram(out);
}

describe("isEvt", () => {
  it("recognises events and propEvt objects, own or inherited", () => {
    expect(isEvt(alwaysEvt)).toBe(true);
    expect(isEvt(neverEvt)).toBe(true);
    expect(isEvt(choiceEvt())).toBe(true);
    expect(isEvt(makeSemaphore())).toBe(true);
    expect(isEvt(makeChannel())).toBe(true);
    expect(isEvt({ [propEvt]: alwaysEvt })).toBe(true);
    expect(isEvt(Object.create({ [propEvt]: alwaysEvt }))).toBe(true);
    const f = Object.assign(() => 1, { [propEvt]: alwaysEvt });
    expect(isEvt(f)).toBe(true);
  });
  it("rejects numbers, procedures, plain objects, null", () => {
    for (const v of [5, "x", () => 1, {}, null, undefined, true, Symbol("s")]) {
      expect(isEvt(v)).toBe(false);
    }
  });
});

describe("flattening and rotation", () => {
  useSeededRandom(20240601);

  it("splices choices eagerly: sync(choice(A,B), C) picks each about 1/3", async () => {
    const h = await tally(3000, () => sync(choiceEvt(tag("A"), tag("B")), tag("C")));
    for (const k of ["A", "B", "C"]) {
      expect(h.get(k)! / 3000).toBeGreaterThan(0.28);
      expect(h.get(k)! / 3000).toBeLessThan(0.39);
    }
  });

  it("splices deeply nested choices and drops never", async () => {
    const h = await tally(3000, () =>
      sync(choiceEvt(neverEvt, choiceEvt(tag("A"), choiceEvt(tag("B"), neverEvt))), tag("C")),
    );
    for (const k of ["A", "B", "C"]) {
      expect(h.get(k)! / 3000).toBeGreaterThan(0.28);
      expect(h.get(k)! / 3000).toBeLessThan(0.39);
    }
  });

  it("a choice found under a wrap is spliced when reached, with its own rotation (C ~1/2)", async () => {
    const h = await tally(4000, () =>
      sync(
        wrapEvt(choiceEvt(tag("A"), tag("B")), (x) => x),
        tag("C"),
      ),
    );
    expect(h.get("C")! / 4000).toBeGreaterThan(0.44);
    expect(h.get("C")! / 4000).toBeLessThan(0.56);
    expect(h.get("A")! / 4000).toBeGreaterThan(0.19);
    expect(h.get("B")! / 4000).toBeGreaterThan(0.19);
  });

  it("a choice returned by a guard is spliced when reached", async () => {
    const h = await tally(4000, () =>
      sync(
        guardEvt(() => choiceEvt(tag("A"), tag("B"))),
        tag("C"),
      ),
    );
    expect(h.get("C")! / 4000).toBeGreaterThan(0.44);
    expect(h.get("A")! / 4000).toBeGreaterThan(0.19);
    expect(h.get("B")! / 4000).toBeGreaterThan(0.19);
  });

  it("rotates (not shuffles): a ready event after a not-ready one collects its share", async () => {
    const s = makeSemaphore(0);
    const h = await tally(3000, () => sync(tag("A"), s, tag("C")));
    expect(h.get("A")! / 3000).toBeGreaterThan(0.28);
    expect(h.get("A")! / 3000).toBeLessThan(0.39);
    expect(h.get("C")! / 3000).toBeGreaterThan(0.61);
  });

  it("the offset comes from the current generator: offset k picks the k-th ready event", async () => {
    for (let k = 0; k < 4; k++) {
      const r = await withGenerator(fixedOffset(k, 4), () =>
        sync(tag(0), tag(1), choiceEvt(tag(2), tag(3))),
      );
      expect(r).toBe(k);
    }
  });

  it("a seed replays a run exactly", async () => {
    const run = async (seed: number) => {
      currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(seed));
      const out: unknown[] = [];
      for (let i = 0; i < 60; i++) {
        out.push(await sync(tag(0), tag(1), choiceEvt(tag(2), tag(3), tag(4)), tag(5)));
      }
      return out;
    };
    const a = await run(7);
    const b = await run(7);
    const c = await run(8);
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it("polls in rotated order and stops at the first ready event", async () => {
    const g = [new Gate("g0"), new Gate("g1").arm("one"), new Gate("g2").arm("two")];
    const r = await withGenerator(fixedOffset(0, 3), () => sync(g[0]!, g[1]!, g[2]!));
    expect(r).toBe("one");
    expect(g.map((x) => x.polls)).toEqual([1, 1, 0]);
    expect(g.map((x) => x.blocks)).toEqual([0, 0, 0]);
  });

  it("never starves a ready event", async () => {
    const g = new Gate("g", true).arm("x");
    for (let i = 0; i < 50; i++) {
      expect(await sync(neverEvt, makeSemaphore(0), g, makeChannel())).toBe("x");
    }
  });
});

describe("exactly one commit", () => {
  useSeededRandom(99);

  it("two posted semaphores: exactly one is decremented and it is the result", async () => {
    const seen = new Set<unknown>();
    for (let i = 0; i < 200; i++) {
      const a = makeSemaphore(1);
      const b = makeSemaphore(1);
      const r = await sync(a, b);
      expect(a.count + b.count).toBe(1);
      expect(r === a ? a.count : b.count).toBe(0);
      seen.add(r === a ? "a" : "b");
    }
    expect(seen.size).toBe(2);
  });

  it("blocked on several, completed once: the others are abandoned", async () => {
    const g1 = new Gate("1");
    const g2 = new Gate("2");
    const t = track(sync(g1, g2));
    expect(g1.blocks + g2.blocks).toBe(2);
    expect(g1.open("first")).toBe(true);
    // The other waiter was withdrawn in the same step: nothing can complete the sync twice.
    expect(g2.waiters.size).toBe(0);
    expect(g2.abandons).toBe(1);
    expect(g2.open("second")).toBe(false);
    await turn();
    expect(t).toMatchObject({ status: "ok", value: "first" });
  });

  it("a ready sync commits before sync returns", async () => {
    const s = makeSemaphore(1);
    const p = sync(s);
    expect(s.count).toBe(0);
    await expect(p).resolves.toBe(s);
  });

  it("committing a decided sync is reported as a primitive bug", async () => {
    const g = new Gate();
    const p = sync(g);
    const c = g.waiters.head!;
    g.open(1);
    expect(() => c.commit(2)).toThrow(/primitive bug/);
    await expect(p).resolves.toBe(1);
  });
});

describe("guards", () => {
  it("run lazily: not at all when an earlier candidate is chosen", async () => {
    let calls = 0;
    const g = guardEvt(() => {
      calls++;
      return alwaysEvt;
    });
    await withGenerator(fixedOffset(0, 2), () => sync(tag("first"), g));
    expect(calls).toBe(0);
    await withGenerator(fixedOffset(1, 2), () => sync(tag("first"), g));
    expect(calls).toBe(1);
  });

  it("run about half the time in sync(always, guard)", async () => {
    let calls = 0;
    const g = guardEvt(() => {
      calls++;
      return neverEvt;
    });
    currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(3));
    try {
      for (let i = 0; i < 1000; i++) await sync(alwaysEvt, g);
    } finally {
      currentEvtPseudoRandomGenerator(Math.random);
    }
    expect(calls).toBeGreaterThan(400);
    expect(calls).toBeLessThan(600);
  });

  it("run once per occurrence per sync, and again on every new sync", async () => {
    let calls = 0;
    const g = guardEvt(() => {
      calls++;
      return makeSemaphore(0);
    });
    const s = makeSemaphore(0);
    const t = track(sync(g, g, s));
    expect(calls).toBe(2);
    semaphorePost(s);
    await turn();
    expect(t.status).toBe("ok");
    expect(calls).toBe(2);
    await syncTimeout(0, g);
    expect(calls).toBe(3);
  });

  it("a blocked sync does not re-run its guards when other events become ready", async () => {
    let calls = 0;
    const a = new Gate("a");
    const p = sync(
      guardEvt(() => {
        calls++;
        return a;
      }),
      new Gate("b"),
    );
    expect(calls).toBe(1);
    a.open("x");
    await expect(p).resolves.toBe("x");
    expect(calls).toBe(1);
  });
});

describe("wraps", () => {
  it("apply inside-out, after the commit", async () => {
    const order: string[] = [];
    const s = makeSemaphore(1);
    const e = wrapEvt(
      wrapEvt(s, (v) => {
        order.push(`inner saw count ${(v as typeof s).count}`);
        return 1;
      }),
      (n) => {
        order.push("outer");
        return n + 1;
      },
    );
    expect(await sync(e)).toBe(2);
    expect(order).toEqual(["inner saw count 0", "outer"]);
  });

  it("a RaiseResult from a primitive rejects the sync and skips the wraps", async () => {
    const err = new Error("closed");
    const g = new Gate().arm(new RaiseResult(err));
    let wrapped = false;
    const p = sync(
      wrapEvt(g, () => {
        wrapped = true;
      }),
    );
    await expect(p).rejects.toBe(err);
    expect(wrapped).toBe(false);
  });

  it("a RaiseResult committed to a blocked waiter rejects too", async () => {
    const err = new Error("closed later");
    const g = new Gate();
    const p = sync(g);
    g.open(new RaiseResult(err));
    await expect(p).rejects.toBe(err);
  });
});

describe("propEvt objects", () => {
  it("an object whose [propEvt] is an event acts as it", async () => {
    const s = makeSemaphore(1);
    const o = { [propEvt]: s };
    expect(await sync(o)).toBe(s);
    expect(s.count).toBe(0);
  });

  it("an inherited [propEvt] counts", async () => {
    class Job {
      get [propEvt]() {
        return wrapEvt(alwaysEvt, () => "inherited");
      }
    }
    expect(await sync(new Job())).toBe("inherited");
  });

  it("a function is called with the object at each sync; its event stands in", async () => {
    const seen: unknown[] = [];
    const o = {
      n: 0,
      [propEvt](self: { n: number }) {
        seen.push(self);
        self.n++;
        return wrapEvt(alwaysEvt, () => self.n);
      },
    };
    expect(await sync(o)).toBe(1);
    expect(await sync(o)).toBe(2);
    expect(seen).toEqual([o, o]);
  });

  it("a function returning a non-event makes the object ready with itself", async () => {
    const o = { [propEvt]: () => 42 };
    expect(await sync(o)).toBe(o);
  });

  it("a function returning a choice is spliced", async () => {
    const o = { [propEvt]: () => choiceEvt(neverEvt, tag("x")) };
    expect(await syncTimeout(0, o)).toBe("x");
  });

  it("any other value: never ready", async () => {
    for (const v of [5, "x", null, { a: 1 }]) {
      const o = { [propEvt]: v };
      expect(isEvt(o)).toBe(true);
      expect(await syncTimeout(0, o)).toBe(false);
      expect(await sync(o, tag("other"))).toBe("other");
    }
  });

  it("a nested propEvt object is followed", async () => {
    const inner = { [propEvt]: tag("deep") };
    expect(await sync({ [propEvt]: inner })).toBe("deep");
  });

  it("an Evt subclass that is no known node kind is never ready", async () => {
    class Odd extends Evt<number> {}
    expect(await syncTimeout(0, new Odd())).toBe(false);
  });
});

describe("interrupt and cancel", () => {
  it("interrupt settles a pending sync with the error and fires its NACKs", async () => {
    let nack: Evt<void> | undefined;
    const g = new Gate();
    let err: unknown;
    const run = syncWithCallbacks(
      [
        nackGuardEvt((n) => {
          nack = n;
          return g;
        }),
      ],
      () => {},
      (e) => (err = e),
    );
    const boom = new Error("killed");
    expect(run.interrupt(boom)).toBe(true);
    expect(err).toBe(boom);
    expect(g.waiters.size).toBe(0);
    expect(pollNow([nack!], "no")).toBeUndefined();
    expect(run.interrupt(new Error("again"))).toBe(false);
  });

  it("interrupt after a commit returns false and the result stands", async () => {
    const results: unknown[] = [];
    const g = new Gate();
    const run = syncWithCallbacks(
      [g],
      (v) => results.push(["ok", v]),
      (e) => results.push(["err", e]),
    );
    g.open("v");
    expect(run.interrupt(new Error("late"))).toBe(false);
    expect(results).toEqual([["ok", "v"]]);
  });

  it("cancel abandons without settling; NACKs fire; nothing is consumed later", async () => {
    let nack: Evt<void> | undefined;
    const s = makeSemaphore(0);
    const calls: unknown[] = [];
    const run = syncWithCallbacks(
      [
        nackGuardEvt((n) => {
          nack = n;
          return s;
        }),
      ],
      (v) => calls.push(v),
      (e) => calls.push(e),
    );
    run.cancel();
    run.cancel();
    semaphorePost(s);
    expect(s.count).toBe(1);
    await turn();
    expect(calls).toEqual([]);
    expect(pollNow([nack!], "no")).toBeUndefined();
  });

  it("SyncRun owners: a run is its own owner unless given one", () => {
    const a = new SyncRun(
      false,
      () => {},
      () => {},
    );
    const owner = {};
    const b = new SyncRun(
      false,
      () => {},
      () => {},
      owner,
    );
    expect(a.owner).toBe(a);
    expect(b.owner).toBe(owner);
  });
});

describe("exceptions", () => {
  it("a guard's exception rejects the sync, also when polling; non-Error values unchanged", async () => {
    const g = guardEvt(() => {
      throw 42;
    });
    await expect(sync(g)).rejects.toBe(42);
    await expect(syncTimeout(0, g)).rejects.toBe(42);
    await expect(syncTimeout(() => "thunk", g)).rejects.toBe(42);
  });

  it("a guard's exception withdraws candidates that were already polled", async () => {
    const s = makeSemaphore(0);
    const p = withGenerator(fixedOffset(0, 2), () =>
      sync(
        s,
        guardEvt(() => {
          throw new Error("g");
        }),
      ),
    );
    await expect(p).rejects.toThrow("g");
    expect(s.waiters.size).toBe(0);
  });

  it("a wrap's exception rejects the sync after the commit", async () => {
    const s = makeSemaphore(1);
    await expect(
      sync(
        wrapEvt(s, () => {
          throw new Error("w");
        }),
      ),
    ).rejects.toThrow("w");
    expect(s.count).toBe(0);
  });
});
