import assert from "node:assert/strict";
import {
  inputPortFromReadableStream,
  readableStreamFromInputPort,
  writableStreamFromOutputPort,
  makePipe,
  readString,
  writeString,
  closeOutputPort,
} from "@rendezvous/core";

// A web ReadableStream (here a Blob's; a fetch body works the same) as an input port.
const inp = inputPortFromReadableStream(new Blob(["λόγος"]).stream());
assert.equal(await readString(2, inp), "λό");

// A port as a web ReadableStream…
const [a, aOut] = makePipe();
await writeString("to the web", aOut);
closeOutputPort(aOut);
assert.equal(await new Response(readableStreamFromInputPort(a)).text(), "to the web");

// …and as a WritableStream: closing the stream flushes and closes the port.
const [b, bOut] = makePipe();
await new Blob(["from the web"]).stream().pipeTo(writableStreamFromOutputPort(bOut));
assert.equal(await readString(100, b), "from the web");
console.log("web streams ok");
