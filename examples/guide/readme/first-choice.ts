import { sync, choiceEvt, wrapEvt, alarmEvt, makeChannel, channelPut } from "@rendezvous/core";
import { currentInexactMilliseconds } from "@rendezvous/core";

const jobs = makeChannel<string>();
const results = makeChannel<string>();
void channelPut(jobs, "resize photo.png");

// Wait for whichever comes first; only the chosen event takes effect.
const next = await sync(
  choiceEvt(
    wrapEvt(jobs, (job) => `job: ${job}`),
    wrapEvt(results, (r) => `result: ${r}`),
  ),
  wrapEvt(alarmEvt(currentInexactMilliseconds() + 1000), () => "idle for a second"),
);
console.log(next); // "job: resize photo.png" — and `results` lost nothing
