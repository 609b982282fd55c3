import assert from "node:assert/strict";
import { makePipe, writeString, readLine, readBytes, closeOutputPort, eof } from "@rendezvous/core";

// A pipe: bytes written to `out` are read from `inp`.
const [inp, out] = makePipe();
await writeString("hello\nworld", out);
assert.equal(await readLine(inp), "hello");

// readBytes waits for exactly n bytes, or end of file; closing the output port is end of file.
closeOutputPort(out);
assert.deepEqual(await readBytes(10, inp), new TextEncoder().encode("world"));
assert.equal(await readBytes(10, inp), eof);
console.log("pipe basics ok");
