import assert from "node:assert/strict";
import { sync, makeChannel, channelPut, channelTryGet } from "@rendezvous/core";

// `sync` returns a promise, and a promise resolving to a promise adopts it: a channel that carries
// promises delivers their outcomes, and a rejected one rejects the sync — after the commit.
const replies = makeChannel<Promise<string>>();
void channelPut(replies, Promise.reject(new Error("upstream failed")));
await assert.rejects(sync(replies), /upstream failed/);
assert.equal(channelTryGet(replies), false); // the value was taken all the same

// To receive the promise itself, box it.
const boxed = makeChannel<{ reply: Promise<string> }>();
void channelPut(boxed, { reply: Promise.reject(new Error("upstream failed")) });
const { reply } = await sync(boxed);
await assert.rejects(reply, /upstream failed/); // handled where you choose
console.log("box promises you want to keep as promises");
