import { describe, expect, it } from "vitest";
import { replaceEvt } from "../../src/combinators/replace.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { neverEvt } from "../../src/combinators/never.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { guardEvt } from "../../src/combinators/guard.js";
import { nackGuardEvt } from "../../src/combinators/nack-guard.js";
import { pollNow, sync, syncEnableBreak, syncTimeout } from "../../src/engine/sync.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { makeChannel, channelPut, channelPutEvt } from "../../src/primitives/channel.js";
import { asyncChannelPutEvt, makeAsyncChannel } from "../../src/primitives/async-channel.js";
import { ExnBreak, ExnFailContract } from "../../src/errors/exn.js";
import type { Evt } from "../../src/protocol/evt.js";
import { fixedOffset, track, turn, useVirtualTime, withGenerator } from "../helpers.js";

const inOrder = <T>(n: number, f: () => Promise<T>) => withGenerator(fixedOffset(0, n), f);

describe("replaceEvt", () => {
  const clock = useVirtualTime();

  it("syncs the inner event, then the event the maker returns for its result", async () => {
    const s = makeSemaphore(1);
    const seen: unknown[] = [];
    const r = await sync(
      replaceEvt(
        wrapEvt(s, (v) => ["inner", v]),
        (v) => {
          seen.push(v);
          return wrapEvt(alwaysEvt, () => "replacement");
        },
      ),
    );
    expect(r).toBe("replacement");
    expect(seen).toEqual([["inner", s]]);
    expect(s.count).toBe(0);
  });

  it("commits the inner event even when the outer sync then picks another event", async () => {
    const s = makeSemaphore(1);
    const blocked = makeSemaphore(0);
    const r = await inOrder(2, () =>
      sync(
        replaceEvt(s, () => blocked),
        alwaysEvt,
      ),
    );
    expect(r).toBe(alwaysEvt);
    expect(s.count).toBe(0);
    expect(blocked.waiters.size).toBe(0);
  });

  it("a blocked replace completes when its inner event becomes ready", async () => {
    const s = makeSemaphore(0);
    const t = track(sync(replaceEvt(s, (v) => wrapEvt(alwaysEvt, () => ["got", v === s]))));
    await turn();
    expect(t.status).toBe("pending");
    semaphorePost(s);
    await turn();
    expect(t.value).toEqual(["got", true]);
    expect(s.count).toBe(0);
  });

  it("a blocked replace whose replacement blocks in turn", async () => {
    const s = makeSemaphore(0);
    const s2 = makeSemaphore(0);
    const t = track(sync(replaceEvt(s, () => s2)));
    semaphorePost(s);
    await turn();
    expect(t.status).toBe("pending");
    expect(s.count).toBe(0);
    expect(s2.waiters.size).toBe(1);
    semaphorePost(s2);
    await turn();
    expect(t.value).toBe(s2);
  });

  it("a replacement that is a choice is spliced and blocks with the rest", async () => {
    const s = makeSemaphore(0);
    const a = makeSemaphore(0);
    const b = makeSemaphore(0);
    const t = track(
      sync(
        replaceEvt(s, () => choiceEvt(a, b)),
        makeSemaphore(0),
      ),
    );
    semaphorePost(s);
    await turn();
    expect(a.waiters.size + b.waiters.size).toBe(2);
    semaphorePost(b);
    await turn();
    expect(t.value).toBe(b);
    expect(a.waiters.size).toBe(0);
  });

  it("after the inner commit, another event may still win: the inner commit stands", async () => {
    const s = makeSemaphore(0);
    const other = makeSemaphore(0);
    const t = track(
      sync(
        replaceEvt(s, () => makeSemaphore(0)),
        other,
      ),
    );
    semaphorePost(s);
    await turn();
    semaphorePost(other);
    await turn();
    expect(t.value).toBe(other);
    expect(s.count).toBe(0);
  });

  it("when another event wins first, the inner event is withdrawn and never taken", async () => {
    const s = makeSemaphore(0);
    const other = makeSemaphore(0);
    let made = 0;
    const t = track(
      sync(
        replaceEvt(s, () => {
          made++;
          return alwaysEvt;
        }),
        other,
      ),
    );
    semaphorePost(other);
    await turn();
    expect(t.value).toBe(other);
    semaphorePost(s);
    expect(s.count).toBe(1);
    expect(made).toBe(0);
  });

  it("a poll does not leave the inner event blocked", async () => {
    const s = makeSemaphore(0);
    expect(
      await syncTimeout(
        0,
        replaceEvt(s, () => alwaysEvt),
      ),
    ).toBe(false);
    expect(s.waiters.size).toBe(0);
  });

  it("a timeout withdraws a pending replace (inner and replacement)", async () => {
    const s = makeSemaphore(0);
    const s2 = makeSemaphore(0);
    const t1 = track(
      syncTimeout(
        1,
        replaceEvt(s, () => s2),
      ),
    );
    clock.vts.flush();
    await turn();
    expect(t1.value).toBe(false);
    expect(s.waiters.size).toBe(0);

    const t2 = track(
      syncTimeout(
        1,
        replaceEvt(s, () => s2),
      ),
    );
    semaphorePost(s);
    await turn();
    expect(s2.waiters.size).toBe(1);
    clock.vts.flush();
    await turn();
    expect(t2.value).toBe(false);
    expect(s2.waiters.size).toBe(0);
    expect(s.count).toBe(0);
  });

  it("a break withdraws a pending replace", async () => {
    const ac = new AbortController();
    const s = makeSemaphore(0);
    const t = track(
      syncEnableBreak(
        ac.signal,
        replaceEvt(s, () => alwaysEvt),
      ),
    );
    ac.abort();
    await turn();
    expect(t.error).toBeInstanceOf(ExnBreak);
    semaphorePost(s);
    expect(s.count).toBe(1);
  });

  it("a non-event from the maker makes it ready with the replace-evt itself", async () => {
    const e = replaceEvt(alwaysEvt, () => 17);
    expect(await sync(e)).toBe(e);
    const s = makeSemaphore(0);
    const blocked = replaceEvt(s, () => "x");
    const t = track(sync(blocked));
    semaphorePost(s);
    await turn();
    expect(t.value).toBe(blocked);
  });

  it("a maker's exception rejects the sync (immediate and blocked cases)", async () => {
    const err = new Error("maker");
    await expect(
      sync(
        replaceEvt(alwaysEvt, () => {
          throw err;
        }),
      ),
    ).rejects.toBe(err);
    const s = makeSemaphore(0);
    const other = makeSemaphore(0);
    const t = track(
      sync(
        replaceEvt(s, () => {
          throw err;
        }),
        other,
      ),
    );
    semaphorePost(s);
    await turn();
    expect(t.error).toBe(err);
    expect(other.waiters.size).toBe(0);
    expect(s.count).toBe(0);
  });

  it("an exception from a wrap inside the inner event rejects the sync", async () => {
    const err = new Error("inner wrap");
    const s = makeSemaphore(0);
    const t = track(
      sync(
        replaceEvt(
          wrapEvt(s, () => {
            throw err;
          }),
          () => alwaysEvt,
        ),
      ),
    );
    semaphorePost(s);
    await turn();
    expect(t.error).toBe(err);
  });

  it("fires the NACK of a guard inside the inner event that lost there", async () => {
    let nack: Evt<void> | undefined;
    const inner = choiceEvt(
      nackGuardEvt((n) => {
        nack = n;
        return neverEvt;
      }),
      wrapEvt(alwaysEvt, () => "inner"),
    );
    expect(
      await inOrder(2, () => sync(replaceEvt(inner, (v) => wrapEvt(alwaysEvt, () => v)))),
    ).toBe("inner");
    expect(pollNow([nack!], "no")).toBeUndefined();
  });

  it("fires the NACK of a nack-guard inside a pending inner event when the outer sync picks another", async () => {
    let nack: Evt<void> | undefined;
    const other = makeSemaphore(0);
    const t = track(
      sync(
        replaceEvt(
          nackGuardEvt((n) => {
            nack = n;
            return makeSemaphore(0);
          }),
          () => alwaysEvt,
        ),
        other,
      ),
    );
    semaphorePost(other);
    await turn();
    expect(t.value).toBe(other);
    expect(pollNow([nack!], "no")).toBeUndefined();
  });

  it("nested replaces, blocked at each level", async () => {
    const a = makeSemaphore(0);
    const b = makeSemaphore(0);
    const t = track(
      sync(
        replaceEvt(
          replaceEvt(a, () => b),
          (v) => wrapEvt(alwaysEvt, () => v),
        ),
      ),
    );
    semaphorePost(a);
    await turn();
    expect(t.status).toBe("pending");
    semaphorePost(b);
    await turn();
    expect(t.value).toBe(b);
  });

  it("its guards run in the nested sync", async () => {
    let calls = 0;
    const e = replaceEvt(
      guardEvt(() => {
        calls++;
        return alwaysEvt;
      }),
      () => alwaysEvt,
    );
    expect(await sync(e)).toBe(alwaysEvt);
    expect(calls).toBe(1);
  });

  it("its inner channel get never matches the same sync's put", async () => {
    const c = makeChannel<number>();
    const r = track(
      syncTimeout(
        0.05,
        channelPutEvt(c, 1),
        replaceEvt(c, () => alwaysEvt),
      ),
    );
    clock.vts.flush();
    await turn();
    expect(r.value).toBe(false);
    const t = track(sync(replaceEvt(c, (v) => wrapEvt(alwaysEvt, () => v))));
    await channelPut(c, 8);
    await turn();
    expect(t.value).toBe(8);
  });

  it("a replacement get never matches the same sync's blocked put (channels)", async () => {
    const c = makeChannel<number>();
    const s = makeSemaphore(0);
    const t = track(
      syncTimeout(
        1,
        channelPutEvt(c, 1),
        replaceEvt(s, () => c),
      ),
    );
    semaphorePost(s);
    await turn();
    expect(t.status).toBe("pending");
    clock.vts.flush();
    await turn();
    expect(t.value).toBe(false);
  });

  it("exactly one commit when a replacement would complete the same sync's blocked async-channel get", async () => {
    const ch = makeAsyncChannel<number>(1);
    const s = makeSemaphore(0);
    const ran: string[] = [];
    const t = track(
      sync(
        wrapEvt(ch, (v) => ran.push(`get ${v}`)),
        replaceEvt(s, () => wrapEvt(asyncChannelPutEvt(ch, 5), () => ran.push("put"))),
      ),
    );
    semaphorePost(s);
    await turn();
    expect(t.status).toBe("ok");
    // Either the get or the put was chosen, not both: the value is delivered or still buffered.
    expect(ran.length).toBe(1);
    expect((ran[0] === "get 5" ? 1 : 0) + ch.length).toBe(1);
    expect(ch.getters.size + ch.putters.size).toBe(0);
  });

  it("no value is lost when a replacement get would admit the same sync's blocked async-channel put", async () => {
    const ch = makeAsyncChannel<number>(1);
    ch.push(1);
    const s = makeSemaphore(0);
    const t = track(
      sync(
        asyncChannelPutEvt(ch, 2),
        replaceEvt(s, () => ch),
      ),
    );
    semaphorePost(s);
    await turn();
    expect(t.status).toBe("ok");
    // The buffer's values, plus the one the sync returned if it chose the get, are exactly the
    // ones put: none lost, none duplicated.
    const values: number[] = [];
    if (typeof t.value === "number") values.push(t.value);
    while (ch.length > 0) values.push(pollNow([ch], -1) as number);
    const expected = t.value === 1 ? [1] : [1, 2];
    expect(values.sort()).toEqual(expected);
  });

  it("checks its arguments with replace-evt: contract violation", () => {
    expect(() => replaceEvt(4 as never, () => alwaysEvt)).toThrow(ExnFailContract);
    expect(() => replaceEvt(4 as never, () => alwaysEvt)).toThrow(
      /^replace-evt: contract violation\n {2}expected: evt\?/,
    );
    expect(() => replaceEvt(alwaysEvt, 4 as never)).toThrow(
      /^replace-evt: contract violation\n {2}expected: procedure\?\n {2}given: 4\n {2}argument position: 2nd/,
    );
  });
});
