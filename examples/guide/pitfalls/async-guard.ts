import assert from "node:assert/strict";
import { defer } from "rxjs";
import { syncTimeout, guardEvt, fromObservable, wrapEvt, makeChannel } from "@rendezvous/core";

const loadLimit = async (): Promise<number> => {
  await new Promise((r) => setTimeout(r, 5));
  return 3;
};

// Wrong: an async maker returns a promise, and a promise is not an event. A guard whose maker
// returns a non-event is ready at once, with the guard itself as its result.
const wrong = guardEvt(async () => wrapEvt(makeChannel(), () => "never"));
assert.equal(await syncTimeout(0.1, wrong), wrong); // no waiting: the guard object came back

// Right: make the async work an event. fromObservable subscribes when the sync reaches it and is
// ready with the first value; if another event wins, the subscription is dropped.
const limit = fromObservable(defer(() => loadLimit()));
assert.equal(await syncTimeout(0.1, limit), 3);
console.log("an async guard is no event; fromObservable(defer(…)) is");
