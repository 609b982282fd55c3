import { afterEach, describe, expect, it, vi } from "vitest";
import fc from "fast-check";
import {
  currentThread,
  isThreadDead,
  thread,
  threadDeadEvt,
  threadWait,
} from "../../src/thread/thread.js";
import { breakThread, killThread } from "../../src/thread/break-and-kill.js";
import { threadReceive, threadSend, threadTryReceive } from "../../src/thread/send-receive.js";
import { ThreadKilledError } from "../../src/thread/thread-killed-error.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import {
  channelGet,
  channelPut,
  channelTryGet,
  makeChannel,
} from "../../src/primitives/channel.js";
import {
  makeSemaphore,
  semaphorePeekEvt,
  semaphorePost,
  semaphoreTryWait,
} from "../../src/primitives/semaphore.js";
import { nackGuardEvt } from "../../src/combinators/nack-guard.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { neverEvt } from "../../src/combinators/never.js";
import {
  currentEvtPseudoRandomGenerator,
  makePseudoRandomGenerator,
} from "../../src/engine/random.js";
import { ExnBreak, ExnFailContract } from "../../src/errors/exn.js";
import type { Evt } from "../../src/protocol/evt.js";
import { track, turn } from "../helpers.js";

afterEach(() => {
  vi.restoreAllMocks();
  currentEvtPseudoRandomGenerator(Math.random);
});

/** A nack-guarded event that hands its NACK out, to be checked from outside the thread. */
function watched<T>(evt: Evt<T>, box: { nack?: Evt<void> }): Evt<T> {
  return nackGuardEvt((nack) => {
    box.nack = nack;
    return evt;
  });
}

/** Whether a NACK has fired (polled from outside every thread). */
async function fired(box: { nack?: Evt<void> }): Promise<boolean> {
  return (await syncTimeout(0, box.nack!)) !== false;
}

describe("breakThread", () => {
  it("settles the pending sync with ExnBreak: NACKs fire, nothing is consumed", async () => {
    const s = makeSemaphore(0);
    const flag: { nack?: Evt<void> } = {};
    let caught: unknown;
    const t = thread(async () => {
      try {
        await sync(watched(s, flag));
      } catch (e) {
        caught = e;
      }
    });
    await turn();
    breakThread(t);
    await threadWait(t);
    expect(caught).toBeInstanceOf(ExnBreak);
    expect((caught as Error).message).toBe("user break");
    expect(await fired(flag)).toBe(true);
    semaphorePost(s);
    expect(semaphoreTryWait(s)).toBe(true); // the broken wait took nothing
  });

  it("a break while the body is not syncing settles its next sync, before polling, exactly once", async () => {
    const s = makeSemaphore(1);
    const gate = makeSemaphore(0);
    const log: string[] = [];
    const t = thread(async () => {
      await new Promise((r) => setTimeout(r, 5)); // not a Rendezvous wait: not breakable
      try {
        await sync(s); // ready, but the pending break wins
        log.push("got s");
      } catch (e) {
        log.push(e instanceof ExnBreak ? "break" : "other");
      }
      await sync(gate);
      log.push("then synced normally");
    });
    await turn();
    breakThread(t);
    breakThread(t); // absorbed by the waiting break
    await new Promise((r) => setTimeout(r, 10));
    expect(log).toEqual(["break"]);
    expect(semaphoreTryWait(s)).toBe(true); // still there: the broken sync polled nothing
    semaphorePost(gate);
    await threadWait(t);
    expect(log).toEqual(["break", "then synced normally"]);
  });

  it("a sync committed before the break keeps its result; the break goes to the next sync", async () => {
    const ch = makeChannel<string>();
    const log: unknown[] = [];
    const t = thread(async () => {
      log.push(await channelGet(ch));
      try {
        await sync(neverEvt);
      } catch (e) {
        log.push(e instanceof ExnBreak ? "break" : e);
      }
    });
    await turn();
    const put = track(channelPut(ch, "value"));
    breakThread(t); // same step: the get already committed
    await threadWait(t);
    expect(put.status).toBe("ok");
    expect(log).toEqual(["value", "break"]);
  });

  it("breaks a thread blocked in threadReceive without taking a message", async () => {
    let caught: unknown;
    const t = thread(async () => {
      try {
        await threadReceive();
      } catch (e) {
        caught = e;
      }
      await new Promise((r) => setTimeout(r, 5));
      return threadTryReceive();
    });
    await turn();
    breakThread(t);
    threadSend(t, "later");
    await threadWait(t);
    expect(caught).toBeInstanceOf(ExnBreak);
  });

  it("goes to the sync the body waits in, not to a NACK watcher its guard started", async () => {
    const ch = makeChannel<string>();
    const log: string[] = [];
    const t = thread(async () => {
      for (;;) {
        try {
          const v = await sync(
            nackGuardEvt((nack) => {
              // A helper sync, started inside the guard: nobody awaits it.
              void sync(nack).then(() => log.push("nack"));
              return ch;
            }),
          );
          log.push(`got ${v}`);
        } catch (e) {
          log.push(e instanceof ExnBreak ? "break" : String(e));
          return;
        }
      }
    });
    await turn();
    await channelPut(ch, "a");
    await turn();
    breakThread(t);
    await threadWait(t);
    await turn();
    // The first watcher waits forever (its sync chose the guard's event); the second sees its NACK.
    expect(log).toEqual(["got a", "break", "nack"]);
  });

  it("goes to the last sync the body started, not to an earlier one left running", async () => {
    const ch = makeChannel<number>();
    let caught: unknown;
    const t = thread(async () => {
      void channelPut(ch, 1).catch(() => {});
      try {
        await sync(neverEvt);
      } catch (e) {
        caught = e;
      }
    });
    await turn();
    breakThread(t);
    await threadWait(t);
    expect(caught).toBeInstanceOf(ExnBreak);
    expect(channelTryGet(ch)).toBe(1); // the unawaited put is still offered
  });

  it("an uncaught break ends the thread and is reported", async () => {
    const report = vi.spyOn(console, "error").mockImplementation(() => {});
    const t = thread(() => sync(neverEvt));
    await turn();
    breakThread(t);
    await threadWait(t);
    expect(String(report.mock.calls[0]![0])).toContain("ExnBreak: user break");
  });

  it("does nothing to a dead thread; refuses the main thread", async () => {
    const t = thread(() => {});
    await threadWait(t);
    expect(() => breakThread(t)).not.toThrow();
    expect(() => breakThread(currentThread())).toThrow(ExnFailContract);
    expect(() => breakThread("t" as never)).toThrow(/^break-thread: contract violation/);
  });

  it("a break racing a channel rendezvous never loses or duplicates a value (random schedules)", async () => {
    type Op = "put" | "break" | "tick" | "turn";
    const STOP = Symbol("stop");
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom<Op>("put", "put", "break", "break", "tick", "tick", "turn"), {
          minLength: 1,
          maxLength: 24,
        }),
        fc.integer({ min: 1, max: 2 ** 30 }),
        async (ops, seed) => {
          currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(seed));
          const ch = makeChannel<number>();
          const stop = makeSemaphore(0);
          const stopEvt = wrapEvt(semaphorePeekEvt(stop), () => STOP);
          const byT: number[] = [];
          const byR: number[] = [];
          let breaks = 0;
          const t = thread(async () => {
            for (;;) {
              try {
                const v = await sync(choiceEvt(ch, stopEvt));
                if (typeof v !== "number") return;
                byT.push(v);
              } catch (e) {
                if (!(e instanceof ExnBreak)) throw e;
                breaks++;
              }
            }
          });
          // The "next receiver": code outside threads, taking only every other round.
          const r = (async () => {
            for (;;) {
              const v = await sync(choiceEvt(ch, stopEvt));
              if (typeof v !== "number") return;
              byR.push(v);
              await turn();
            }
          })();
          const puts: ReturnType<typeof track>[] = [];
          let calls = 0;
          for (const op of ops) {
            if (op === "put") puts.push(track(channelPut(ch, puts.length)));
            else if (op === "break") {
              calls++;
              breakThread(t);
            } else if (op === "tick") await Promise.resolve();
            else await turn();
          }
          for (let i = 0; i < 50 && puts.some((p) => p.status === "pending"); i++) await turn();
          semaphorePost(stop);
          await threadWait(t);
          await r;
          expect(puts.every((p) => p.status === "ok")).toBe(true);
          const all = [...byT, ...byR].sort((a, b) => a - b);
          expect(all).toEqual(puts.map((_, i) => i));
          expect(breaks).toBeLessThanOrEqual(calls);
          if (calls > 0) expect(breaks).toBeGreaterThanOrEqual(1);
          expect(isThreadDead(t)).toBe(true);
        },
      ),
      { numRuns: 2000 },
    );
  }, 120_000);
});

describe("killThread", () => {
  it("a killed thread blocked on a channel leaves the value with the next receiver", async () => {
    const ch = makeChannel<string>();
    const flag: { nack?: Evt<void> } = {};
    let caught: unknown;
    const t = thread(async () => {
      try {
        await sync(watched(ch, flag));
      } catch (e) {
        caught = e;
        throw e;
      }
    });
    await turn();
    killThread(t);
    expect(isThreadDead(t)).toBe(true); // at once
    const put = track(channelPut(ch, "v"));
    await turn();
    expect(put.status).toBe("pending"); // nobody took it
    expect(channelTryGet(ch)).toBe("v"); // the next receiver does
    await turn();
    expect(put.status).toBe("ok");
    expect(await fired(flag)).toBe(true);
    expect(caught).toBeInstanceOf(ThreadKilledError);
  });

  it("abandons the syncs the body left running without rejecting them", async () => {
    const ch = makeChannel<number>();
    const unawaited: ReturnType<typeof track>[] = [];
    let caught: unknown;
    const t = thread(async () => {
      unawaited.push(track(channelPut(ch, 1)));
      try {
        await sync(neverEvt);
      } catch (e) {
        caught = e;
      }
    });
    await turn();
    killThread(t);
    await turn();
    expect(caught).toBeInstanceOf(ThreadKilledError);
    expect(unawaited[0]!.status).toBe("pending"); // never settles: no unhandled rejection
    expect(channelTryGet(ch)).toBe(false); // and its value is no longer offered
  });

  it("is dead at once: its dead event and the thread event are ready", async () => {
    const t = thread(() => sync(neverEvt));
    const waiting = track(sync(threadDeadEvt(t)));
    await turn();
    expect(waiting.status).toBe("pending");
    killThread(t);
    expect(await syncTimeout(0, t)).toBe(t);
    await turn();
    expect(waiting.value).toBe(threadDeadEvt(t));
  });

  it("later runtime calls from the killed body throw; finally blocks run; nothing is reported", async () => {
    const report = vi.spyOn(console, "error").mockImplementation(() => {});
    const errors: unknown[] = [];
    let finallyRan = false;
    const s = makeSemaphore(3);
    const t = thread(async () => {
      try {
        await sync(neverEvt);
      } finally {
        finallyRan = true;
        for (const call of [
          () => sync(s),
          () => semaphoreTryWait(s),
          () => threadTryReceive(),
          () => threadSend(currentThread(), 1),
          () => thread(() => {}),
          () => syncTimeout(0, s),
        ]) {
          try {
            await call();
          } catch (e) {
            errors.push(e);
          }
        }
      }
    });
    await turn();
    killThread(t);
    await new Promise((r) => setTimeout(r, 5));
    expect(finallyRan).toBe(true);
    expect(errors).toHaveLength(6);
    for (const e of errors) expect(e).toBeInstanceOf(ThreadKilledError);
    expect(semaphoreTryWait(s)).toBe(true);
    expect(semaphoreTryWait(s)).toBe(true);
    expect(semaphoreTryWait(s)).toBe(true); // all three still there
    expect(report).not.toHaveBeenCalled();
  });

  it("a thread killed before it started never runs its body", async () => {
    let ran = false;
    const t = thread(() => {
      ran = true;
    });
    killThread(t);
    await turn();
    expect(ran).toBe(false);
    expect(isThreadDead(t)).toBe(true);
  });

  it("killing the calling thread does not return", async () => {
    const log: string[] = [];
    const t = thread(() => {
      try {
        killThread(currentThread());
        log.push("returned");
      } catch (e) {
        log.push(e instanceof ThreadKilledError ? "killed" : "other");
      }
    });
    await threadWait(t);
    expect(log).toEqual(["killed"]);
  });

  it("killing a dead thread does nothing", async () => {
    const t = thread(() => {});
    await threadWait(t);
    expect(() => killThread(t)).not.toThrow();
    expect(() => killThread(null as never)).toThrow(/^kill-thread: contract violation/);
  });

  it("await using kills the thread at scope exit", async () => {
    let t: ReturnType<typeof thread> | undefined;
    {
      await using u = thread(() => sync(neverEvt));
      t = u;
      await turn();
      expect(isThreadDead(u)).toBe(false);
    }
    expect(isThreadDead(t)).toBe(true);
  });
});
