import assert from "node:assert/strict";
import { sync, wrapEvt, alarmEvt, makeChannel, channelPut, channelTryGet } from "@rendezvous/core";
import { currentInexactMilliseconds } from "@rendezvous/core";

const jobs = makeChannel<string>();
const results = makeChannel<string>();
void channelPut(jobs, "resize photo.png");
void channelPut(results, "thumbnail.png");

// Wait for whichever comes first. Both channels have a value ready, and exactly one is taken.
const next = await sync(
  wrapEvt(jobs, (job) => `job: ${job}`),
  wrapEvt(results, (r) => `result: ${r}`),
  wrapEvt(alarmEvt(currentInexactMilliseconds() + 1000), () => "idle for a second"),
);
console.log(next); // "job: resize photo.png" or "result: thumbnail.png"

// The channel that lost still holds its value for the next receiver.
const other = next.startsWith("job") ? channelTryGet(results) : channelTryGet(jobs);
assert.ok(other === "thumbnail.png" || other === "resize photo.png");
