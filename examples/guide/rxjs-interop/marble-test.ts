import assert from "node:assert/strict";
import { asyncScheduler, take } from "rxjs";
import { TestScheduler } from "rxjs/testing";
import {
  toObservable,
  guardEvt,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
  currentScheduler,
} from "@rendezvous/core";

// The engine reads time and schedules alarms through an RxJS scheduler, so a TestScheduler runs
// event-based code in virtual time, and toObservable turns it into something marbles can check.
const testScheduler = new TestScheduler((actual, expected) => assert.deepEqual(actual, expected));

testScheduler.run(({ expectObservable }) => {
  currentScheduler(testScheduler);
  // An event that is ready 10 ms after each sync starts.
  const tick = guardEvt(() => wrapEvt(alarmEvt(currentInexactMilliseconds() + 10), () => "t"));
  expectObservable(toObservable(tick).pipe(take(3))).toBe("10ms t 9ms t 9ms (t|)");
});
currentScheduler(asyncScheduler);
console.log("marbles ok");
