import assert from "node:assert/strict";
import {
  sync,
  replaceEvt,
  wrapEvt,
  makeSemaphore,
  semaphorePost,
  makeChannel,
  channelPut,
} from "@rendezvous/core";

// replaceEvt: first take a slot, then wait for work — as one event.
const slots = makeSemaphore(1);
const work = makeChannel<string>();
const job = replaceEvt(slots, () => wrapEvt(work, (w) => `running ${w}`));

setTimeout(() => void channelPut(work, "backup"), 10);
assert.equal(await sync(job), "running backup");
semaphorePost(slots);
console.log("replace ok");
