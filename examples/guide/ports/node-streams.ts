import assert from "node:assert/strict";
import { Readable, PassThrough } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  inputPortFromReadable,
  outputPortToWritable,
  readableFromInputPort,
  writableFromOutputPort,
  makePipe,
  readLine,
  writeString,
  closeOutputPort,
} from "@rendezvous/core";

// A Node Readable as an input port: its events (readLineEvt, …) now work on the stream.
const inp = inputPortFromReadable(Readable.from(["first line\nsecond", " line\n"]));
assert.equal(await readLine(inp), "first line");
assert.equal(await readLine(inp), "second line");

// An output port writing to a Node Writable; closing the port ends the stream.
const sink = new PassThrough();
const out = outputPortToWritable(sink);
await writeString("to node", out);
closeOutputPort(out);
assert.equal((await sink.toArray()).join(""), "to node");

// And the other way: ports as Node streams, in a pipeline with backpressure.
const [pin, pout] = makePipe(16);
const done = pipeline(Readable.from(["x".repeat(100)]), writableFromOutputPort(pout));
const text = (await readableFromInputPort(pin).toArray()).join("");
await done;
assert.equal(text, "x".repeat(100));
console.log("node streams ok");
