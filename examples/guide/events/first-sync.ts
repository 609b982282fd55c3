import assert from "node:assert/strict";
import {
  sync,
  choiceEvt,
  wrapEvt,
  alarmEvt,
  makeChannel,
  channelPut,
  channelTryGet,
  currentInexactMilliseconds,
} from "@rendezvous/core";

const jobs = makeChannel<string>();
const results = makeChannel<string>();
void channelPut(jobs, "resize photo.png");
void channelPut(results, "thumbnail.png");

// Both channels have a value waiting, yet exactly one event is committed.
const next = await sync(
  choiceEvt(
    wrapEvt(jobs, (job) => `job: ${job}`),
    wrapEvt(results, (r) => `result: ${r}`),
  ),
  wrapEvt(alarmEvt(currentInexactMilliseconds() + 1000), () => "idle for a second"),
);
console.log(next);

// The loser kept its value: it is still there for the next receiver.
const leftover = next.startsWith("job") ? channelTryGet(results) : channelTryGet(jobs);
assert.ok(leftover === "thumbnail.png" || leftover === "resize photo.png");
console.log("still waiting:", leftover);
