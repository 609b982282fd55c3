import assert from "node:assert/strict";
import {
  thread,
  threadWait,
  breakThread,
  sync,
  makeChannel,
  channelPut,
  channelTryGet,
  nackGuardEvt,
  ExnBreak,
} from "@rendezvous/core";

const requests = makeChannel<string>();
const log: string[] = [];
let nackFired = false;

// A server that waits for requests until it is broken. The break is an exception in the thread:
// the sync it was waiting in commits nothing, and its NACKs fire.
const server = thread(async () => {
  try {
    for (;;) {
      const req = await sync(
        nackGuardEvt((nack) => {
          void sync(nack).then(() => (nackFired = true));
          return requests;
        }),
      );
      log.push(`served ${req}`);
    }
  } catch (e) {
    if (!(e instanceof ExnBreak)) throw e;
    log.push("broken");
  }
});

await channelPut(requests, "a");
await new Promise((r) => setTimeout(r, 10));
breakThread(server);
await threadWait(server);
assert.deepEqual(log, ["served a", "broken"]);
assert.equal(nackFired, true);

// Nothing was consumed by the broken sync: a later request is still there for the next receiver.
const late = channelPut(requests, "b");
await new Promise((r) => setTimeout(r, 10));
assert.equal(channelTryGet(requests), "b");
await late;

// A break that arrives when the sync has already committed does not undo it: the value is
// delivered and the break waits for the thread's next sync.
const ch = makeChannel<number>();
const got: unknown[] = [];
const t = thread(async () => {
  got.push(await sync(ch));
  try {
    await sync(ch);
  } catch (e) {
    got.push(e instanceof ExnBreak ? "break" : e);
  }
});
await new Promise((r) => setTimeout(r, 10));
const put = channelPut(ch, 42); // commits the thread's get at once…
breakThread(t); // …so this break goes to its next sync
await put;
await threadWait(t);
assert.deepEqual(got, [42, "break"]);
console.log(log, got);
