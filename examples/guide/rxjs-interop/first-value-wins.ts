import assert from "node:assert/strict";
import { Observable } from "rxjs";
import {
  sync,
  fromObservable,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
} from "@rendezvous/core";

const log: string[] = [];

// A stand-in for an HTTP request as an RxJS observable: it starts on subscribe, answers after
// `ms`, and is aborted by unsubscribing (with fetch you would call AbortController.abort()).
function request(name: string, ms: number): Observable<string> {
  return new Observable<string>((subscriber) => {
    log.push(`${name}: sent`);
    const timer = setTimeout(() => {
      subscriber.next(`${name}: response`);
      subscriber.complete();
    }, ms);
    return () => {
      clearTimeout(timer);
      log.push(`${name}: closed`);
    };
  });
}

// Each sync subscribes afresh and takes the first value; the branch that loses is unsubscribed.
const deadline = () => wrapEvt(alarmEvt(currentInexactMilliseconds() + 50), () => "timed out");

const fast = await sync(fromObservable(request("fast", 10)), deadline());
assert.equal(fast, "fast: response");

const slow = await sync(fromObservable(request("slow", 5_000)), deadline());
assert.equal(slow, "timed out");

// Two mirrors: the first answer wins, the other request is cancelled at once.
const mirror = await sync(
  fromObservable(request("mirror-1", 30)),
  fromObservable(request("mirror-2", 10)),
);
assert.equal(mirror, "mirror-2: response");

assert.deepEqual(log.slice(0, 4), ["fast: sent", "fast: closed", "slow: sent", "slow: closed"]);
// Both mirrors were sent (in the sync's pseudo-random order) and both are closed: the loser at
// once, the winner after its first value.
assert.deepEqual(log.slice(4).sort(), [
  "mirror-1: closed",
  "mirror-1: sent",
  "mirror-2: closed",
  "mirror-2: sent",
]);
console.log(log);
