import assert from "node:assert/strict";
import {
  sync,
  syncTimeout,
  guardEvt,
  alarmEvt,
  currentInexactMilliseconds,
  makeChannel,
} from "@rendezvous/core";

const messages = makeChannel<string>(); // quiet: nobody sends

// An event made once is one alarm: once its time has passed, it is ready for good. As a deadline
// for a whole loop that is what you want; as "20 ms of quiet per round" it is a bug.
const idle = alarmEvt(currentInexactMilliseconds() + 20);
await sync(messages, idle); // waits 20 ms
assert.equal(await syncTimeout(0, messages, idle), idle); // and from now on, not at all

// A guard makes a fresh alarm each time a sync reaches it: every round waits its own 20 ms.
const idlePerRound = guardEvt(() => alarmEvt(currentInexactMilliseconds() + 20));
await sync(messages, idlePerRound); // waits 20 ms
assert.equal(await syncTimeout(0, messages, idlePerRound), false); // a fresh alarm: not due yet
console.log("made once: one deadline; made in a guard: one per sync");
