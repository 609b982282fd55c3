// A Node Writable as the sink of an output port: the port writes while the stream is below its
// high-water mark and waits for 'drain'; closing the port ends the stream.
import type { Writable } from "node:stream";
import { makeOutputPort, type OutputPort } from "../port/output-port.js";
import type { ByteSink, OutputPortFeed, OutputPortOptions } from "../port/byte-sink.js";
import { check } from "../errors/contract.js";
import { streamError } from "./stream-error.js";

/**
 * Makes an output port that writes to a Node `Writable`. The port hands the stream no more than its
 * room (`writableHighWaterMark - writableLength`) and waits for `'drain'`; `flushOutput` resolves
 * once the stream has called back for every chunk. The buffer mode is `options.bufferMode`
 * (default `"block"`, 4096 bytes). A stream error makes later writes and flushes raise an `ExnFail`
 * "error writing to stream port" whose `cause` is the stream's error. `closeOutputPort` flushes,
 * then ends the stream (`end()`); `abandonOutputPort` destroys it instead.
 *
 * @example
 * ```ts
 * import { PassThrough } from "node:stream";
 * import { outputPortToWritable, writeString, closeOutputPort } from "@rendezvous/core";
 * const sink = new PassThrough();
 * const out = outputPortToWritable(sink);
 * await writeString("hello", out);
 * closeOutputPort(out);
 * (await sink.toArray()).join(""); // "hello"
 * ```
 */
export function outputPortToWritable(
  writable: Writable,
  name: string = "writable",
  options: OutputPortOptions = {},
): OutputPort {
  check(isWritable(writable), "output-port-to-writable", "Writable", writable, 1);
  let feed: OutputPortFeed;
  const onDrain = () => feed.ready();
  const onError = (err: unknown) =>
    feed.error(streamError("writing to", `#<output-port:${name}>`, err));
  const sink: ByteSink = {
    start(f) {
      feed = f;
      writable.on("drain", onDrain);
      writable.on("error", onError);
      if (writable.errored) onError(writable.errored);
    },
    capacity: () =>
      writable.destroyed || writable.writableEnded
        ? 0
        : Math.max(0, writable.writableHighWaterMark - writable.writableLength),
    write(chunk, done) {
      if (writable.destroyed || writable.writableEnded) {
        done(
          streamError("writing to", `#<output-port:${name}>`, new Error("the stream is closed")),
        );
        return;
      }
      writable.write(chunk, (err) => {
        if (err) done(streamError("writing to", `#<output-port:${name}>`, err));
        else {
          done();
          // Room may have appeared without a 'drain' (none is due unless a write returned false).
          feed.ready();
        }
      });
    },
    end() {
      writable.off("drain", onDrain);
      if (!writable.destroyed && !writable.writableEnded) writable.end();
    },
    abandon() {
      writable.off("drain", onDrain);
      writable.destroy();
    },
  };
  return makeOutputPort(name, sink, options);
}

function isWritable(v: unknown): v is Writable {
  return (
    typeof v === "object" &&
    v !== null &&
    typeof (v as Writable).write === "function" &&
    typeof (v as Writable).end === "function"
  );
}
