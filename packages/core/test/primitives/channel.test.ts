import { describe, expect, it } from "vitest";
import {
  channelGet,
  channelPut,
  channelPutEvt,
  channelTryGet,
  isChannel,
  isChannelPutEvt,
  makeChannel,
  type Channel,
} from "../../src/primitives/channel.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { rejection, track, turn, useSeededRandom, useVirtualTime } from "../helpers.js";

describe("channels", () => {
  const clock = useVirtualTime();
  useSeededRandom(11);

  it("a put and a get rendezvous; neither completes alone", async () => {
    const c = makeChannel<string>();
    expect(isChannel(c)).toBe(true);
    const put = track(channelPut(c, "hi"));
    await turn();
    expect(put.status).toBe("pending");
    expect(await channelGet(c)).toBe("hi");
    await turn();
    expect(put).toMatchObject({ status: "ok", value: undefined });

    const get = track(channelGet(c));
    await turn();
    expect(get.status).toBe("pending");
    await channelPut(c, "there");
    await turn();
    expect(get.value).toBe("there");
  });

  it("a put event's result is itself; a channel's result is the value", async () => {
    const c = makeChannel<number>();
    const pe = channelPutEvt(c, 7);
    expect(isChannelPutEvt(pe)).toBe(true);
    expect(isChannelPutEvt(c)).toBe(false);
    const got = track(sync(c));
    expect(await sync(pe)).toBe(pe);
    await turn();
    expect(got.value).toBe(7);
  });

  it("a sync never matches its own put with its own get", async () => {
    const c = makeChannel<number>();
    const t = track(syncTimeout(0.05, channelPutEvt(c, 1), c));
    clock.vts.flush();
    await turn();
    expect(t.value).toBe(false);
    expect(c.getters.size + c.putters.size).toBe(0);
  });

  it("…but its put is matched by another sync's get while it also offers a get", async () => {
    const c = makeChannel<number>();
    const a = track(sync(channelPutEvt(c, 1), c));
    const b = track(sync(c));
    await turn();
    expect(a.status).toBe("ok");
    expect(b.value).toBe(1);
  });

  it("channelTryGet succeeds only against a blocked putter", async () => {
    const c = makeChannel<string>();
    expect(channelTryGet(c)).toBe(false);
    const put = track(channelPut(c, "v"));
    expect(channelTryGet(c)).toBe("v");
    await turn();
    expect(put.status).toBe("ok");
    expect(channelTryGet(c)).toBe(false);
    // A blocked getter is no putter.
    void channelGet(c);
    expect(channelTryGet(c)).toBe(false);
  });

  it("putters are served in order", async () => {
    const c = makeChannel<number>();
    const puts = [1, 2, 3].map((v) => channelPut(c, v));
    expect([await channelGet(c), await channelGet(c), await channelGet(c)]).toEqual([1, 2, 3]);
    await Promise.all(puts);
  });

  it("getters stay first come, first served for a choice synced again and again", async () => {
    // A choice synced repeatedly keeps its members registered between syncs (standing
    // registrations); a getter that blocked while it was idle must still be served first.
    const cs = Array.from({ length: 8 }, () => makeChannel<string>());
    const loop = choiceEvt(...cs);
    for (let k = 1; k <= 3; k++) {
      const t = track(sync(loop));
      await turn();
      await channelPut(cs[k]!, "x");
      expect(t.value).toBe("x");
    }
    const early = track(channelGet(cs[0]!));
    await turn();
    const late = track(sync(loop));
    await turn();
    await channelPut(cs[0]!, "first");
    await turn();
    expect(early.value).toBe("first");
    expect(late.status).toBe("pending");
    await channelPut(cs[0]!, "second");
    await turn();
    expect(late.value).toBe("second");
  });

  it("putters stay first come, first served for a choice synced again and again", async () => {
    const cs = Array.from({ length: 8 }, () => makeChannel<string>());
    const loop = choiceEvt(...cs.map((c, i) => channelPutEvt(c, `loop ${i}`)));
    for (let k = 1; k <= 3; k++) {
      const t = track(sync(loop));
      await turn();
      expect(await channelGet(cs[k]!)).toBe(`loop ${k}`);
      await turn();
      expect(t.status).toBe("ok");
    }
    const early = track(channelPut(cs[0]!, "early"));
    await turn();
    const late = track(sync(loop));
    await turn();
    expect(await channelGet(cs[0]!)).toBe("early");
    await turn();
    expect(early.status).toBe("ok");
    expect(late.status).toBe("pending");
    expect(await channelGet(cs[0]!)).toBe("loop 0");
  });

  it("a losing put hands nothing over; a losing get takes nothing", async () => {
    const c = makeChannel<string>();
    const s = makeSemaphore(0);
    const put = track(sync(channelPutEvt(c, "lost?"), s));
    semaphorePost(s);
    await turn();
    expect(put.value).toBe(s);
    expect(channelTryGet(c)).toBe(false);

    const s2 = makeSemaphore(0);
    const get = track(sync(c, s2));
    semaphorePost(s2);
    await turn();
    expect(get.value).toBe(s2);
    const later = track(channelPut(c, "kept"));
    await turn();
    expect(later.status).toBe("pending");
    expect(await channelGet(c)).toBe("kept");
  });

  it("two threads offering put-on-one/get-on-the-other rendezvous exactly once per round", async () => {
    const c1 = makeChannel<string>();
    const c2 = makeChannel<string>();
    const rounds = 300;
    const log: string[] = [];
    const worker = async (name: string, out: Channel<string>, inp: Channel<string>) => {
      for (let r = 0; r < rounds; r++) {
        await sync(
          wrapEvt(channelPutEvt(out, `${name}${r}`), () => log.push(`${name} sent ${r}`)),
          wrapEvt(inp, (v) => log.push(`${name} got ${v}`)),
        );
      }
    };
    await Promise.all([worker("A", c1, c2), worker("B", c2, c1)]);
    expect(log.length).toBe(2 * rounds);
    // Each round is a pair: one side's send and the other side's receive of that very value.
    let aSent = 0;
    let bSent = 0;
    for (let r = 0; r < rounds; r++) {
      const pair = log.slice(2 * r, 2 * r + 2).sort();
      const ok =
        (pair[0] === `A got B${r}` && pair[1] === `B sent ${r}`) ||
        (pair[0] === `A sent ${r}` && pair[1] === `B got A${r}`);
      expect(ok, `round ${r}: ${pair.join(", ")}`).toBe(true);
      if (pair[0]!.startsWith("A sent")) aSent++;
      else bSent++;
    }
    expect(aSent).toBeGreaterThan(0);
    expect(bSent).toBeGreaterThan(0);
    expect(c1.getters.size + c1.putters.size + c2.getters.size + c2.putters.size).toBe(0);
  });

  it("a get in a choice with two putters takes exactly one value", async () => {
    const c = makeChannel<number>();
    const d = makeChannel<number>();
    const p1 = track(channelPut(c, 1));
    const p2 = track(channelPut(d, 2));
    const v = await sync(choiceEvt(c, d));
    await turn();
    expect([p1.status, p2.status].filter((s) => s === "ok").length).toBe(1);
    expect(v === 1 ? p1.status : p2.status).toBe("ok");
    expect(channelTryGet(v === 1 ? d : c)).toBe(v === 1 ? 2 : 1);
  });

  it("check their arguments", async () => {
    expect(() => channelPutEvt({} as never, 1)).toThrow(ExnFailContract);
    expect(() => channelPutEvt({} as never, 1)).toThrow(/^channel-put-evt: contract violation/);
    expect(() => channelTryGet(1 as never)).toThrow(/^channel-try-get: contract violation/);
    const e1 = await rejection(channelGet(1 as never));
    expect((e1 as Error).message).toMatch(
      /^channel-get: contract violation\n {2}expected: channel\?/,
    );
    const e2 = await rejection(channelPut(1 as never, 2));
    expect((e2 as Error).message).toMatch(/^channel-put: contract violation/);
  });
});
