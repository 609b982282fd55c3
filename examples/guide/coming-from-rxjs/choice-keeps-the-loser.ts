import assert from "node:assert/strict";
import { firstValueFrom, take, toArray } from "rxjs";
import {
  sync,
  choiceEvt,
  wrapEvt,
  toObservable,
  makeAsyncChannel,
  asyncChannelPut,
  asyncChannelTryGet,
} from "@rendezvous/core";

// The same two queues as events. A sync commits one of them: the other keeps its message.
const urgent = makeAsyncChannel<string>();
const normal = makeAsyncChannel<string>();
await asyncChannelPut(urgent, "urgent #1");
await asyncChannelPut(normal, "normal #1");

const next = await sync(urgent, normal);
const other = next === "urgent #1" ? normal : urgent;
assert.equal(asyncChannelTryGet(other), next === "urgent #1" ? "normal #1" : "urgent #1");

// As a stream: toObservable syncs the choice again and again, taking one message per sync, and
// take(n) stops it after exactly n — later messages stay queued.
for (const m of ["a", "b", "c"]) await asyncChannelPut(normal, m);
await asyncChannelPut(urgent, "d");
const either = choiceEvt(
  wrapEvt(urgent, (m) => `urgent ${m}`),
  wrapEvt(normal, (m) => `normal ${m}`),
);
const three = await firstValueFrom(toObservable(either).pipe(take(3), toArray()));
const rest: string[] = [];
for (let m; (m = asyncChannelTryGet(urgent)) !== false;) rest.push(`urgent ${m}`);
for (let m; (m = asyncChannelTryGet(normal)) !== false;) rest.push(`normal ${m}`);
assert.equal(rest.length, 1); // exactly one left over: nothing lost, nothing taken twice
assert.deepEqual([...three, ...rest].sort(), ["normal a", "normal b", "normal c", "urgent d"]);
console.log({ next, three, rest });
