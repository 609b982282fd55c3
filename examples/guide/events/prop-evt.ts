import assert from "node:assert/strict";
import {
  sync,
  syncTimeout,
  propEvt,
  wrapEvt,
  makeSemaphore,
  semaphorePost,
} from "@rendezvous/core";

// Any object becomes an event through propEvt: here a job that is ready when its semaphore is.
class Job {
  readonly done = makeSemaphore(0);
  readonly [propEvt] = wrapEvt(this.done, () => this);
  constructor(readonly name: string) {}
  finish(): void {
    semaphorePost(this.done);
  }
}

const j = new Job("report");
assert.equal(await syncTimeout(0, j), false);
setTimeout(() => j.finish(), 5);
assert.equal(await sync(j), j);
console.log(`${j.name} finished`);
