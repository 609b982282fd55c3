import assert from "node:assert/strict";
import {
  sync,
  replaceEvt,
  nackGuardEvt,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
  makeSemaphore,
  semaphorePost,
  semaphoreTryWait,
  makeChannel,
} from "@rendezvous/core";

const work = makeChannel<string>(); // no work arrives
const timeout = () => wrapEvt(alarmEvt(currentInexactMilliseconds() + 20), () => "timeout");

// replaceEvt(slot, …) takes the slot as soon as it is free — in a nested sync — and then waits for
// work. If the outer sync chooses the timeout, the slot stays taken: only the replacement is
// covered by the single-choice guarantee.
const slots = makeSemaphore(1);
const job = replaceEvt(slots, () => work);
assert.equal(await sync(job, timeout()), "timeout");
assert.equal(semaphoreTryWait(slots), false); // leaked

// If the first step must be undone, watch the NACK: it fires when this branch loses.
const slots2 = makeSemaphore(1);
const job2 = nackGuardEvt((nack) => {
  let holding = false;
  void sync(nack).then(() => holding && semaphorePost(slots2));
  return replaceEvt(
    wrapEvt(slots2, () => (holding = true)),
    () => work,
  );
});
assert.equal(await sync(job2, timeout()), "timeout");
await new Promise((r) => setImmediate(r));
assert.equal(semaphoreTryWait(slots2), true); // given back
console.log("replaceEvt commits its first event; a NACK can undo it");
