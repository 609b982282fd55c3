import { describe, expect, it } from "vitest";
import { Observable, Subject } from "rxjs";
import {
  observableAsyncChannel,
  ObservableAsyncChannel,
} from "../../src/rx/observable-async-channel.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import {
  custodianShutdownAll,
  makeCustodian,
  withCustodian,
} from "../../src/custodian/custodian.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { rejection, track, turn } from "../helpers.js";

describe("observableAsyncChannel", () => {
  it("buffers a hot source's values; each get takes exactly one, in order", async () => {
    const src = new Subject<number>();
    const ch = observableAsyncChannel(src, 10);
    expect(ch).toBeInstanceOf(ObservableAsyncChannel);
    src.next(1);
    src.next(2);
    src.next(3);
    expect(ch.size).toBe(3);
    expect(await sync(ch)).toBe(1);
    expect(await syncTimeout(0, ch)).toBe(2);
    expect(await sync(ch)).toBe(3);
    expect(await syncTimeout(0, ch)).toBe(false);
    ch.close();
  });

  it("a get that loses takes nothing", async () => {
    const src = new Subject<string>();
    const ch = observableAsyncChannel(src);
    const s = makeSemaphore(0);
    const p = track(sync(ch, s));
    await turn();
    semaphorePost(s);
    await turn();
    expect(p.value).toBe(s);
    src.next("kept");
    expect(ch.size).toBe(1);
    expect(await sync(ch)).toBe("kept");
    // Both ready: exactly one is taken, whichever wins.
    const s2 = makeSemaphore(1);
    src.next("x");
    const r = await sync(choiceEvt(ch, s2));
    expect(ch.size + (r === "x" ? 1 : 0)).toBe(1);
    ch.close();
  });

  it("a waiting get receives the next value directly", async () => {
    const src = new Subject<number>();
    const ch = observableAsyncChannel(src, 1);
    const p = track(sync(ch));
    await turn();
    src.next(7);
    await turn();
    expect(p.value).toBe(7);
    expect(ch.size).toBe(0);
    ch.close();
  });

  it("values beyond the limit are dropped (the newest) and counted", async () => {
    const src = new Subject<number>();
    const ch = observableAsyncChannel(src, 2);
    for (const i of [1, 2, 3, 4]) src.next(i);
    expect(ch.dropped).toBe(2);
    expect(await sync(ch)).toBe(1);
    src.next(5);
    expect(await sync(ch)).toBe(2);
    expect(await sync(ch)).toBe(5);
    ch.close();
  });

  it("completion: buffered values stay available, then never ready; doneEvt after the drain", async () => {
    const src = new Subject<number>();
    const ch = observableAsyncChannel(src);
    src.next(1);
    src.complete();
    expect(await syncTimeout(0, ch.doneEvt)).toBe(false);
    expect(await sync(ch)).toBe(1);
    expect(await syncTimeout(0, ch.doneEvt)).toBeUndefined();
    expect(await syncTimeout(0.01, ch)).toBe(false);
  });

  it("doneEvt wakes a waiter when the last value is taken", async () => {
    const src = new Subject<number>();
    const ch = observableAsyncChannel(src);
    const done = track(sync(ch.doneEvt));
    src.next(1);
    src.complete();
    await turn();
    expect(done.status).toBe("pending");
    await sync(ch);
    await turn();
    expect(done.status).toBe("ok");
  });

  it("error: buffered values first, then every get raises; blocked gets are woken with it", async () => {
    const boom = new Error("boom");
    const src = new Subject<number>();
    const ch = observableAsyncChannel(src);
    src.next(1);
    src.error(boom);
    expect(await sync(ch)).toBe(1);
    expect(await rejection(sync(ch))).toBe(boom);
    expect(await rejection(syncTimeout(0, ch))).toBe(boom);
    const src2 = new Subject<number>();
    const ch2 = observableAsyncChannel(src2);
    const p = track(sync(ch2));
    await turn();
    src2.error(boom);
    await turn();
    expect(p.error).toBe(boom);
  });

  it("close and custodian shutdown unsubscribe from the source", async () => {
    let unsubscribed = 0;
    const src = new Observable<number>(() => () => unsubscribed++);
    const a = observableAsyncChannel(src);
    a.close();
    a.close();
    expect(unsubscribed).toBe(1);
    {
      using b = observableAsyncChannel(src);
      void b;
    }
    expect(unsubscribed).toBe(2);
    const c = makeCustodian();
    const d = withCustodian(c, () => observableAsyncChannel(src));
    custodianShutdownAll(c);
    expect(unsubscribed).toBe(3);
    expect(await syncTimeout(0, d.doneEvt)).toBeUndefined();
    expect(() => withCustodian(c, () => observableAsyncChannel(src))).toThrow(ExnFailContract);
  });

  it("a source that emits and completes during subscribe", async () => {
    const src = new Observable<number>((s) => {
      s.next(1);
      s.next(2);
      s.complete();
    });
    const ch = observableAsyncChannel(src, 1);
    expect(ch.dropped).toBe(1);
    expect(await sync(ch)).toBe(1);
    expect(await syncTimeout(0, ch.doneEvt)).toBeUndefined();
  });

  it("checks its arguments", () => {
    expect(() => observableAsyncChannel(5 as never)).toThrow(
      /^observable-async-channel: contract violation/,
    );
    expect(() => observableAsyncChannel(new Subject(), 0)).toThrow(ExnFailContract);
    expect(() => observableAsyncChannel(new Subject(), 1.5)).toThrow(ExnFailContract);
  });
});
