// The contract between an output port and whatever consumes its bytes (a pipe, a TCP socket, a
// Node Writable). The port owns buffer modes and flushing; a sink only takes chunks it has room for.
import type { Custodian } from "../custodian/custodian.js";

/**
 * The port side of a {@link ByteSink}: what a sink calls to tell its output port about room and
 * failures. Both methods may be called from any callback; each runs as one atomic engine step.
 *
 * @example
 * ```ts
 * import type { ByteSink, OutputPortFeed } from "@rendezvous/core/protocol";
 * let feed!: OutputPortFeed;
 * const sink: ByteSink = {
 *   start: (f) => (feed = f),
 *   capacity: () => 1024,
 *   write: (chunk, done) => done(),
 *   end() {},
 *   abandon() {},
 * };
 * ```
 */
export interface OutputPortFeed {
  /** `capacity()` may have grown (Node's `'drain'`, a reader consumed pipe bytes): wake writers. */
  ready(): void;
  /**
   * The sink failed (a reset connection): writes not yet completed are lost, and every later write,
   * flush or write event raises `err` as given (build the exception writers should see).
   */
  error(err: unknown): void;
  /** `true` once the port is closed. */
  readonly closed: boolean;
}

/**
 * What an output port drains into. The port calls `start` once, from {@link makeOutputPort}; all
 * other calls come inside an atomic engine step and must neither call back into the port
 * synchronously (defer with `queueMicrotask`; `done` is the exception: it may be called at once)
 * nor throw (report failures through `done(err)` or `feed.error(err)`).
 *
 * Backpressure: the port never gives `write` more than `capacity()` bytes, and a writer finding
 * `capacity()` at 0 (and the port's buffer full) waits for `feed.ready()`. The only exception is
 * the final flush when the port is closed, which hands over everything still buffered.
 *
 * Completion: `write(chunk, done)` must call `done()` once the chunk has left for the underlying
 * resource (for a socket: accepted by the kernel), or `done(err)` if it failed; `flushOutput`
 * resolves once every chunk written so far is done.
 *
 * Closing: exactly one of `end` (an orderly close: after the written chunks, signal end of stream,
 * a TCP FIN) or `abandon` (release without signalling end of stream: `tcpAbandonPort`) is called,
 * once, after the final flush has been handed over (a custodian shutdown drops the buffer instead
 * of flushing it, as Racket does, then calls `end`).
 *
 * @example
 * ```ts
 * import type { ByteSink } from "@rendezvous/core/protocol";
 * import type { Writable } from "node:stream";
 * function toWritable(w: Writable): ByteSink {
 *   return {
 *     start(feed) {
 *       w.on("drain", () => feed.ready());
 *       w.on("error", (e) => feed.error(e));
 *     },
 *     capacity: () => Math.max(0, w.writableHighWaterMark - w.writableLength),
 *     write: (chunk, done) => void w.write(chunk, (err) => done(err ?? undefined)),
 *     end: () => void w.end(),
 *     abandon: () => void w.destroy(),
 *   };
 * }
 * ```
 */
export interface ByteSink {
  /** Called once, before `makeOutputPort` returns, with the feed to report to (optional). */
  start?(feed: OutputPortFeed): void;
  /** How many bytes `write` may be given now (0: full; `Infinity`: unbounded). */
  capacity(): number;
  /** Takes `chunk` (non-empty; the sink may keep it, the port never touches it again). */
  write(chunk: Uint8Array, done: (err?: unknown) => void): void;
  /** Orderly close after the written chunks: end of stream for the reader (TCP FIN). */
  end(): void;
  /** Close without signalling end of stream (TCP: no FIN while the input side is open). */
  abandon(): void;
}

/** An output port's buffering: Racket's `'block`, `'line` and `'none`. */
export type BufferMode = "block" | "line" | "none";

/** Options of {@link makeOutputPort}. */
export interface OutputPortOptions {
  /** The initial buffer mode (default `"block"`, Racket's default for TCP ports). */
  readonly bufferMode?: BufferMode;
  /** Bytes the port buffers before handing them to the sink in `"block"` mode (default 4096, as Racket). */
  readonly bufferSize?: number;
  /**
   * The custodian that manages the port (shutting it down closes the port without flushing, as in
   * Racket); default the current custodian. `false`: not managed.
   */
  readonly custodian?: Custodian | false;
}
