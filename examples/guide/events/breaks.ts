import assert from "node:assert/strict";
import {
  syncEnableBreak,
  nackGuardEvt,
  sync,
  makeChannel,
  channelTryGet,
  channelPut,
  ExnBreak,
} from "@rendezvous/core";

// An AbortSignal is Racket's break: aborting it settles the wait with ExnBreak, commits nothing,
// and fires the NACKs of every guard that ran.
const ch = makeChannel<string>();
let cleanedUp = false;
const watched = nackGuardEvt((nack) => {
  void sync(nack).then(() => (cleanedUp = true));
  return ch;
});

const ac = new AbortController();
const waiting = syncEnableBreak(ac.signal, watched);
ac.abort();
await assert.rejects(waiting, ExnBreak);
await new Promise((r) => setImmediate(r));
assert.ok(cleanedUp);

// Nothing was consumed: a later putter still finds no taker, and a later getter gets the value.
void channelPut(ch, "kept");
assert.equal(channelTryGet(ch), "kept");
console.log("break ok");
