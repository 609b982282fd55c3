import { afterEach, describe, expect, it } from "vitest";
import { currentSyncHost, setSyncHostProvider, type SyncHost } from "../../src/engine/sync-host.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import type { SyncRun } from "../../src/engine/sync-run.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { guardEvt } from "../../src/combinators/guard.js";
import { rejection, track, turn } from "../helpers.js";

afterEach(() => setSyncHostProvider(() => undefined));

function recordingHost(refuse?: unknown): SyncHost & { log: string[]; runs: SyncRun[] } {
  const h = {
    log: [] as string[],
    runs: [] as SyncRun[],
    enter(run: SyncRun) {
      h.log.push("enter");
      h.runs.push(run);
      return refuse;
    },
    leave(run: SyncRun) {
      h.log.push(run === h.runs[h.runs.length - 1] ? "leave" : "leave (other run)");
    },
  };
  return h;
}

describe("SyncHost", () => {
  it("no host by default", () => {
    expect(currentSyncHost()).toBeUndefined();
  });

  it("is told when a top-level sync starts and when it settles (ready at once)", async () => {
    const h = recordingHost();
    setSyncHostProvider(() => h);
    expect(currentSyncHost()).toBe(h);
    await sync(alwaysEvt);
    expect(h.log).toEqual(["enter", "leave"]);
  });

  it("leave comes once, when a blocked sync settles", async () => {
    const h = recordingHost();
    setSyncHostProvider(() => h);
    const s = makeSemaphore(0);
    const t = track(sync(s));
    await turn();
    expect(h.log).toEqual(["enter"]);
    setSyncHostProvider(() => undefined);
    semaphorePost(s);
    await turn();
    expect(t.value).toBe(s);
    expect(h.log).toEqual(["enter", "leave"]);
  });

  it("leave comes after a poll miss and after a guard's exception", async () => {
    const h = recordingHost();
    setSyncHostProvider(() => h);
    expect(await syncTimeout(0, makeSemaphore(0))).toBe(false);
    await rejection(
      sync(
        guardEvt(() => {
          throw new Error("g");
        }),
      ),
    );
    expect(h.log).toEqual(["enter", "leave", "enter", "leave"]);
  });

  it("enter may refuse with an error: the sync rejects with it before polling", async () => {
    const refusal = new Error("pending break");
    const h = recordingHost(refusal);
    setSyncHostProvider(() => h);
    const s = makeSemaphore(1);
    expect(await rejection(sync(s))).toBe(refusal);
    expect(s.count).toBe(1);
    expect(h.log).toEqual(["enter", "leave"]);
  });

  it("enter may throw (a killed thread): the sync rejects with it", async () => {
    const killed = new Error("killed");
    setSyncHostProvider(() => ({
      enter() {
        throw killed;
      },
      leave() {},
    }));
    const s = makeSemaphore(1);
    expect(await rejection(sync(s))).toBe(killed);
    expect(s.count).toBe(1);
  });

  it("the host can interrupt the pending run it was given", async () => {
    const h = recordingHost();
    setSyncHostProvider(() => h);
    const s = makeSemaphore(0);
    const t = track(sync(s));
    const err = new Error("break");
    expect(h.runs[0]!.interrupt(err)).toBe(true);
    await turn();
    expect(t.error).toBe(err);
    expect(h.log).toEqual(["enter", "leave"]);
    semaphorePost(s);
    expect(s.count).toBe(1);
  });
});
