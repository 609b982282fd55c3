import assert from "node:assert/strict";
import {
  sync,
  syncEnableBreak,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
  makeChannel,
  channelPut,
  channelTryGet,
  ExnBreak,
} from "@rendezvous/core";

const sleep = (ms: number) => new Promise<"timeout">((r) => setTimeout(() => r("timeout"), ms));

// Wrong: Promise.race stops *listening* to the sync; the sync itself goes on waiting, and takes
// the next value — which nobody reads.
const orders = makeChannel<string>();
assert.equal(await Promise.race([sync(orders), sleep(10)]), "timeout");
void channelPut(orders, "order #1");
await sleep(5);
assert.equal(channelTryGet(orders), false); // swallowed by the forgotten sync

// Right: put the timeout in the sync (an alarm) …
const orders2 = makeChannel<string>();
const deadline = wrapEvt(alarmEvt(currentInexactMilliseconds() + 10), () => "timeout" as const);
assert.equal(await sync(orders2, deadline), "timeout");
// … or break the wait with an AbortSignal (breakThread does the same for a thread).
const stop = new AbortController();
setTimeout(() => stop.abort(), 10);
await assert.rejects(syncEnableBreak(stop.signal, orders2), ExnBreak);

void channelPut(orders2, "order #2");
await sleep(5);
assert.equal(channelTryGet(orders2), "order #2"); // still there for the next receiver
console.log("only a sync that is over can lose nothing");
