import assert from "node:assert/strict";
import { makePipe, writeString, readBytesEvt, readLineEvt, sync, wrapEvt } from "@rendezvous/core";

// Two read events on one port in one sync: exactly one of them reads.
const [inp, out] = makePipe();
const r = sync(
  wrapEvt(readBytesEvt(4, inp), (b) => `bytes: ${new TextDecoder().decode(b as Uint8Array)}`),
  wrapEvt(readLineEvt(inp), (l) => `line: ${String(l)}`),
);
await writeString("ab\ncdef", out);
const got = await r;
assert.ok(got === "bytes: ab\nc" || got === "line: ab");
console.log(got);
