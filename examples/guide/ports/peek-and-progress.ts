import assert from "node:assert/strict";
import {
  makePipe,
  writeString,
  peekBytes,
  peekBytesAvail,
  readByte,
  portProgressEvt,
} from "@rendezvous/core";

const [inp, out] = makePipe();
await writeString("abc", out);

// Peeks leave the bytes in the port; skip counts bytes.
assert.deepEqual(await peekBytes(2, 1, inp), new TextEncoder().encode("bc"));

// A progress event becomes ready when someone reads: a peek given one is cancelled (returns 0)
// rather than reporting bytes that are gone.
const progress = portProgressEvt(inp);
const buf = new Uint8Array(3);
assert.equal(await peekBytesAvail(buf, 0, progress, inp), 3);
await readByte(inp);
assert.equal(await peekBytesAvail(buf, 0, progress, inp), 0);
console.log("peeks ok");
