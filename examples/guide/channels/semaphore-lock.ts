import assert from "node:assert/strict";
import { makeSemaphore, callWithSemaphore, semaphorePeekEvt, syncTimeout } from "@rendezvous/core";

// A semaphore of 1 is a lock; callWithSemaphore releases it even when the body throws.
const lock = makeSemaphore(1);
let inside = 0;
let maxInside = 0;

async function critical(id: number): Promise<number> {
  return callWithSemaphore(lock, async () => {
    maxInside = Math.max(maxInside, ++inside);
    await new Promise((r) => setTimeout(r, 2));
    inside--;
    if (id === 3) throw new Error("boom");
    return id;
  });
}

const results = await Promise.allSettled([1, 2, 3, 4].map(critical));
assert.equal(maxInside, 1);
assert.equal(results.filter((r) => r.status === "rejected").length, 1);
// Peeking does not take the lock.
assert.notEqual(await syncTimeout(0, semaphorePeekEvt(lock)), false);
assert.notEqual(await syncTimeout(0, semaphorePeekEvt(lock)), false);
console.log("at most one inside at a time");
