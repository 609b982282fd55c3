// A web WritableStream as the sink of an output port: the port writes while the stream's queue has
// room (desiredSize > 0) and waits for writer.ready otherwise; closing the port closes the stream.
import { makeOutputPort, type OutputPort } from "../port/output-port.js";
import type { ByteSink, OutputPortFeed, OutputPortOptions } from "../port/byte-sink.js";
import { check } from "../errors/contract.js";
import { streamError } from "./stream-error.js";

// A web stream's desiredSize counts whatever its queuing strategy counts (chunks by default, not
// bytes); it only tells whether there is room. This bounds each chunk handed over when there is.
const CHUNK = 65536;

/**
 * Makes an output port that writes to a web `WritableStream` of `Uint8Array` chunks. The port
 * writes while the stream's queue has room (`desiredSize > 0`, at most 65536 bytes per chunk) and
 * otherwise waits for the writer to be ready; `flushOutput` resolves once every write has settled.
 * A failed write makes later writes and flushes raise an `ExnFail` "error writing to stream port"
 * with the error as `cause`. `closeOutputPort` flushes, then closes the stream;
 * `abandonOutputPort` aborts it.
 *
 * @example
 * ```ts
 * import { outputPortToWritableStream, writeString, flushOutput } from "@rendezvous/core";
 * const parts: string[] = [];
 * const out = outputPortToWritableStream(
 *   new WritableStream<Uint8Array>({ write: (c) => void parts.push(new TextDecoder().decode(c)) }),
 * );
 * await writeString("to the web", out);
 * await flushOutput(out);
 * parts.join(""); // "to the web"
 * ```
 */
export function outputPortToWritableStream(
  stream: WritableStream<Uint8Array>,
  name: string = "writable-stream",
  options: OutputPortOptions = {},
): OutputPort {
  check(
    stream instanceof WritableStream,
    "output-port-to-writable-stream",
    "WritableStream",
    stream,
    1,
  );
  const writer = stream.getWriter();
  const where = `#<output-port:${name}>`;
  let feed: OutputPortFeed;
  let failed = false;
  let waiting = false;
  const fail = (err: unknown) => {
    if (failed) return;
    failed = true;
    feed.error(streamError("writing to", where, err));
  };
  // When the queue is full, wake the port's writers once the writer is ready again.
  const waitReady = () => {
    if (waiting) return;
    waiting = true;
    writer.ready.then(
      () => {
        waiting = false;
        feed.ready();
      },
      (err: unknown) => {
        waiting = false;
        fail(err);
      },
    );
  };
  const sink: ByteSink = {
    start(f) {
      feed = f;
      writer.closed.catch(fail);
    },
    capacity() {
      if (failed) return 0;
      const d = writer.desiredSize;
      if (d !== null && d > 0) return CHUNK;
      if (d !== null) waitReady();
      return 0;
    },
    write(chunk, done) {
      writer.write(chunk).then(
        () => done(),
        (err: unknown) => {
          done(streamError("writing to", where, err));
        },
      );
    },
    end() {
      writer.close().catch(() => {});
    },
    abandon() {
      writer.abort().catch(() => {});
    },
  };
  return makeOutputPort(name, sink, options);
}
