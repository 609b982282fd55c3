// Standing registrations (engine/standing.ts): a choice synced repeatedly keeps its members'
// waiters registered between syncs. These tests check that this is invisible — the same results
// as registering afresh — and that it really is used.
import { describe, it, expect, afterEach } from "vitest";
import fc from "fast-check";
import {
  sync,
  syncTimeout,
  choiceEvt,
  wrapEvt,
  makeChannel,
  channelPut,
  channelPutEvt,
  channelTryGet,
  makeSemaphore,
  semaphorePost,
  semaphoreTryWait,
  makeAsyncChannel,
  asyncChannelPut,
  asyncChannelTryGet,
  currentEvtPseudoRandomGenerator,
  makePseudoRandomGenerator,
  alarmEvt,
  currentInexactMilliseconds,
  type Channel,
} from "../../src/index.js";
import { ChoiceEvt } from "../../src/protocol/nodes.js";

const tick = () => new Promise<void>((r) => setImmediate(r));

afterEach(() => currentEvtPseudoRandomGenerator(Math.random));

function channels(n: number): Channel<number>[] {
  return Array.from({ length: n }, () => makeChannel<number>());
}

describe("standing registrations", () => {
  it("are used from the second sync of a large choice, and not for small ones", async () => {
    const big = channels(16);
    const e = choiceEvt(...big) as ChoiceEvt;
    void channelPut(big[3]!, 1);
    await sync(e);
    expect(e.standing).toBe(null);
    void channelPut(big[3]!, 2);
    await sync(e);
    expect(e.standing).not.toBe(null);
    expect(e.standing).not.toBe(false);

    const small = choiceEvt(...channels(3)) as ChoiceEvt;
    for (let i = 0; i < 3; i++) await syncTimeout(0, small);
    expect(small.standing).toBe(false);
  });

  it("deliver every value of one active channel out of many, in order", async () => {
    const cs = channels(100);
    const e = choiceEvt(...cs.map((c, i) => wrapEvt(c, (v: number) => [i, v] as const)));
    const producer = (async () => {
      for (let i = 0; i < 500; i++) await channelPut(cs[42]!, i);
    })();
    const got: number[] = [];
    for (let i = 0; i < 500; i++) {
      const [idx, v] = await sync(e);
      expect(idx).toBe(42);
      got.push(v);
    }
    await producer;
    expect(got).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it("find a putter that arrived while no sync was using the choice", async () => {
    const cs = channels(10);
    const e = choiceEvt(...cs);
    void channelPut(cs[0]!, 0);
    await sync(e);
    void channelPut(cs[0]!, 1);
    await sync(e); // now standing; between syncs the waiters are inert
    const put = channelPut(cs[7]!, 77);
    await tick();
    expect(await syncTimeout(0, e)).toBe(77);
    await put;
  });

  it("are inert between syncs: no putter can rendezvous with them", async () => {
    const cs = channels(10);
    const e = choiceEvt(...cs);
    for (let i = 0; i < 3; i++) {
      void channelPut(cs[1]!, i);
      await sync(e);
    }
    // No sync uses the choice now: a polling put finds no getter, as if nothing were registered.
    expect(await syncTimeout(0, channelPutEvt(cs[5]!, 5))).toBe(false);
    expect(channelTryGet(cs[5]!)).toBe(false);
    // A blocked sync makes them live again.
    const pending = sync(e);
    expect(await syncTimeout(0, channelPutEvt(cs[5]!, 55))).not.toBe(false);
    expect(await pending).toBe(55);
  });

  it("work for semaphores and async channels, consuming exactly what is chosen", async () => {
    const sems = Array.from({ length: 6 }, () => makeSemaphore(0));
    const acs = Array.from({ length: 6 }, () => makeAsyncChannel<string>());
    const e = choiceEvt(...sems.map((s, i) => wrapEvt(s, () => `s${i}`)), ...acs);
    semaphorePost(sems[0]!);
    await sync(e);
    semaphorePost(sems[0]!);
    await sync(e); // standing from here on
    semaphorePost(sems[2]!);
    semaphorePost(sems[2]!);
    await asyncChannelPut(acs[4]!, "a4");
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) seen.push((await syncTimeout(0, e)) as string);
    expect(seen.sort()).toEqual(["a4", "s2", "s2"]);
    expect(await syncTimeout(0, e)).toBe(false);
    expect(semaphoreTryWait(sems[2]!)).toBe(false);
    expect(asyncChannelTryGet(acs[4]!)).toBe(false);
  });

  it("stay fair among ready members", async () => {
    currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(9));
    const sems = Array.from({ length: 10 }, () => makeSemaphore(0));
    const e = choiceEvt(...sems.map((s, i) => wrapEvt(s, () => i)));
    const counts = new Array(10).fill(0);
    for (let round = 0; round < 400; round++) {
      for (const s of sems) semaphorePost(s);
      for (let k = 0; k < 10; k++) counts[(await syncTimeout(0, e)) as number]++;
      // Every post is consumed exactly once per round.
      expect(await syncTimeout(0, e)).toBe(false);
    }
    expect(counts).toEqual(new Array(10).fill(400));
    // First picks are spread: count which member wins first in fresh rounds.
    const first = new Array(10).fill(0);
    for (let round = 0; round < 1000; round++) {
      for (const s of sems) semaphorePost(s);
      first[(await syncTimeout(0, e)) as number]++;
      while ((await syncTimeout(0, e)) !== false);
    }
    for (const f of first) expect(f).toBeGreaterThan(40);
  });

  it("let a second concurrent sync of the same choice fall back to ordinary registration", async () => {
    const cs = channels(12);
    const e = choiceEvt(...cs);
    void channelPut(cs[0]!, 0);
    await sync(e);
    void channelPut(cs[0]!, 1);
    await sync(e);
    const a = sync(e);
    const b = sync(e);
    void channelPut(cs[3]!, 3);
    void channelPut(cs[9]!, 9);
    expect([await a, await b].sort()).toEqual([3, 9]);
  });

  it("conserve values under random interleavings of syncs, timeouts and puts", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.record({ kind: fc.constant("put" as const), ch: fc.nat(11) }),
            fc.record({ kind: fc.constant("poll" as const) }),
            fc.record({ kind: fc.constant("sync" as const) }),
            fc.record({ kind: fc.constant("timeout" as const) }),
            fc.record({ kind: fc.constant("tick" as const) }),
          ),
          { maxLength: 60 },
        ),
        fc.integer(),
        async (ops, seed) => {
          currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(seed));
          const cs = channels(12);
          const e = choiceEvt(...cs.map((c, i) => wrapEvt(c, (v: number) => ({ i, v }))));
          const sent: number[] = [];
          const received: number[] = [];
          const puts: Promise<void>[] = [];
          let blockedSyncs = 0;
          const syncs: Promise<unknown>[] = [];
          let next = 0;
          const put = (ch: number) => {
            const v = next++;
            sent.push(v);
            puts.push(channelPut(cs[ch]!, v));
          };
          for (const op of ops) {
            if (op.kind === "put") put(op.ch);
            else if (op.kind === "poll") {
              const r = await syncTimeout(0, e);
              if (r !== false) received.push(r.v);
            } else if (op.kind === "sync") {
              blockedSyncs++;
              syncs.push(
                sync(e).then((r) => {
                  blockedSyncs--;
                  received.push(r.v);
                }),
              );
            } else if (op.kind === "timeout") {
              const r = await sync(
                e,
                wrapEvt(alarmEvt(currentInexactMilliseconds()), () => false as const),
              );
              if (r !== false) received.push(r.v);
            } else await tick();
          }
          // Feed the syncs still blocked, then drain the putters still blocked.
          await tick();
          for (let k = 0; blockedSyncs > 0 && k < 100; k++) {
            put(k % 12);
            await tick();
          }
          expect(blockedSyncs).toBe(0);
          await Promise.all(syncs);
          for (let k = 0; k < 200; k++) {
            const r = await syncTimeout(0, e);
            if (r === false) break;
            received.push(r.v);
          }
          await Promise.all(puts); // every putter completed: its value was taken
          // Nothing lost, nothing duplicated.
          expect([...received].sort((a, b) => a - b)).toEqual(sent);
        },
      ),
      { numRuns: 150 },
    );
  });
});
