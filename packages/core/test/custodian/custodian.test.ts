import { afterEach, describe, expect, it, vi } from "vitest";
import {
  currentCustodian,
  custodianManage,
  custodianManagedList,
  custodianShutdownAll,
  isCustodian,
  makeCustodian,
  withCustodian,
} from "../../src/custodian/custodian.js";
import {
  currentThread,
  isThreadDead,
  thread,
  threadWait,
  type Thread,
} from "../../src/thread/thread.js";
import { killThread } from "../../src/thread/break-and-kill.js";
import { ThreadKilledError } from "../../src/thread/thread-killed-error.js";
import { sync } from "../../src/engine/sync.js";
import { neverEvt } from "../../src/combinators/never.js";
import { makeChannel, channelTryGet, channelPut } from "../../src/primitives/channel.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { track, turn } from "../helpers.js";

afterEach(() => vi.restoreAllMocks());

describe("custodians", () => {
  it("withCustodian scopes the current custodian, following await", async () => {
    const root = currentCustodian();
    const c = makeCustodian();
    expect(isCustodian(c)).toBe(true);
    const seen = await withCustodian(c, async () => {
      const before = currentCustodian();
      await turn();
      return [before, currentCustodian()];
    });
    expect(seen).toEqual([c, c]);
    expect(currentCustodian()).toBe(root);
  });

  it("shutdown kills its threads and closes every resource of it and its sub-custodians", async () => {
    const c = makeCustodian();
    const sub = makeCustodian(c);
    const closed: string[] = [];
    const threads = withCustodian(c, () => [
      thread(() => sync(neverEvt)),
      thread(() => sync(neverEvt)),
    ]);
    const inSub = withCustodian(sub, () => thread(() => sync(neverEvt)));
    custodianManage("res-a", {}, () => closed.push("a"), c);
    withCustodian(sub, () => custodianManage("res-b", {}, () => closed.push("b")));
    await turn();
    custodianShutdownAll(c);
    expect(threads.every(isThreadDead)).toBe(true);
    expect(isThreadDead(inSub)).toBe(true);
    expect(closed.sort()).toEqual(["a", "b"]);
    custodianShutdownAll(c); // twice: nothing more
    expect(closed).toHaveLength(2);
  });

  it("kills threads before it closes other resources", async () => {
    const c = makeCustodian();
    const log: string[] = [];
    custodianManage("early", {}, () => log.push(`resource (thread dead: ${isThreadDead(t)})`), c);
    const t: Thread = withCustodian(c, () => thread(() => sync(neverEvt)));
    custodianShutdownAll(c);
    expect(log).toEqual(["resource (thread dead: true)"]);
  });

  it("creation under a shut-down custodian raises exn:fail:contract with Racket's message", () => {
    const c = makeCustodian();
    custodianShutdownAll(c);
    expect(() => withCustodian(c, () => thread(() => {}))).toThrow(ExnFailContract);
    expect(() => withCustodian(c, () => thread(() => {}))).toThrow(
      /^thread: the custodian has been shut down\n {2}custodian: #<custodian>$/,
    );
    expect(() => makeCustodian(c)).toThrow(/^make-custodian: the custodian has been shut down/);
    expect(() => custodianManage("tcp-listen", {}, () => {}, c)).toThrow(
      /^tcp-listen: the custodian has been shut down/,
    );
    // Sub-custodians are shut down with it.
    const p = makeCustodian();
    const s = makeCustodian(p);
    custodianShutdownAll(p);
    expect(() => makeCustodian(s)).toThrow(ExnFailContract);
  });

  it("await using shuts a custodian down at scope exit", async () => {
    let t: Thread | undefined;
    let closed = false;
    {
      await using c = makeCustodian();
      t = withCustodian(c, () => thread(() => sync(neverEvt)));
      custodianManage("r", {}, () => (closed = true), c);
      await turn();
      expect(isThreadDead(t)).toBe(false);
    }
    expect(isThreadDead(t)).toBe(true);
    expect(closed).toBe(true);
  });

  it("a killed thread managed by a shut-down custodian leaves a channel's value for the next receiver", async () => {
    const ch = makeChannel<number>();
    const c = makeCustodian();
    withCustodian(c, () => thread(() => sync(ch)));
    await turn();
    custodianShutdownAll(c);
    const put = track(channelPut(ch, 7));
    await turn();
    expect(put.status).toBe("pending");
    expect(channelTryGet(ch)).toBe(7);
  });

  it("custodianManagedList lists live threads, resources and sub-custodians in order", async () => {
    const c = makeCustodian();
    const sub = makeCustodian(c);
    const res = {};
    const reg = custodianManage("r", res, () => {}, c);
    const t = withCustodian(c, () => thread(() => sync(neverEvt)));
    const quick = withCustodian(c, () => thread(() => {}));
    expect(custodianManagedList(c, currentCustodian())).toEqual([sub, res, t, quick]);
    await threadWait(quick);
    killThread(t);
    reg.unsubscribe(); // the resource closed by itself
    custodianShutdownAll(sub);
    expect(custodianManagedList(c, currentCustodian())).toEqual([]);
  });

  it("custodianManagedList requires a strict superior", () => {
    const c = makeCustodian();
    const sub = makeCustodian(c);
    expect(custodianManagedList(sub, currentCustodian())).toEqual([]);
    expect(() => custodianManagedList(c, c)).toThrow(
      /^custodian-managed-list: the second custodian does not manage the first custodian/,
    );
    expect(() => custodianManagedList(c, sub)).toThrow(ExnFailContract);
  });

  it("a registration's close runs once: at shutdown, or when the resource unsubscribes first", () => {
    const c = makeCustodian();
    let n = 0;
    const reg = custodianManage("r", {}, () => n++, c);
    reg.unsubscribe();
    expect(n).toBe(1);
    expect(reg.closed).toBe(true);
    custodianShutdownAll(c);
    expect(n).toBe(1);
    const c2 = makeCustodian();
    let m = 0;
    const reg2 = custodianManage("r", {}, () => m++, c2);
    custodianShutdownAll(c2);
    expect(reg2.closed).toBe(true);
    reg2.unsubscribe();
    expect(m).toBe(1);
  });

  it("a close that throws does not stop the others; the error is thrown afterwards", () => {
    const c = makeCustodian();
    const closed: string[] = [];
    custodianManage(
      "bad",
      {},
      () => {
        throw new Error("close failed");
      },
      c,
    );
    custodianManage("good", {}, () => closed.push("good"), c);
    expect(() => custodianShutdownAll(c)).toThrow("close failed");
    expect(closed).toEqual(["good"]);
    const c2 = makeCustodian();
    for (const i of [1, 2])
      custodianManage(
        "bad",
        {},
        () => {
          throw new Error(`close ${i}`);
        },
        c2,
      );
    expect(() => custodianShutdownAll(c2)).toThrow(AggregateError);
  });

  it("shutting down the custodian of the calling thread kills it after closing the rest", async () => {
    const c = makeCustodian();
    const log: string[] = [];
    custodianManage("r", {}, () => log.push("closed"), c);
    const t = withCustodian(c, () =>
      thread(() => {
        try {
          custodianShutdownAll(c);
          log.push("returned");
        } catch (e) {
          log.push(e instanceof ThreadKilledError ? "killed" : "other");
        }
      }),
    );
    await threadWait(t);
    expect(log).toEqual(["closed", "killed"]);
  });

  it("threads inherit the custodian that was current where they were made", async () => {
    const c = makeCustodian();
    let inner: Thread | undefined;
    const t = withCustodian(c, () =>
      thread(async () => {
        inner = thread(() => sync(neverEvt));
        await turn();
      }),
    );
    await threadWait(t);
    expect(custodianManagedList(c, currentCustodian())).toEqual([inner]);
    custodianShutdownAll(c);
    expect(isThreadDead(inner!)).toBe(true);
  });

  it("checks its arguments", () => {
    expect(() => makeCustodian(5 as never)).toThrow(/^make-custodian: contract violation/);
    expect(() => withCustodian({} as never, () => 1)).toThrow(
      /^with-custodian: contract violation/,
    );
    expect(() => withCustodian(makeCustodian(), 1 as never)).toThrow(
      /^with-custodian: contract violation/,
    );
    expect(() => custodianShutdownAll(null as never)).toThrow(
      /^custodian-shutdown-all: contract violation/,
    );
    expect(() => custodianManagedList(1 as never, currentCustodian())).toThrow(
      /^custodian-managed-list: contract violation/,
    );
    expect(isCustodian(currentThread())).toBe(false);
  });
});
