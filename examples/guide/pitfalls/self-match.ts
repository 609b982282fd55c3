import assert from "node:assert/strict";
import { sync, syncTimeout, wrapEvt, makeChannel, channelPutEvt } from "@rendezvous/core";

const ch = makeChannel<string>();

// One sync offering both sides of a channel never matches itself: nothing happens here.
const either = [wrapEvt(channelPutEvt(ch, "x"), () => "sent"), wrapEvt(ch, (v) => `got ${v}`)];
assert.equal(await syncTimeout(0.02, ...either), false);

// Two syncs do match — even both on the main thread (Racket decides by thread, we by sync).
const [a, b] = await Promise.all([sync(...either), sync(...either)]);
assert.deepEqual([a, b].sort(), ["got x", "sent"]);
console.log(a, "/", b);
