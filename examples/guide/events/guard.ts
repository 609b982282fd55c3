import assert from "node:assert/strict";
import { sync, guardEvt, wrapEvt, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";

// An alarm made once would fire once; a guard builds a fresh one at every sync.
let built = 0;
const in20ms = guardEvt(() => {
  built++;
  return alarmEvt(currentInexactMilliseconds() + 20);
});
const tick = wrapEvt(in20ms, () => "tick");

const t0 = currentInexactMilliseconds();
for (let i = 0; i < 3; i++) console.log(await sync(tick));
const elapsed = currentInexactMilliseconds() - t0;

assert.equal(built, 3); // once per sync
assert.ok(elapsed >= 55, `three 20 ms waits took ${elapsed} ms`);
