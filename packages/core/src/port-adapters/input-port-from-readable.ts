// A Node Readable as the source of an input port: 'data' feeds it, pause()/resume() follow the
// port's demand, closing the port destroys the stream.
import type { Readable } from "node:stream";
import { makeInputPort, type InputPort } from "../port/input-port.js";
import type { ByteSource, InputPortFeed, InputPortOptions } from "../port/byte-source.js";
import { check } from "../errors/contract.js";
import { streamError } from "./stream-error.js";

/**
 * Makes an input port that reads from a Node `Readable` (bytes: `Buffer`s or `Uint8Array`s; strings
 * are encoded as UTF-8). Backpressure flows both ways: the stream is paused while the port holds
 * `options.highWaterMark` unread bytes (default 65536) and no reader waits for more, and resumed
 * when one does. The stream's end is the port's end of file; a stream error is raised — after the
 * bytes before it — by reads, as an `ExnFail` "error reading from stream port" whose `cause` is the
 * stream's error. A stream destroyed without ending gives end of file. Closing the port destroys
 * the stream.
 *
 * @example
 * ```ts
 * import { Readable } from "node:stream";
 * import { inputPortFromReadable, readLine } from "@rendezvous/core";
 * const inp = inputPortFromReadable(Readable.from(["line one\n", "line two\n"]));
 * await readLine(inp); // "line one"
 * await readLine(inp); // "line two"
 * ```
 */
export function inputPortFromReadable(
  readable: Readable,
  name: string = "readable",
  options: InputPortOptions = {},
): InputPort {
  check(isReadable(readable), "input-port-from-readable", "Readable", readable, 1);
  let feed: InputPortFeed;
  const onData = (chunk: unknown) =>
    feed.push(typeof chunk === "string" ? Buffer.from(chunk, "utf8") : (chunk as Uint8Array));
  const onEnd = () => feed.end();
  const onError = (err: unknown) =>
    feed.error(streamError("reading from", `#<input-port:${name}>`, err));
  const source: ByteSource = {
    start(f) {
      feed = f;
      readable.on("data", onData);
      readable.once("end", onEnd);
      readable.once("close", onEnd); // destroyed without ending: nothing more will come
      readable.on("error", onError);
      if (readable.errored) onError(readable.errored);
      else if (readable.readableEnded || readable.destroyed) onEnd();
    },
    pause: () => void readable.pause(),
    resume: () => void readable.resume(),
    close() {
      readable.off("data", onData);
      readable.off("end", onEnd);
      readable.off("close", onEnd);
      // Keep a listener: an 'error' emitted while destroying must not go unhandled.
      readable.destroy();
    },
  };
  return makeInputPort(name, source, options);
}

function isReadable(v: unknown): v is Readable {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as Readable).on === "function" &&
    typeof (v as Readable).pause === "function" &&
    typeof (v as Readable).resume === "function"
  );
}
