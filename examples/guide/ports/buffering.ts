import assert from "node:assert/strict";
import {
  makeOutputPort,
  writeString,
  flushOutput,
  fileStreamBufferMode,
  closeOutputPort,
} from "@rendezvous/core";

// An output port over a sink that records what reaches it.
const seen: string[] = [];
const out = makeOutputPort("recorder", {
  capacity: () => Infinity,
  write: (chunk, done) => {
    seen.push(new TextDecoder().decode(chunk));
    done();
  },
  end: () => seen.push("<end>"),
  abandon: () => seen.push("<abandon>"),
});

// "block" (the default): bytes wait in the port's buffer until it is full or flushed.
await writeString("a", out);
assert.deepEqual(seen, []);
await flushOutput(out);
assert.deepEqual(seen, ["a"]);

// "line": also flushed after a write containing a newline (or a return).
fileStreamBufferMode(out, "line");
await writeString("b", out);
await writeString("c\n", out);
assert.deepEqual(seen, ["a", "bc\n"]);

// "none": every write goes straight through. Closing flushes, then ends the sink.
fileStreamBufferMode(out, "none");
await writeString("d", out);
closeOutputPort(out);
assert.deepEqual(seen, ["a", "bc\n", "d", "<end>"]);
console.log(seen);
