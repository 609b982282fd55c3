// Sync on `alwaysEvt`, plain and through a wrap: the fixed cost of one sync that commits at once.
import { alwaysEvt, sync, wrapEvt } from "@rendezvous/core";
import { throughput } from "../harness/measure.js";
import type { Workload } from "../harness/types.js";

const inc = (_: unknown): number => 1;

export const always: Workload = {
  name: "always",
  title: "sync on alwaysEvt (the event is created once, synced repeatedly, each sync awaited)",
  unit: "ops/s",
  better: "higher",
  configs: () => [
    { label: "plain", params: { wrapped: false } },
    { label: "wrapped", params: { wrapped: true } },
  ],
  sides: [
    {
      kind: "node",
      name: "rendezvous",
      run: (params, caps) => {
        const evt = params.wrapped ? wrapEvt(alwaysEvt, inc) : alwaysEvt;
        return throughput(async (n) => {
          for (let i = 0; i < n; i++) await sync(evt);
        }, caps);
      },
    },
    {
      // The floor of any promise-returning API: awaiting an already-resolved promise.
      kind: "node",
      name: "node await (floor)",
      run: (params, caps) => {
        const make = params.wrapped ? () => Promise.resolve(0).then(inc) : () => Promise.resolve(0);
        return throughput(async (n) => {
          for (let i = 0; i < n; i++) await make();
        }, caps);
      },
    },
    {
      kind: "racket",
      name: "racket",
      file: "always.rkt",
      args: (params) => [params.wrapped ? "wrapped" : "plain"],
    },
  ],
};
