import assert from "node:assert/strict";
import {
  thread,
  threadWait,
  breakThread,
  sync,
  makeChannel,
  channelPut,
  ExnBreak,
} from "@rendezvous/core";

// The thread waits on a channel. In one step, a value is put (committing its sync) and the thread
// is broken. Racket 8.7 raises the break as the thread resumes, and the 42 is lost. Here a
// committed sync keeps its result; the break goes to the thread's next sync.
const ch = makeChannel<number>();
const got: unknown[] = [];
const t = thread(async () => {
  try {
    got.push(await sync(ch));
    got.push(await sync(ch));
  } catch (e) {
    if (!(e instanceof ExnBreak)) throw e;
    got.push("break");
  }
});
await new Promise((r) => setImmediate(r)); // (sync (system-idle-evt)): let the thread block

const put = channelPut(ch, 42);
breakThread(t);
await put;
await threadWait(t);
assert.deepEqual(got, [42, "break"]); // Racket 8.7: '(break)
console.log(got);
