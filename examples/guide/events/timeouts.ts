import assert from "node:assert/strict";
import { syncTimeout, makeChannel, makeSemaphore, semaphorePost } from "@rendezvous/core";

const ch = makeChannel<number>();

// A timeout in seconds: `false` when nothing became ready in time.
assert.equal(await syncTimeout(0.02, ch), false);

// 0 polls: every event is checked once, nothing waits.
const s = makeSemaphore(0);
assert.equal(await syncTimeout(0, s), false);
semaphorePost(s);
assert.equal(await syncTimeout(0, s), s); // the semaphore is the result, and it was decremented

// A thunk is a poll whose fallback value is computed only when nothing was ready.
assert.equal(await syncTimeout(() => "nothing yet", ch), "nothing yet");
console.log("timeouts ok");
