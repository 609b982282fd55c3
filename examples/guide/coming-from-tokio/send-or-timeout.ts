import assert from "node:assert/strict";
import {
  sync,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
  makeAsyncChannel,
  asyncChannelPutEvt,
  asyncChannelTryGet,
} from "@rendezvous/core";

// A bounded queue (tokio's mpsc::channel(1)) that is full: a send must wait for room.
const queue = makeAsyncChannel<string>(1);
await sync(asyncChannelPutEvt(queue, "earlier"));

// Send, or give up after 20 ms. A send that loses sends nothing, and the message is still yours.
const trySend = (msg: string) =>
  sync(
    wrapEvt(asyncChannelPutEvt(queue, msg), () => true),
    wrapEvt(alarmEvt(currentInexactMilliseconds() + 20), () => false),
  );

const msg = "important";
assert.equal(await trySend(msg), false); // timed out: not queued …
assert.equal(asyncChannelTryGet(queue), "earlier"); // … only the earlier message is there
assert.equal(await trySend(msg), true); // so it can simply be sent again
assert.equal(asyncChannelTryGet(queue), "important");
assert.equal(asyncChannelTryGet(queue), false); // once, not twice
console.log("a losing send sends nothing");
