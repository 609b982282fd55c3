// An input port as a Node Readable or a web ReadableStream. Each pull is one read event synced with
// a break signal: when the consumer goes away mid-read, the break cancels the read and, because
// read events commit only when chosen, no byte is taken from the port and lost.
import { Readable } from "node:stream";
import type { InputPort } from "../port/input-port.js";
import { closeInputPort } from "../port/port-ops.js";
import { readBytesAvailEvt } from "../port/read.js";
import { eof } from "../port/eof.js";
import { syncEnableBreak } from "../engine/sync.js";
import { checkInputPort } from "../port/port-errors.js";

/** Options of {@link readableFromInputPort} and {@link readableStreamFromInputPort}. */
export interface FromInputPortOptions {
  /** Close the port when the stream is done: at its end, or destroyed or cancelled early (default `true`). */
  readonly close?: boolean;
  /** Largest chunk read at a time (default 65536). */
  readonly chunkSize?: number;
  /** The stream's high-water mark in bytes (default: the stream class's default). */
  readonly highWaterMark?: number;
}

/**
 * A Node `Readable` that reads from `inp`: it reads only when its consumer wants more (Node's own
 * backpressure), ends at the port's end of file, and is destroyed with the port's error. When the
 * stream is destroyed — after its end, or early — a pending read is cancelled without consuming
 * anything and the port is closed (unless `options.close` is `false`, which leaves the port open
 * and intact for other readers).
 *
 * @example
 * ```ts
 * import { makePipe, writeString, closeOutputPort, readableFromInputPort } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("via node streams", out);
 * closeOutputPort(out);
 * (await readableFromInputPort(inp).toArray()).join(""); // "via node streams"
 * ```
 */
export function readableFromInputPort(
  inp: InputPort,
  options: FromInputPortOptions = {},
): Readable {
  checkInputPort("readable-from-input-port", inp, 1);
  const chunkSize = options.chunkSize ?? 65536;
  const cancel = new AbortController();
  return new Readable({
    highWaterMark: options.highWaterMark,
    read(size) {
      const buf = new Uint8Array(Math.max(1, Math.min(size, chunkSize)));
      syncEnableBreak(cancel.signal, readBytesAvailEvt(buf, inp)).then(
        (n) => {
          if (n === eof) this.push(null);
          else this.push(buf.subarray(0, n as number));
        },
        (err: unknown) => {
          if (!cancel.signal.aborted) this.destroy(err as Error);
        },
      );
    },
    destroy(err, callback) {
      cancel.abort();
      if (options.close !== false) closeInputPort(inp);
      callback(err);
    },
  });
}

/**
 * A web `ReadableStream` of `Uint8Array` chunks that reads from `inp`, pulling only when its
 * consumer wants more; it closes at the port's end of file (closing the port) and errors with the
 * port's error. Cancelling it cancels a pending read without consuming anything, then closes the
 * port. With `options.close` set to `false` the port is left open.
 *
 * @example
 * ```ts
 * import { makePipe, writeString, closeOutputPort, readableStreamFromInputPort } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("via web streams", out);
 * closeOutputPort(out);
 * await new Response(readableStreamFromInputPort(inp)).text(); // "via web streams"
 * ```
 */
export function readableStreamFromInputPort(
  inp: InputPort,
  options: FromInputPortOptions = {},
): ReadableStream<Uint8Array> {
  checkInputPort("readable-stream-from-input-port", inp, 1);
  const chunkSize = options.chunkSize ?? 65536;
  const cancel = new AbortController();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const buf = new Uint8Array(chunkSize);
        const n = await syncEnableBreak(cancel.signal, readBytesAvailEvt(buf, inp));
        if (n === eof) {
          controller.close();
          if (options.close !== false) closeInputPort(inp);
        } else controller.enqueue(buf.slice(0, n as number));
      },
      cancel() {
        cancel.abort();
        if (options.close !== false) closeInputPort(inp);
      },
    },
    new ByteLengthQueuingStrategy({ highWaterMark: options.highWaterMark ?? chunkSize }),
  );
}
