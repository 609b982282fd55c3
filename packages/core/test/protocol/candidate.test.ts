import { describe, expect, it } from "vitest";
import { Candidate } from "../../src/protocol/candidate.js";
import { syncWithCallbacks } from "../../src/engine/sync.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { nackGuardEvt } from "../../src/combinators/nack-guard.js";
import { Gate } from "../helpers.js";

describe("Candidate", () => {
  it("a blocked candidate knows its run, the primitive reached, its wraps and NACKs", () => {
    const g = new Gate();
    let nack: unknown;
    const run = syncWithCallbacks(
      [
        wrapEvt(
          nackGuardEvt((n) => {
            nack = n;
            return wrapEvt(g, (x) => x);
          }),
          (x) => x,
        ),
      ],
      () => {},
      () => {},
    );
    const c = g.waiters.head!;
    expect(c).toBeInstanceOf(Candidate);
    expect(c.run).toBe(run);
    expect(c.prim).toBe(g);
    expect(c.evt).toBe(g);
    expect(c.wraps?.next?.next).toBeNull();
    expect(c.nacks?.nack).toBe(nack);
    expect(c.nacks?.next).toBeNull();
    run.cancel();
  });

  it("commit decides the run for that candidate, with the result given, wraps applied", () => {
    const g1 = new Gate();
    const g2 = new Gate();
    const got: unknown[] = [];
    const run = syncWithCallbacks(
      [wrapEvt(g1, (v) => ["g1", v]), g2],
      (v) => got.push(v),
      () => {},
    );
    const c = g1.waiters.shift()!;
    expect(run.done).toBe(false);
    c.commit("raw");
    expect(run.done).toBe(true);
    expect(got).toEqual([["g1", "raw"]]);
    expect(g2.waiters.size).toBe(0);
  });

  it("keeps a primitive's private data between block and abandon", () => {
    const g = new Gate();
    const run = syncWithCallbacks(
      [g],
      () => {},
      () => {},
    );
    const c = g.waiters.head!;
    c.data = { timer: 1 };
    expect(c.data).toEqual({ timer: 1 });
    run.cancel();
  });
});
