import assert from "node:assert/strict";
import {
  makePipe,
  writeBytes,
  writeString,
  readLine,
  readChar,
  readString,
  closeOutputPort,
} from "@rendezvous/core";

const [inp, out] = makePipe();

// A character split across writes is waited for; bytes are decoded from UTF-8.
await writeBytes(new Uint8Array([0xce]), out); // the first half of "λ"
const c = readChar(inp);
await writeBytes(new Uint8Array([0xbb]), out);
assert.equal(await c, "λ");

// Line modes are Racket's: "any" takes \r\n as one separator, "any-one" as two.
await writeString("one\r\ntwo\rthree\n", out);
assert.equal(await readLine(inp, "any"), "one");
assert.equal(await readLine(inp, "any"), "two");
assert.equal(await readLine(inp), "three");

// Invalid UTF-8 decodes as U+FFFD, one per byte, as in Racket.
await writeBytes(new Uint8Array([0x61, 0xe2, 0x82, 0x62]), out);
closeOutputPort(out);
assert.equal(await readString(10, inp), "a\uFFFD\uFFFDb");
console.log("lines and characters ok");
