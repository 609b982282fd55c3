import assert from "node:assert/strict";
import { firstValueFrom, take, toArray, map, filter } from "rxjs";
import {
  toObservable,
  makeChannel,
  channelPut,
  channelTryGet,
  thread,
  threadWait,
} from "@rendezvous/core";

// A producer thread offers 1, 2, 3, … on a channel; each put waits for a taker.
const numbers = makeChannel<number>();
const producer = thread(async () => {
  for (let i = 1; i <= 10; i++) await channelPut(numbers, i);
});

// toObservable(evt) syncs on the event again and again: here, one channel get per value.
const evens = await firstValueFrom(
  toObservable(numbers).pipe(
    filter((n) => n % 2 === 0),
    map((n) => n * 10),
    take(3),
    toArray(),
  ),
);
assert.deepEqual(evens, [20, 40, 60]);

// take(3) unsubscribed right after the third even number (6): the pending get was abandoned,
// so the producer's next value is still on offer for whoever takes it next.
await new Promise((r) => setTimeout(r, 10));
assert.equal(channelTryGet(numbers), 7);

// The stream is cold: a new subscription syncs afresh.
assert.deepEqual(await firstValueFrom(toObservable(numbers).pipe(take(3), toArray())), [8, 9, 10]);
await threadWait(producer);
console.log(evens);
