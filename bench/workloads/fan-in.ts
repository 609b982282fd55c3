// Choice fan-in: one receiver syncs repeatedly on the same choice over N channels. (a) "all": every
// channel has a producer blocked in a put, so each sync finds a ready candidate at once; (b) "one":
// only one channel has a producer, so a sync polls through N candidates and often blocks on all N.
import { channelPut, choiceEvt, makeChannel, sync, type Channel } from "@rendezvous/core";
import { throughput } from "../harness/measure.js";
import type { Params, Workload } from "../harness/types.js";

const SIZES = [1, 10, 100, 1000];

function configs(quick: boolean) {
  const sizes = quick ? [10, 1000] : SIZES;
  return sizes.flatMap((n) => [
    { label: `N=${n} all active`, params: { n, mode: "all" } },
    { label: `N=${n} one active`, params: { n, mode: "one" } },
  ]);
}

/** Producers never stop: the child process exits once the sample is reported. */
function startProducers(chs: readonly Channel<number>[]): void {
  for (const ch of chs) {
    void (async () => {
      for (let i = 0; ; i++) await channelPut(ch, i);
    })();
  }
}

export const fanIn: Workload = {
  name: "fan-in",
  title: "choice fan-in over N channels (the same choice event synced repeatedly)",
  unit: "syncs/s",
  better: "higher",
  shown: [{ key: "nsPerSync", unit: "ns/sync" }],
  configs,
  sides: [
    {
      kind: "node",
      name: "rendezvous",
      run: async (params: Params, caps) => {
        const n = Number(params.n);
        const chs = Array.from({ length: n }, () => makeChannel<number>());
        startProducers(params.mode === "all" ? chs : chs.slice(0, 1));
        const evt = choiceEvt(...chs);
        const s = await throughput(async (k) => {
          for (let i = 0; i < k; i++) await sync(evt);
        }, caps);
        return { value: s.value, metrics: { ...s.metrics, nsPerSync: 1e9 / s.value } };
      },
    },
    {
      kind: "racket",
      name: "racket",
      file: "fan-in.rkt",
      args: (params) => [String(params.n), String(params.mode)],
    },
  ],
};
