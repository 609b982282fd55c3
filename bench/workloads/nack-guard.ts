// nackGuardEvt overhead: sync on choice(alwaysEvt, nackGuardEvt(...)). The guard's maker runs when
// reached (the choice is rotated at random) and its NACK fires whenever alwaysEvt wins.
import { alwaysEvt, choiceEvt, makeChannel, nackGuardEvt, sync } from "@rendezvous/core";
import { throughput } from "../harness/measure.js";
import type { Workload } from "../harness/types.js";

export const nackGuard: Workload = {
  name: "nack-guard",
  title: "sync on choice(alwaysEvt, nackGuardEvt(nack => channel)), built once, synced repeatedly",
  unit: "ops/s",
  better: "higher",
  configs: () => [{ label: "", params: {} }],
  sides: [
    {
      kind: "node",
      name: "rendezvous",
      run: (_params, caps) => {
        const idle = makeChannel<number>();
        const evt = choiceEvt(
          alwaysEvt,
          nackGuardEvt(() => idle),
        );
        return throughput(async (n) => {
          for (let i = 0; i < n; i++) await sync(evt);
        }, caps);
      },
    },
    { kind: "racket", name: "racket", file: "nack-guard.rkt", args: () => [] },
  ],
};
