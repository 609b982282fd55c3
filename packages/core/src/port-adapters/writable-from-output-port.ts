// An output port as a Node Writable or a web WritableStream: each chunk is written with writeBytes
// (waiting while the port and its sink are full), so the stream's backpressure follows the port's.
import { Writable } from "node:stream";
import type { OutputPort } from "../port/output-port.js";
import { closeOutputPort } from "../port/port-ops.js";
import { flushOutput, writeBytes } from "../port/write.js";
import { checkOutputPort } from "../port/port-errors.js";

/** Options of {@link writableFromOutputPort} and {@link writableStreamFromOutputPort}. */
export interface ToOutputPortOptions {
  /** Close the port when the stream ends or is destroyed (default `true`). */
  readonly close?: boolean;
  /** The stream's high-water mark in bytes (default: the stream class's default). */
  readonly highWaterMark?: number;
}

function toBytes(chunk: unknown, encoding: BufferEncoding | undefined): Uint8Array {
  return typeof chunk === "string" ? Buffer.from(chunk, encoding ?? "utf8") : (chunk as Uint8Array);
}

/**
 * A Node `Writable` that writes to `out`. Each chunk's callback fires once `writeBytes` has taken
 * it (so the stream's backpressure follows the port's buffer and sink); `end()` flushes the port and
 * then closes it (unless `options.close` is `false`: then it only flushes). Destroying the stream
 * closes the port too. Write errors (a closed port, a failed sink) destroy the stream.
 *
 * @example
 * ```ts
 * import { pipeline } from "node:stream/promises";
 * import { Readable } from "node:stream";
 * import { makePipe, writableFromOutputPort, readLine } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await pipeline(Readable.from(["from a Node stream\n"]), writableFromOutputPort(out));
 * await readLine(inp); // "from a Node stream"
 * ```
 */
export function writableFromOutputPort(
  out: OutputPort,
  options: ToOutputPortOptions = {},
): Writable {
  checkOutputPort("writable-from-output-port", out, 1);
  const close = options.close !== false;
  return new Writable({
    highWaterMark: options.highWaterMark,
    decodeStrings: false,
    write(chunk, encoding, callback) {
      writeBytes(toBytes(chunk, encoding), out).then(
        () => callback(),
        (err: unknown) => callback(err as Error),
      );
    },
    final(callback) {
      flushOutput(out).then(
        () => {
          if (close) closeOutputPort(out);
          callback();
        },
        (err: unknown) => callback(err as Error),
      );
    },
    destroy(err, callback) {
      if (close) closeOutputPort(out);
      callback(err);
    },
  });
}

/**
 * A web `WritableStream` of `Uint8Array` chunks that writes to `out`, with the port's backpressure:
 * a write settles once `writeBytes` has taken the chunk. Closing the stream flushes the port, then
 * closes it (unless `options.close` is `false`); aborting it closes the port.
 *
 * @example
 * ```ts
 * import { makePipe, writableStreamFromOutputPort, readLine } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await new Blob(["from a web stream\n"]).stream().pipeTo(writableStreamFromOutputPort(out));
 * await readLine(inp); // "from a web stream"
 * ```
 */
export function writableStreamFromOutputPort(
  out: OutputPort,
  options: ToOutputPortOptions = {},
): WritableStream<Uint8Array> {
  checkOutputPort("writable-stream-from-output-port", out, 1);
  const close = options.close !== false;
  return new WritableStream<Uint8Array>(
    {
      async write(chunk) {
        await writeBytes(chunk, out);
      },
      async close() {
        await flushOutput(out);
        if (close) closeOutputPort(out);
      },
      abort() {
        if (close) closeOutputPort(out);
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: options.highWaterMark ?? 16384 }),
  );
}
