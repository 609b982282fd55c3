import assert from "node:assert/strict";
import {
  thread,
  killThread,
  isThreadDead,
  sync,
  syncTimeout,
  threadDeadEvt,
  makeChannel,
  channelPut,
  channelGet,
  ThreadKilledError,
} from "@rendezvous/core";

const ch = makeChannel<string>();
const log: string[] = [];

const doomed = thread(async () => {
  try {
    log.push(await channelGet(ch)); // never gets anything
  } finally {
    // The body unwinds with ThreadKilledError; finally blocks run, but the runtime refuses
    // anything more from a killed thread.
    try {
      await channelGet(ch);
    } catch (e) {
      log.push(e instanceof ThreadKilledError ? "refused" : String(e));
    }
  }
});
await new Promise((r) => setTimeout(r, 10));

killThread(doomed);
assert.equal(isThreadDead(doomed), true); // at once
assert.equal(await syncTimeout(0, threadDeadEvt(doomed)), threadDeadEvt(doomed));

// The killed thread's pending get was abandoned, so the value goes to the next receiver.
const put = channelPut(ch, "for the next receiver");
assert.equal(await channelGet(ch), "for the next receiver");
await put;
await new Promise((r) => setTimeout(r, 10));
assert.deepEqual(log, ["refused"]);

// `await using` kills a thread when the block exits.
let t;
{
  await using worker = thread(() => sync(makeChannel()));
  t = worker;
}
assert.equal(isThreadDead(t), true);
console.log(log);
