import assert from "node:assert/strict";
import {
  sync,
  wrapEvt,
  guardEvt,
  alarmEvt,
  currentInexactMilliseconds,
  makeChannel,
  channelPut,
  channelGet,
  channelPutEvt,
  type Evt,
} from "@rendezvous/core";

const jobs = makeChannel<number>();
const results = makeChannel<string>();

// A stage that takes jobs and hands results on, whichever its neighbours are ready for, and stops
// after 50 ms of quiet. Go turns the send case off with a nil channel; here it is simply left out.
async function stage(): Promise<void> {
  const pending: string[] = [];
  const quiet = guardEvt(() => alarmEvt(currentInexactMilliseconds() + 50)); // time.After per round
  for (;;) {
    const cases: Evt<"job" | "sent" | "quiet">[] = [
      wrapEvt(jobs, (n) => (pending.push(`job ${n} done`), "job" as const)),
      wrapEvt(quiet, () => "quiet" as const),
    ];
    if (pending.length > 0)
      cases.push(
        wrapEvt(channelPutEvt(results, pending[0]!), () => (pending.shift(), "sent" as const)),
      );
    if ((await sync(...cases)) === "quiet" && pending.length === 0) return;
  }
}

const running = stage();
const got: string[] = [];
for (let n = 1; n <= 3; n++) await channelPut(jobs, n);
for (let n = 1; n <= 3; n++) got.push(await channelGet(results));
await running;
assert.deepEqual(got, ["job 1 done", "job 2 done", "job 3 done"]);
console.log(got);
