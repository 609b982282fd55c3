import assert from "node:assert/strict";
import { sync, choiceEvt, wrapEvt, makeChannel, channelPut, type Channel } from "@rendezvous/core";

// A server that listens to many channels. Building the choice inside the loop registers a waiter
// on every channel at every sync. Build it once and sync the same choice again and again: from
// its second sync on, its members stay registered and a sync polls only the channels that saw
// activity (see docs/decisions.md, "standing registrations").
const inboxes: Channel<string>[] = Array.from({ length: 100 }, () => makeChannel<string>());
const anyInbox = choiceEvt(...inboxes.map((ch, i) => wrapEvt(ch, (msg) => `${i}: ${msg}`)));

const senders = [3, 42, 99].map((i) => channelPut(inboxes[i]!, "hello"));
const received: string[] = [];
for (let n = 0; n < 3; n++) received.push(await sync(anyInbox)); // the same choice each time
await Promise.all(senders);

assert.deepEqual(received.sort(), ["3: hello", "42: hello", "99: hello"]);
console.log(received);
