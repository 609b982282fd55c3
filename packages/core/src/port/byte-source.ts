// The contract between an input port and whatever produces its bytes (a pipe, a TCP socket, a
// Node Readable). The port owns buffering, peeking and commit-on-choose; a source only pushes.
import type { Custodian } from "../custodian/custodian.js";

/**
 * The port side of a {@link ByteSource}: what a source calls to feed its input port. Every method
 * may be called from any callback (a `'data'` handler, a timer): each runs as one atomic engine
 * step and commits the read events the new state makes ready. Calls after the port is closed, or
 * after `end`/`error`, are ignored.
 *
 * @example
 * ```ts
 * import { makeInputPort, type ByteSource, type InputPortFeed } from "@rendezvous/core/protocol";
 * let feed!: InputPortFeed;
 * const source: ByteSource = { start: (f) => (feed = f), close() {} };
 * const inp = makeInputPort("demo", source);
 * feed.push(new TextEncoder().encode("hi\n"));
 * feed.end();
 * ```
 */
export interface InputPortFeed {
  /**
   * Appends `chunk` to the port's unread bytes. The port keeps the chunk without copying it: the
   * source must not modify it afterwards. Empty chunks are ignored.
   */
  push(chunk: Uint8Array): void;
  /** End of stream (a TCP FIN, a Readable's `'end'`): once the unread bytes are read, reads give `eof`, forever. */
  end(): void;
  /**
   * The source failed: once the unread bytes before it are read, every read (and every read event,
   * when chosen) raises `err` as given; build the exception the reader should see (e.g. an
   * `ExnFailNetworkErrno` for a reset connection).
   */
  error(err: unknown): void;
  /** `true` once the port is closed: the source may stop producing. */
  readonly closed: boolean;
}

/**
 * What produces an input port's bytes. The port calls `start` once, from {@link makeInputPort}, and
 * afterwards only `pause`, `resume` and `close`, always inside an atomic engine step: those methods
 * must not call back into the port synchronously (defer with `queueMicrotask` if needed) and must
 * not throw.
 *
 * Backpressure: the port calls `pause()` when it holds at least its high-water mark of unread bytes
 * and no reader is waiting for more, and `resume()` when it drops below the mark or a reader waits
 * for bytes it does not have (a `readBytesEvt(k)` or `readLineEvt` needing more than the mark).
 * The two calls alternate, starting with `pause`: a source is flowing from `start` on. A source
 * may keep pushing after `pause` (the port buffers whatever arrives); pausing is advice.
 *
 * @example
 * ```ts
 * import type { ByteSource } from "@rendezvous/core/protocol";
 * import type { Readable } from "node:stream";
 * function fromReadable(r: Readable): ByteSource {
 *   return {
 *     start(feed) {
 *       r.on("data", (b: Buffer) => feed.push(b));
 *       r.on("end", () => feed.end());
 *       r.on("error", (e) => feed.error(e));
 *     },
 *     pause: () => void r.pause(),
 *     resume: () => void r.resume(),
 *     close: () => void r.destroy(),
 *   };
 * }
 * ```
 */
export interface ByteSource {
  /** Called once, before `makeInputPort` returns, with the feed to push into. */
  start(feed: InputPortFeed): void;
  /** The port has enough unread bytes: stop producing for now (optional). */
  pause?(): void;
  /** The port wants bytes again (optional). */
  resume?(): void;
  /**
   * The port was closed (`closeInputPort`, a custodian shutdown): release the resource (for TCP,
   * the reading half). Called exactly once; unread bytes are discarded.
   */
  close(): void;
}

/** Options of {@link makeInputPort}. */
export interface InputPortOptions {
  /**
   * Unread bytes above which the source is paused (default 65536). Reads that need more (a long
   * line, a large `readBytes`) resume it: the mark bounds buffering ahead of demand, not demand.
   */
  readonly highWaterMark?: number;
  /**
   * The custodian that manages the port (shutting it down closes the port); default the current
   * custodian. `false`: not managed (like Racket's pipes).
   */
  readonly custodian?: Custodian | false;
}
