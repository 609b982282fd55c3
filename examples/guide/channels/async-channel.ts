import assert from "node:assert/strict";
import {
  makeAsyncChannel,
  asyncChannelPut,
  asyncChannelGet,
  asyncChannelPutEvt,
  syncTimeout,
} from "@rendezvous/core";

// A buffer of 2: puts return at once while there is room, then wait for a get.
const q = makeAsyncChannel<number>(2);
await asyncChannelPut(q, 1);
await asyncChannelPut(q, 2);
assert.equal(await syncTimeout(0, asyncChannelPutEvt(q, 3)), false); // full: not ready

const third = asyncChannelPut(q, 3); // waits
assert.equal(await asyncChannelGet(q), 1); // frees room, so the third put completes
await third;
assert.deepEqual([await asyncChannelGet(q), await asyncChannelGet(q)], [2, 3]);
console.log("FIFO, bounded");
