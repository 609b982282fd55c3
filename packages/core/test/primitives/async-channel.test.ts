import { describe, expect, it } from "vitest";
import {
  asyncChannelGet,
  asyncChannelPut,
  asyncChannelPutEvt,
  asyncChannelTryGet,
  isAsyncChannel,
  makeAsyncChannel,
} from "../../src/primitives/async-channel.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { makeChannel } from "../../src/primitives/channel.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { rejection, track, turn, useSeededRandom } from "../helpers.js";

describe("async channels", () => {
  useSeededRandom(12);

  it("buffer values in FIFO order; puts return at once while there is room", async () => {
    const ch = makeAsyncChannel<number>();
    expect(isAsyncChannel(ch)).toBe(true);
    expect(isAsyncChannel(makeChannel())).toBe(false);
    for (let i = 0; i < 100; i++) await asyncChannelPut(ch, i);
    const out: number[] = [];
    for (let i = 0; i < 100; i++) out.push(await asyncChannelGet(ch));
    expect(out).toEqual([...Array(100).keys()]);
    expect(asyncChannelTryGet(ch)).toBe(false);
  });

  it("a bounded channel's put blocks while the buffer is full", async () => {
    const ch = makeAsyncChannel<number>(2);
    await asyncChannelPut(ch, 1);
    await asyncChannelPut(ch, 2);
    const third = track(asyncChannelPut(ch, 3));
    await turn();
    expect(third.status).toBe("pending");
    expect(await syncTimeout(0, asyncChannelPutEvt(ch, 99))).toBe(false);
    expect(await asyncChannelGet(ch)).toBe(1);
    await turn();
    expect(third.status).toBe("ok");
    expect(ch.length).toBe(2);
    expect([await asyncChannelGet(ch), await asyncChannelGet(ch)]).toEqual([2, 3]);
  });

  it("blocked putters enter in order as room frees", async () => {
    const ch = makeAsyncChannel<number>(1);
    await asyncChannelPut(ch, 0);
    const puts = [1, 2, 3].map((v) => asyncChannelPut(ch, v));
    const out: number[] = [];
    for (let i = 0; i < 4; i++) out.push(await asyncChannelGet(ch));
    await Promise.all(puts);
    expect(out).toEqual([0, 1, 2, 3]);
  });

  it("a blocked getter receives the next value put", async () => {
    const ch = makeAsyncChannel<string>();
    const g1 = track(asyncChannelGet(ch));
    const g2 = track(asyncChannelGet(ch));
    await asyncChannelPut(ch, "a");
    await asyncChannelPut(ch, "b");
    await turn();
    expect([g1.value, g2.value]).toEqual(["a", "b"]);
    expect(ch.length).toBe(0);
  });

  it("a get takes one value iff chosen; a losing get takes nothing", async () => {
    const ch = makeAsyncChannel<number>();
    await asyncChannelPut(ch, 1);
    await asyncChannelPut(ch, 2);
    const s = makeSemaphore(1);
    const seen: unknown[] = [];
    for (let i = 0; i < 20; i++) {
      const r = await sync(ch, s);
      seen.push(r);
      if (r === s) semaphorePost(s);
    }
    const taken = seen.filter((x) => typeof x === "number");
    expect(taken).toEqual([1, 2].slice(0, taken.length));
    expect(ch.length).toBe(2 - taken.length);
  });

  it("a losing put buffers nothing", async () => {
    const ch = makeAsyncChannel<number>(1);
    await asyncChannelPut(ch, 1);
    const s = makeSemaphore(0);
    const t = track(sync(asyncChannelPutEvt(ch, 2), s));
    semaphorePost(s);
    await turn();
    expect(t.value).toBe(s);
    expect(await asyncChannelGet(ch)).toBe(1);
    expect(asyncChannelTryGet(ch)).toBe(false);
    expect(ch.putters.size).toBe(0);
  });

  it("a put event's result is itself and it is reusable", async () => {
    const ch = makeAsyncChannel<string>();
    const pe = asyncChannelPutEvt(ch, "x");
    expect(await sync(pe)).toBe(pe);
    expect(await sync(pe)).toBe(pe);
    expect([asyncChannelTryGet(ch), asyncChannelTryGet(ch)]).toEqual(["x", "x"]);
  });

  it("put and get on the same channel in one sync commit exactly one of them", async () => {
    const ch = makeAsyncChannel<number>(1);
    for (let i = 0; i < 30; i++) {
      const ran: string[] = [];
      await sync(
        wrapEvt(ch, () => ran.push("get")),
        wrapEvt(asyncChannelPutEvt(ch, i), () => ran.push("put")),
      );
      expect(ran.length).toBe(1);
      if (ran[0] === "put") expect(asyncChannelTryGet(ch)).toBe(i);
      expect(ch.length).toBe(0);
      await asyncChannelPut(ch, -1);
      expect(asyncChannelTryGet(ch)).toBe(-1);
    }
  });

  it("conserves values through many concurrent putters and getters", async () => {
    const ch = makeAsyncChannel<number>(3);
    const n = 500;
    const puts: Promise<void>[] = [];
    const gets: Promise<number>[] = [];
    for (let i = 0; i < n; i++) {
      puts.push(asyncChannelPut(ch, i));
      if (i % 3 === 0) await turn();
      gets.push(asyncChannelGet(ch));
    }
    const got = await Promise.all(gets);
    await Promise.all(puts);
    expect(got).toEqual([...Array(n).keys()]);
    expect(ch.length).toBe(0);
  });

  it("check their arguments", async () => {
    expect(() => makeAsyncChannel(0)).toThrow(ExnFailContract);
    expect(() => makeAsyncChannel(0)).toThrow(
      /^make-async-channel: contract violation\n {2}expected: \(or\/c #f exact-positive-integer\?\)/,
    );
    expect(() => makeAsyncChannel(1.5)).toThrow(ExnFailContract);
    expect(makeAsyncChannel(undefined).limit).toBe(false);
    expect(() => asyncChannelTryGet({} as never)).toThrow(
      /^async-channel-try-get: contract violation/,
    );
    expect(() => asyncChannelPutEvt({} as never, 1)).toThrow(
      /^async-channel-put-evt: contract violation/,
    );
    const e1 = await rejection(asyncChannelGet({} as never));
    expect((e1 as Error).message).toMatch(/^async-channel-get: contract violation/);
    const e2 = await rejection(asyncChannelPut({} as never, 1));
    expect((e2 as Error).message).toMatch(/^async-channel-put: contract violation/);
  });
});
