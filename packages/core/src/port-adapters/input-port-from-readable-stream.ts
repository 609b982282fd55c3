// A web ReadableStream as the source of an input port: one read() at a time while the port wants
// bytes; pausing simply stops asking; closing the port cancels the stream.
import { makeInputPort, type InputPort } from "../port/input-port.js";
import type { ByteSource, InputPortFeed, InputPortOptions } from "../port/byte-source.js";
import { check } from "../errors/contract.js";
import { streamError } from "./stream-error.js";

/**
 * Makes an input port that reads from a web `ReadableStream` of `Uint8Array` chunks (a `fetch`
 * body, a `Blob`'s stream, …). The port pulls one chunk at a time while it wants bytes (below
 * `options.highWaterMark`, or a reader waiting), so the stream's own backpressure applies. The
 * stream's end is the port's end of file; a stream error is raised by reads, after the bytes before
 * it, as an `ExnFail` "error reading from stream port" with the error as `cause`. Closing the port
 * cancels the stream.
 *
 * @example
 * ```ts
 * import { inputPortFromReadableStream, readString } from "@rendezvous/core";
 * const body = new Blob(["λ and more"]).stream();
 * const inp = inputPortFromReadableStream(body);
 * await readString(5, inp); // "λ and"
 * ```
 */
export function inputPortFromReadableStream(
  stream: ReadableStream<Uint8Array>,
  name: string = "readable-stream",
  options: InputPortOptions = {},
): InputPort {
  check(
    stream instanceof ReadableStream,
    "input-port-from-readable-stream",
    "ReadableStream",
    stream,
    1,
  );
  const reader = stream.getReader();
  let feed: InputPortFeed;
  let wanted = true;
  let reading = false;
  let done = false;
  const pump = async () => {
    if (reading) return;
    reading = true;
    try {
      while (wanted && !done) {
        const r = await reader.read();
        if (r.done) {
          done = true;
          feed.end();
        } else if (r.value instanceof Uint8Array) feed.push(r.value);
        else
          throw new TypeError(
            "input-port-from-readable-stream: the stream produced a non-byte chunk",
          );
      }
    } catch (err) {
      done = true;
      if (!feed.closed) feed.error(streamError("reading from", `#<input-port:${name}>`, err));
    } finally {
      reading = false;
    }
  };
  const source: ByteSource = {
    start(f) {
      feed = f;
      queueMicrotask(pump);
    },
    pause() {
      wanted = false;
    },
    resume() {
      wanted = true;
      // Not from inside the port's atomic step: start the next read later.
      queueMicrotask(pump);
    },
    close() {
      done = true;
      reader.cancel().catch(() => {});
    },
  };
  return makeInputPort(name, source, options);
}
