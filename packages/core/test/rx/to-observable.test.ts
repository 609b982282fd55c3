import { afterEach, describe, expect, it } from "vitest";
import { asyncScheduler, firstValueFrom, take, toArray, type Subscription } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import { toObservable } from "../../src/rx/to-observable.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { channelPut, channelTryGet, makeChannel } from "../../src/primitives/channel.js";
import {
  asyncChannelPut,
  asyncChannelTryGet,
  makeAsyncChannel,
} from "../../src/primitives/async-channel.js";
import { alarmEvt } from "../../src/primitives/alarm.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { guardEvt } from "../../src/combinators/guard.js";
import { nackGuardEvt } from "../../src/combinators/nack-guard.js";
import { thread, threadWait } from "../../src/thread/thread.js";
import { breakThread } from "../../src/thread/break-and-kill.js";
import { currentInexactMilliseconds, currentScheduler } from "../../src/time/clock.js";
import { ExnBreak, ExnFailContract } from "../../src/errors/exn.js";
import type { Evt } from "../../src/protocol/evt.js";
import { track, turn } from "../helpers.js";

afterEach(() => currentScheduler(asyncScheduler));

describe("toObservable", () => {
  it("take(3) consumes exactly three items from a channel and leaves the fourth", async () => {
    const ch = makeChannel<number>();
    const puts = [1, 2, 3, 4].map((i) => track(channelPut(ch, i)));
    const got = await firstValueFrom(toObservable(ch).pipe(take(3), toArray()));
    expect(got).toEqual([1, 2, 3]);
    await turn();
    expect(puts.map((p) => p.status)).toEqual(["ok", "ok", "ok", "pending"]);
    expect(channelTryGet(ch)).toBe(4);
    await turn();
    expect(puts[3]!.status).toBe("ok");
  });

  it("emits each result in order as it comes, with a producer in another thread", async () => {
    const ch = makeChannel<number>();
    const producer = thread(async () => {
      for (let i = 0; i < 5; i++) await channelPut(ch, i);
    });
    const got = await firstValueFrom(toObservable(ch).pipe(take(5), toArray()));
    await threadWait(producer);
    expect(got).toEqual([0, 1, 2, 3, 4]);
  });

  it("is cold: each subscriber syncs on its own", async () => {
    const ch = makeAsyncChannel<number>();
    for (const i of [1, 2, 3, 4]) await asyncChannelPut(ch, i);
    const a = await firstValueFrom(toObservable(ch).pipe(take(2), toArray()));
    const b = await firstValueFrom(toObservable(ch).pipe(take(2), toArray()));
    expect([a, b]).toEqual([
      [1, 2],
      [3, 4],
    ]);
  });

  it("unsubscribing abandons the pending sync: NACKs fire, nothing is consumed", async () => {
    const ch = makeChannel<string>();
    let nack: Evt<void> | undefined;
    const evt = nackGuardEvt((n) => {
      nack = n;
      return ch;
    });
    const seen: string[] = [];
    const sub: Subscription = toObservable(evt).subscribe((v) => seen.push(v));
    await turn();
    expect(nack).toBeDefined();
    expect(await syncTimeout(0, nack!)).toBe(false);
    sub.unsubscribe();
    await turn();
    expect(await syncTimeout(0, nack!)).toBeUndefined();
    const put = track(channelPut(ch, "kept"));
    await turn();
    expect(put.status).toBe("pending");
    expect(seen).toEqual([]);
    expect(channelTryGet(ch)).toBe("kept");
  });

  it("an error from a sync ends the stream", async () => {
    const ch = makeAsyncChannel<number>();
    for (const i of [1, 2, 3]) await asyncChannelPut(ch, i);
    const boom = new Error("boom");
    const evt = wrapEvt(ch, (v: number) => {
      if (v === 2) throw boom;
      return v;
    });
    const seen: number[] = [];
    const err = await new Promise((resolve) =>
      toObservable(evt).subscribe({ next: (v) => seen.push(v), error: resolve }),
    );
    expect(err).toBe(boom);
    expect(seen).toEqual([1]);
    expect(asyncChannelTryGet(ch)).toBe(3); // no sync after the error
  });

  it("runs in the subscribing thread: breaking it ends the stream, even after another thread fed it", async () => {
    const ch = makeChannel<number>();
    const seen: unknown[] = [];
    let error: unknown;
    const t = thread(
      () =>
        new Promise<void>((resolve) => {
          toObservable(ch).subscribe({
            next: (v) => seen.push(v),
            error: (e) => {
              error = e;
              resolve();
            },
          });
        }),
    );
    await turn();
    const producer = thread(() => channelPut(ch, 1));
    await threadWait(producer);
    breakThread(producer); // dead: nothing
    breakThread(t);
    await threadWait(t);
    expect(seen).toEqual([1]);
    expect(error).toBeInstanceOf(ExnBreak);
    const put = track(channelPut(ch, 2));
    await turn();
    expect(put.status).toBe("pending");
  });

  it("runs in virtual time under an RxJS TestScheduler", () => {
    const ts = new TestScheduler((a, b) => expect(a).toEqual(b));
    ts.run(({ expectObservable }) => {
      currentScheduler(ts);
      const tick = guardEvt(() => wrapEvt(alarmEvt(currentInexactMilliseconds() + 10), () => "t"));
      expectObservable(toObservable(tick).pipe(take(3))).toBe("10ms t 9ms t 9ms (t|)");
    });
  });

  it("rejects a non-event at call time", () => {
    expect(() => toObservable(5 as never)).toThrow(ExnFailContract);
    expect(() => toObservable(5 as never)).toThrow(/^to-observable: contract violation/);
  });

  it("an event that is always ready emits synchronously until unsubscribed", async () => {
    const ch = makeAsyncChannel<number>();
    for (let i = 0; i < 10; i++) await asyncChannelPut(ch, i);
    const got: number[] = [];
    toObservable(ch)
      .pipe(take(4))
      .subscribe((v) => got.push(v));
    expect(got).toEqual([0, 1, 2, 3]); // before subscribe returned
    expect(await sync(ch)).toBe(4);
  });
});
