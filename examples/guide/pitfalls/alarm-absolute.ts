import assert from "node:assert/strict";
import { syncTimeout, alarmEvt, currentInexactMilliseconds, makeChannel } from "@rendezvous/core";

const never = makeChannel();

// Wrong: alarmEvt takes an absolute time. 50 ms after 1970 has long passed: ready at once.
assert.notEqual(await syncTimeout(0, alarmEvt(50)), false);

// Right: now + 50 ms, on the same clock.
const t0 = currentInexactMilliseconds();
await syncTimeout(false, alarmEvt(t0 + 50), never);
assert.ok(currentInexactMilliseconds() - t0 >= 45);

// syncTimeout takes seconds, as Racket's sync/timeout: 0.05 is 50 ms (50 would be 50 s).
assert.equal(await syncTimeout(0.05, never), false);
console.log("alarmEvt: absolute ms; syncTimeout: relative seconds");
