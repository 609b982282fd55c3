// Two parties each offering a choice: one syncs on choice(put on A, get on B), the other on the
// mirror choice(put on B, get on A). Every sync pairs with the other side's: one rendezvous each.
import { channelPutEvt, choiceEvt, makeChannel, sync } from "@rendezvous/core";
import { throughput } from "../harness/measure.js";
import type { Workload } from "../harness/types.js";
import { threadApi } from "./lib/threads.js";

function parties() {
  const a = makeChannel<number>();
  const b = makeChannel<number>();
  const left = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await sync(choiceEvt(channelPutEvt(a, i), b));
  };
  const right = async (n: number): Promise<void> => {
    for (let i = 0; i < n; i++) await sync(choiceEvt(channelPutEvt(b, i), a));
  };
  return { left, right };
}

export const twoSidedChoice: Workload = {
  name: "two-sided-choice",
  title:
    "two-sided choice: choice(put A, get B) against choice(put B, get A), events built per sync",
  unit: "rendezvous/s",
  better: "higher",
  configs: () => [{ label: "", params: {} }],
  sides: [
    {
      kind: "node",
      name: "rendezvous (async fns)",
      run: (_params, caps) => {
        const { left, right } = parties();
        return throughput(async (n) => {
          await Promise.all([left(n), right(n)]);
        }, caps);
      },
    },
    {
      kind: "node",
      name: "rendezvous (threads)",
      available: () => Promise.resolve(threadApi() !== null),
      run: (_params, caps) => {
        const { thread, threadWait } = threadApi()!;
        const { left, right } = parties();
        return throughput(async (n) => {
          const l = thread(() => left(n));
          const r = thread(() => right(n));
          await threadWait(l);
          await threadWait(r);
        }, caps);
      },
    },
    { kind: "racket", name: "racket (threads)", file: "two-sided-choice.rkt", args: () => [] },
  ],
};
