// Placeholder demo until the network demo lands: a choice over two channels and an alarm.
import {
  sync,
  choiceEvt,
  wrapEvt,
  alarmEvt,
  makeChannel,
  channelPut,
  currentInexactMilliseconds,
} from "@rendezvous/core";

const jobs = makeChannel<string>();
const results = makeChannel<string>();
void channelPut(jobs, "resize photo.png");
const next = await sync(
  choiceEvt(
    wrapEvt(jobs, (job) => `job: ${job}`),
    wrapEvt(results, (r) => `result: ${r}`),
  ),
  wrapEvt(alarmEvt(currentInexactMilliseconds() + 1000), () => "idle for a second"),
);
console.log(next);
