import assert from "node:assert/strict";
import { Subject } from "rxjs";
import {
  makeAsyncChannel,
  asyncChannelPut,
  asyncChannelGet,
  observableAsyncChannel,
  syncTimeout,
} from "@rendezvous/core";

// makeAsyncChannel() with no limit never makes a producer wait: a fast producer and a slow
// consumer grow the buffer without bound. Give a limit, and the producer waits for room.
const queue = makeAsyncChannel<number>(2);
let produced = 0;
const producer = (async () => {
  for (let i = 0; i < 10; i++) {
    await asyncChannelPut(queue, i); // waits while 2 values are buffered
    produced++;
  }
})();
await new Promise((r) => setTimeout(r, 10));
const heldBackAt = produced;
assert.equal(heldBackAt, 2); // held back, not piling up
for (let i = 0; i < 10; i++) assert.equal(await asyncChannelGet(queue), i);
await producer;

// A hot source cannot be made to wait, so a limited observableAsyncChannel drops the newest
// values when full — and counts them, so the loss is visible instead of silent.
const clicks = new Subject<number>();
const buffered = observableAsyncChannel(clicks, 3);
for (let i = 0; i < 5; i++) clicks.next(i);
assert.equal(buffered.size, 3);
assert.equal(buffered.dropped, 2);
assert.equal(await syncTimeout(0, buffered), 0); // the oldest first
buffered.close();
console.log(`producer held back at ${heldBackAt}; hot source dropped ${buffered.dropped}`);
