import assert from "node:assert/strict";
import {
  thread,
  threadWait,
  currentThread,
  isThreadDead,
  sync,
  makeChannel,
  channelPut,
  channelPutEvt,
  channelGet,
  wrapEvt,
} from "@rendezvous/core";

// Three workers take jobs from one channel and send results back on another.
const jobs = makeChannel<number>();
const results = makeChannel<[string, number]>();
const workers = ["a", "b", "c"].map((name) =>
  thread(async () => {
    for (;;) {
      const n = await channelGet(jobs);
      if (n < 0) return; // the stop signal
      await channelPut(results, [name, n * n]);
    }
  }),
);

// The main program hands out jobs and collects results in one loop: whichever can happen first.
const pending = [1, 2, 3, 4, 5, 6];
const squares: number[] = [];
while (squares.length < 6) {
  const offer =
    pending.length > 0 ? [wrapEvt(channelPutEvt(jobs, pending[0]!), () => pending.shift())] : [];
  await sync(
    wrapEvt(results, ([, sq]) => squares.push(sq)),
    ...offer,
  );
}

for (const _ of workers) await channelPut(jobs, -1);
for (const w of workers) await threadWait(w); // a thread is also an event: `sync(w)` works too
assert.deepEqual(
  squares.sort((x, y) => x - y),
  [1, 4, 9, 16, 25, 36],
);
assert.ok(workers.every(isThreadDead));
assert.notEqual(currentThread(), workers[0]); // outside every thread: the main thread
console.log(squares);
