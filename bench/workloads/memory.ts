// Memory per blocked sync: N syncs, each blocked on its own channel (kept reachable through an
// array of the channels, as a program holds its channels), heap delta after a full GC / N. The
// channel itself is included, on every side. Needs `--expose-gc`: runs in a child process.
import { channelGet, makeChannel } from "@rendezvous/core";
import { settle } from "../harness/measure.js";
import type { Caps, Sample } from "../harness/types.js";
import type { Workload } from "../harness/types.js";
import { Handoff } from "./lib/handoff.js";
import { threadApi } from "./lib/threads.js";

/** Makes one channel-like object and leaves one party blocked on it; returns what keeps it alive. */
type Block = () => unknown;

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("memory workload: run node with --expose-gc");
  gc();
  gc();
}

function blockMany(n: number, block: Block): unknown[] {
  const held = new Array<unknown>(n);
  for (let i = 0; i < n; i++) held[i] = block();
  return held;
}

async function measure(block: Block, caps: Caps): Promise<Sample> {
  // Warm-up: the same code once on a tenth of N, then dropped (its blocked syncs become garbage).
  blockMany(Math.max(1, caps.scale / 10), block);
  await settle();
  fullGc();
  const before = process.memoryUsage().heapUsed;
  const held = blockMany(caps.scale, block);
  await settle();
  fullGc();
  const after = process.memoryUsage().heapUsed;
  return {
    value: (after - before) / held.length,
    metrics: { n: held.length, bytes: after - before },
  };
}

export const memory: Workload = {
  name: "memory",
  title:
    "memory per blocked sync: N parties blocked in a get, each on its own channel (heap delta / N)",
  unit: "bytes/blocked",
  better: "lower",
  configs: () => [{ label: "", params: {} }],
  caps: (base, quick) => ({ ...base, scale: quick ? 20_000 : 100_000 }),
  maxRounds: 3,
  sides: [
    {
      kind: "node",
      name: "rendezvous (pending sync)",
      nodeFlags: ["--expose-gc"],
      run: (_params, caps) =>
        measure(() => {
          const ch = makeChannel<number>();
          void channelGet(ch);
          return ch;
        }, caps),
    },
    {
      kind: "node",
      name: "rendezvous (async fn)",
      nodeFlags: ["--expose-gc"],
      run: (_params, caps) =>
        measure(() => {
          const ch = makeChannel<number>();
          void (async () => {
            await channelGet(ch);
          })();
          return ch;
        }, caps),
    },
    {
      kind: "node",
      name: "rendezvous (thread)",
      nodeFlags: ["--expose-gc"],
      available: () => Promise.resolve(threadApi() !== null),
      run: (_params, caps) => {
        const { thread } = threadApi()!;
        return measure(() => {
          const ch = makeChannel<number>();
          // The thread object is held too: a Racket thread is reachable from its scheduler.
          return [ch, thread(async () => void (await channelGet(ch)))];
        }, caps);
      },
    },
    {
      kind: "node",
      name: "node promises (handoff)",
      nodeFlags: ["--expose-gc"],
      run: (_params, caps) =>
        measure(() => {
          const h = new Handoff<number>();
          void (async () => {
            await h.get();
          })();
          return h;
        }, caps),
    },
    { kind: "racket", name: "racket (threads)", file: "memory.rkt", args: () => [] },
  ],
};
