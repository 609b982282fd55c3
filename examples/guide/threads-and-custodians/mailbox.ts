import assert from "node:assert/strict";
import {
  thread,
  threadWait,
  threadSend,
  threadReceive,
  threadReceiveEvt,
  threadTryReceive,
  sync,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
} from "@rendezvous/core";

// A logger thread: it takes messages from its mailbox and flushes every 20 ms of quiet.
const written: string[][] = [];
const logger = thread(async () => {
  let batch: string[] = [];
  for (;;) {
    const quiet = alarmEvt(currentInexactMilliseconds() + 20);
    // threadReceiveEvt() only says "a message is waiting"; it dequeues nothing.
    const got = await sync(
      wrapEvt(threadReceiveEvt(), () => "message" as const),
      wrapEvt(quiet, () => "quiet" as const),
    );
    if (got === "message") {
      const msg = await threadReceive(); // ready at once: one is waiting
      if (msg === "stop") break;
      batch.push(String(msg));
    } else if (batch.length > 0) {
      written.push(batch);
      batch = [];
    }
  }
  if (batch.length > 0) written.push(batch);
});

threadSend(logger, "one");
threadSend(logger, "two");
await new Promise((r) => setTimeout(r, 60));
threadSend(logger, "three");
threadSend(logger, "stop");
await threadWait(logger);
assert.deepEqual(written, [["one", "two"], ["three"]]);

// Sending to a dead thread fails (exn:fail:contract), unless a failure thunk says otherwise.
assert.throws(() => threadSend(logger, "late"), /thread-send: target thread is not running/);
assert.equal(threadSend(logger, "late", false), false);
assert.equal(
  threadSend(logger, "late", () => "dropped"),
  "dropped",
);
assert.equal(threadTryReceive(), false); // the main thread's own mailbox is empty
console.log(written);
