import { afterEach, describe, expect, it } from "vitest";
import {
  EMPTY,
  Observable,
  Subject,
  VirtualTimeScheduler,
  asyncScheduler,
  defer,
  finalize,
  map,
  of,
  throwError,
  timer,
} from "rxjs";
import { fromObservable } from "../../src/rx/from-observable.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { channelPut, makeChannel } from "../../src/primitives/channel.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { thread, threadWait } from "../../src/thread/thread.js";
import { breakThread } from "../../src/thread/break-and-kill.js";
import { currentScheduler } from "../../src/time/clock.js";
import { ExnBreak, ExnFail, ExnFailContract } from "../../src/errors/exn.js";
import { rejection, track, turn } from "../helpers.js";

afterEach(() => currentScheduler(asyncScheduler));

/** A source that never emits and counts its subscriptions and teardowns. */
function counted<T>(emit?: (s: { next(v: T): void }) => void) {
  const stats = { subscribed: 0, unsubscribed: 0, subject: new Subject<T>() };
  const source = new Observable<T>((sub) => {
    stats.subscribed++;
    const inner = stats.subject.subscribe(sub);
    emit?.(sub);
    return () => {
      stats.unsubscribed++;
      inner.unsubscribe();
    };
  });
  return { source, stats };
}

describe("fromObservable", () => {
  it("is ready with the source's first value, and unsubscribes", async () => {
    const { source, stats } = counted<number>();
    const p = track(sync(fromObservable(source)));
    await turn();
    expect(stats.subscribed).toBe(1);
    expect(p.status).toBe("pending");
    stats.subject.next(1);
    stats.subject.next(2);
    await turn();
    expect(p.value).toBe(1);
    expect(stats.unsubscribed).toBe(1);
  });

  it("every sync subscribes afresh", async () => {
    let n = 0;
    const e = fromObservable(defer(() => of(++n)));
    expect(await sync(e)).toBe(1);
    expect(await sync(e)).toBe(2);
    expect(await syncTimeout(0, e)).toBe(3);
  });

  it("a source that emits during subscribe is ready at once, also in a poll", async () => {
    expect(await syncTimeout(0, fromObservable(of("now")))).toBe("now");
    const { source, stats } = counted<string>((s) => s.next("sync"));
    expect(await syncTimeout(0, fromObservable(source))).toBe("sync");
    expect(stats.unsubscribed).toBe(1);
  });

  it("a losing branch unsubscribes: another event chosen", async () => {
    const { source, stats } = counted<number>();
    const s = makeSemaphore(0);
    const p = track(sync(fromObservable(source), s));
    await turn();
    expect(stats.subscribed).toBe(1);
    semaphorePost(s);
    await turn();
    expect(p.value).toBe(s);
    expect(stats.unsubscribed).toBe(1);
  });

  it("a losing branch unsubscribes: a poll miss, and a timeout (virtual time)", async () => {
    const { source, stats } = counted<number>();
    expect(await syncTimeout(0, fromObservable(source))).toBe(false);
    expect(stats).toMatchObject({ subscribed: 1, unsubscribed: 1 });
    const vts = new VirtualTimeScheduler();
    currentScheduler(vts);
    const p = track(syncTimeout(1, fromObservable(source)));
    vts.flush();
    await turn();
    expect(p.value).toBe(false);
    expect(stats).toMatchObject({ subscribed: 2, unsubscribed: 2 });
  });

  it("a losing branch unsubscribes: a break of the syncing thread", async () => {
    const { source, stats } = counted<number>();
    let caught: unknown;
    const t = thread(async () => {
      try {
        await sync(fromObservable(source));
      } catch (e) {
        caught = e;
      }
    });
    await turn();
    expect(stats.subscribed).toBe(1);
    breakThread(t);
    await threadWait(t);
    expect(caught).toBeInstanceOf(ExnBreak);
    expect(stats.unsubscribed).toBe(1);
  });

  it("a value arriving after the sync chose something else is not committed", async () => {
    const { source, stats } = counted<string>();
    const ch = makeChannel<string>();
    const p = track(sync(fromObservable(source), ch));
    await turn();
    const put = track(channelPut(ch, "channel"));
    stats.subject.next("late"); // same step: the sync is already decided
    await turn();
    expect(put.status).toBe("ok");
    expect(p.value).toBe("channel");
    expect(stats.unsubscribed).toBe(1);
  });

  it("a timer that loses is cancelled", async () => {
    const vts = new VirtualTimeScheduler();
    let fired = 0;
    let finalized = 0;
    const slow = timer(50, vts).pipe(
      finalize(() => finalized++),
      map(() => ++fired),
    );
    const s = makeSemaphore(0);
    const p = track(sync(fromObservable(slow), s));
    await turn();
    semaphorePost(s);
    await turn();
    expect(p.value).toBe(s);
    expect(finalized).toBe(1);
    vts.flush();
    expect(fired).toBe(0);
    // And when it wins, its value is the result.
    const q = track(sync(fromObservable(slow), makeSemaphore(0)));
    vts.flush();
    await turn();
    expect(q.value).toBe(1);
    expect(finalized).toBe(2);
  });

  it("errors and empty completions raise when chosen", async () => {
    const boom = new Error("boom");
    expect(await rejection(sync(fromObservable(throwError(() => boom))))).toBe(boom);
    const e = await rejection(sync(fromObservable(EMPTY)));
    expect(e).toBeInstanceOf(ExnFail);
    expect((e as Error).message).toBe("from-observable: the observable completed without a value");
  });

  it("rejects a non-observable at call time", () => {
    expect(() => fromObservable(5 as never)).toThrow(ExnFailContract);
    expect(() => fromObservable({} as never)).toThrow(/^from-observable: contract violation/);
  });
});
