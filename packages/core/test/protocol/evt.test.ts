import { describe, expect, it } from "vitest";
import { Evt, NOT_READY, PrimitiveEvt, propEvt, RaiseResult } from "../../src/protocol/evt.js";
import type { Candidate } from "../../src/protocol/candidate.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { isEvt } from "../../src/engine/sync-run.js";
import { atomically } from "../../src/engine/atomic.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { Gate, track, turn } from "../helpers.js";

describe("the primitive protocol", () => {
  it("poll is tried first; block only after NOT_READY; abandon for every loser", async () => {
    const g = new Gate("g");
    const s = makeSemaphore(0);
    const t = track(sync(g, s));
    expect(g.log).toEqual(["poll", "block"]);
    semaphorePost(s);
    await turn();
    expect(t.value).toBe(s);
    expect(g.log).toEqual(["poll", "block", "abandon"]);
  });

  it("a committed waiter is not abandoned", async () => {
    const g = new Gate("g");
    const p = sync(g);
    g.open("x");
    await p;
    expect(g.log).toEqual(["poll", "block"]);
  });

  it("a poll that finds the event ready commits it without blocking anything", async () => {
    const g = new Gate("g").arm(5);
    expect(await sync(g)).toBe(5);
    expect(g.log).toEqual(["poll"]);
  });

  it("a polling sync never blocks", async () => {
    const g = new Gate("g");
    expect(await syncTimeout(0, g)).toBe(false);
    expect(g.log).toEqual(["poll"]);
  });

  it("a custom primitive works as documented (Gate example)", async () => {
    class Door extends PrimitiveEvt<string> {
      open = false;
      waiting: Candidate[] = [];
      poll(_c: Candidate) {
        return this.open ? "open" : NOT_READY;
      }
      block(c: Candidate) {
        this.waiting.push(c);
      }
      abandon(c: Candidate) {
        this.waiting = this.waiting.filter((x) => x !== c);
      }
      openNow() {
        atomically(() => {
          this.open = true;
          for (const c of this.waiting.splice(0)) if (!c.run.done) c.commit("open");
        });
      }
    }
    const d = new Door();
    expect(isEvt(d)).toBe(true);
    const a = track(sync(d));
    const b = track(sync(d));
    d.openNow();
    await turn();
    expect([a.value, b.value]).toEqual(["open", "open"]);
    expect(await sync(d)).toBe("open");
  });

  it("NOT_READY is a unique symbol", () => {
    expect(typeof NOT_READY).toBe("symbol");
    expect(NOT_READY).not.toBe(Symbol("rendezvous.notReady"));
  });

  it("RaiseResult carries the error raised when its event is chosen", async () => {
    const err = new Error("e");
    const r = new RaiseResult(err);
    expect(r.error).toBe(err);
    expect(await syncTimeout(0, new Gate().arm(r)).catch((e: unknown) => e)).toBe(err);
  });

  it("propEvt is a registered symbol, so copies of the library agree", () => {
    expect(propEvt).toBe(Symbol.for("rendezvous.propEvt"));
  });

  it("Evt is the base of every event kind", () => {
    expect(makeSemaphore()).toBeInstanceOf(Evt);
    expect(new Gate()).toBeInstanceOf(Evt);
  });
});
