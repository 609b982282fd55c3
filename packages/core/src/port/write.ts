// Writing: Racket's write-… procedures, flush-output and write-bytes-avail-evt.
import { NOT_READY, PrimitiveEvt, RaiseResult, type Evt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { atomically } from "../engine/atomic.js";
import { sync } from "../engine/sync.js";
import { check } from "../errors/contract.js";
import type { OutputPort } from "./output-port.js";
import type { PortWaiter } from "./input-port.js";
import { checkBytes, checkOutputPort, checkRange, rejecting } from "./port-errors.js";

/** An event waiting in an output port's queue. @internal */
abstract class OutputEvt<T> extends PrimitiveEvt<T> implements PortWaiter {
  constructor(
    /** @internal */ readonly port: OutputPort,
    /** @internal */ readonly who: string,
  ) {
    super();
  }
  /** @internal */
  abstract attempt(): T | RaiseResult | NotReady;
  poll(_c: Candidate): T | NotReady {
    return this.attempt() as T | NotReady;
  }
  block(c: Candidate): void {
    this.port.waiters.push(c);
  }
  abandon(c: Candidate): void {
    this.port.waiters.remove(c);
  }

  /** The closed/failed check every output event starts with. */
  protected broken(): RaiseResult | null {
    const o = this.port;
    if (o.closed) return new RaiseResult(o.closedError(this.who));
    if (o.failure) return new RaiseResult(o.failure.error);
    return null;
  }

  /** Moves the buffer to the sink as far as it has room; `true` once it is empty. */
  protected flushBuffer(): boolean {
    const o = this.port;
    if (o.len > 0) {
      o.flushing = true;
      o.drain();
    }
    return o.len === 0;
  }
}

/** Behind `writeBytesAvailEvt` and `writeBytesAvail`: flush, then write unbuffered. @internal */
export class WriteBytesAvailEvt extends OutputEvt<number> {
  constructor(
    port: OutputPort,
    who: string,
    private readonly bstr: Uint8Array,
    private readonly start: number,
    private readonly end: number,
  ) {
    super(port, who);
  }
  attempt(): number | RaiseResult | NotReady {
    const bad = this.broken();
    if (bad) return bad;
    // Flushing what was buffered earlier may happen even if this event loses: those bytes were
    // already written; only this event's own bytes are committed iff chosen.
    if (!this.flushBuffer()) return NOT_READY;
    const want = this.end - this.start;
    if (want === 0) return 0;
    const n = Math.min(this.port.capacity(), want);
    if (n === 0) return NOT_READY;
    this.port.sinkWrite(this.bstr.slice(this.start, this.start + n));
    return n;
  }
}

/** Behind `flushOutput`: ready once the buffer is empty and every chunk handed over is done. @internal */
class FlushEvt extends OutputEvt<void> {
  attempt(): void | RaiseResult | NotReady {
    const bad = this.broken();
    if (bad) return bad;
    if (!this.flushBuffer() || this.port.outstanding > 0) return NOT_READY;
    return undefined;
  }
}

/**
 * Writes `bstr[pos, end)`, waiting for room as needed; the caller has checked the arguments.
 * Racket checks nothing for an empty write, not even a closed port; neither do we.
 */
async function writeAll(
  who: string,
  out: OutputPort,
  bstr: Uint8Array,
  pos: number,
  end: number,
): Promise<number> {
  const total = end - pos;
  if (total === 0) return 0;
  pos += atomically(() => out.writeSome(who, bstr, pos, end));
  if (pos === end) return total;
  // We are going to wait: keep our own copy, as the caller may reuse `bstr` meanwhile.
  const rest = bstr.slice(pos, end);
  let at = 0;
  while (at < rest.length) {
    await sync(out);
    at += atomically(() => out.writeSome(who, rest, at, rest.length));
  }
  return total;
}

/**
 * Writes `bstr[start, end)` to `out` (Racket's `write-bytes`), waiting while the port's buffer and
 * its sink are full; resolves with the count, always `end - start`. In `"block"` mode the bytes may
 * sit in the buffer until it fills or {@link flushOutput} is called.
 *
 * @throws (as a rejected promise) {@link ExnFailContract} for bad arguments, {@link ExnFail}
 * "write-bytes: output port is closed", or the sink's error.
 *
 * @example
 * ```ts
 * import { makePipe, writeBytes, readBytes } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeBytes(new Uint8Array([1, 2, 3, 4]), out, 1, 3); // 2
 * await readBytes(2, inp); // Uint8Array [2, 3]
 * ```
 */
export function writeBytes(
  bstr: Uint8Array,
  out: OutputPort,
  start?: number,
  end?: number,
): Promise<number> {
  return rejecting(() => {
    const who = "write-bytes";
    checkBytes(who, bstr, 1);
    checkOutputPort(who, out, 2);
    const [s, e] = checkRange(who, bstr, start, end, 3);
    return writeAll(who, out, bstr, s, e);
  });
}

/**
 * Writes one byte (Racket's `write-byte`).
 *
 * @example
 * ```ts
 * import { makePipe, writeByte, readByte } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeByte(255, out);
 * await readByte(inp); // 255
 * ```
 */
export async function writeByte(b: number, out: OutputPort): Promise<void> {
  const who = "write-byte";
  check(Number.isInteger(b) && b >= 0 && b <= 255, who, "byte?", b, 1);
  checkOutputPort(who, out, 2);
  await writeAll(who, out, Uint8Array.of(b), 0, 1);
}

const encoder = new TextEncoder();

/**
 * Writes `str.slice(start, end)` encoded as UTF-8 (Racket's `write-string`); resolves with
 * `end - start`. Indices count UTF-16 units, as JS strings do (Racket's count characters); a lone
 * surrogate is written as U+FFFD.
 *
 * @example
 * ```ts
 * import { makePipe, writeString, readBytes } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("λ", out); // 1
 * await readBytes(2, inp); // Uint8Array [206, 187]
 * ```
 */
export function writeString(
  str: string,
  out: OutputPort,
  start?: number,
  end?: number,
): Promise<number> {
  return rejecting(async () => {
    const who = "write-string";
    check(typeof str === "string", who, "string?", str, 1);
    checkOutputPort(who, out, 2);
    const [s, e] = checkRange(who, str, start, end, 3);
    if (s === e) return 0;
    const bytes = encoder.encode(s === 0 && e === str.length ? str : str.slice(s, e));
    await writeAll(who, out, bytes, 0, bytes.length);
    return e - s;
  });
}

/**
 * Writes as much of `bstr[start, end)` as can go out **unbuffered** right away, after flushing
 * what the port holds; waits only until at least one byte can (Racket's `write-bytes-avail`).
 * Resolves with the count, ≥ 1 — or 0 for an empty range, once the buffer is flushed.
 *
 * @example
 * ```ts
 * import { makePipe, writeBytesAvail } from "@rendezvous/core";
 * const [, out] = makePipe(3);
 * await writeBytesAvail(new Uint8Array(10), out); // 3: the pipe's limit
 * ```
 */
export function writeBytesAvail(
  bstr: Uint8Array,
  out: OutputPort,
  start?: number,
  end?: number,
): Promise<number> {
  return rejecting(() => {
    const who = "write-bytes-avail";
    checkBytes(who, bstr, 1);
    checkOutputPort(who, out, 2);
    const [s, e] = checkRange(who, bstr, start, end, 3);
    return sync(new WriteBytesAvailEvt(out, who, bstr, s, e));
  });
}

/**
 * Like {@link writeBytesAvail}, but never waits (Racket's `write-bytes-avail*`): returns `false` if
 * buffered bytes could not all be flushed, otherwise the count written unbuffered, maybe 0.
 *
 * @throws {@link ExnFailContract} for bad arguments; {@link ExnFail} if the port is closed; the
 * sink's error.
 *
 * @example
 * ```ts
 * import { makePipe, writeBytesAvailStar } from "@rendezvous/core";
 * const [, out] = makePipe(2);
 * writeBytesAvailStar(new Uint8Array(5), out); // 2
 * writeBytesAvailStar(new Uint8Array(5), out); // 0: full
 * ```
 */
export function writeBytesAvailStar(
  bstr: Uint8Array,
  out: OutputPort,
  start?: number,
  end?: number,
): number | false {
  const who = "write-bytes-avail*";
  checkBytes(who, bstr, 1);
  checkOutputPort(who, out, 2);
  const [s, e] = checkRange(who, bstr, start, end, 3);
  const evt = new WriteBytesAvailEvt(out, who, bstr, s, e);
  const r = atomically(() => {
    const v = evt.attempt();
    return v === NOT_READY && out.len > 0 ? false : v;
  });
  if (r === NOT_READY) return 0;
  if (r instanceof RaiseResult) throw r.error;
  return r;
}

/**
 * An event that, when chosen, writes as much of `bstr[start, end)` as can go out unbuffered (at
 * least one byte), its result the count (Racket's `write-bytes-avail-evt`). Ready when the port's
 * buffer has been flushed and the sink has room; **if the event is not chosen, none of its bytes
 * are written**. An empty range gives 0 once the buffer is flushed. Racket 8.7 put the bytes in the
 * port's buffer for block-buffered ports (fixed in 8.11); we write them unbuffered, as documented.
 *
 * @throws {@link ExnFailContract} for bad arguments and {@link ExnFail} if `out` is already closed
 * (at once, as Racket); a port closed later makes the event ready, raising when chosen.
 *
 * @example
 * ```ts
 * import { makePipe, writeBytesAvailEvt, sync, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";
 * const [, out] = makePipe(4);
 * await sync(writeBytesAvailEvt(new Uint8Array(6), out)); // 4
 * await sync(writeBytesAvailEvt(new Uint8Array(6), out), alarmEvt(currentInexactMilliseconds() + 5));
 * // the alarm: the pipe is full, and nothing was written
 * ```
 */
export function writeBytesAvailEvt(
  bstr: Uint8Array,
  out: OutputPort,
  start?: number,
  end?: number,
): Evt<number> {
  const who = "write-bytes-avail-evt";
  checkBytes(who, bstr, 1);
  checkOutputPort(who, out, 2);
  const [s, e] = checkRange(who, bstr, start, end, 3);
  if (out.closed) throw out.closedError(who);
  return new WriteBytesAvailEvt(out, who, bstr, s, e);
}

/**
 * Flushes `out` (Racket's `flush-output`): hands everything buffered to the sink, waiting for room
 * as needed, and resolves once every byte written so far has left (for TCP: is in the kernel's
 * hands). A failed port stays failed: the sink's error rejects every later write and flush, so an
 * error that arrives after a write returned is never silent (Racket lets later flushes succeed).
 *
 * @example
 * ```ts
 * import { makeOutputPort } from "@rendezvous/core/protocol";
 * import { writeString, flushOutput } from "@rendezvous/core";
 * const seen: string[] = [];
 * const out = makeOutputPort("log", {
 *   capacity: () => Infinity,
 *   write: (chunk, done) => { seen.push(new TextDecoder().decode(chunk)); done(); },
 *   end() {},
 *   abandon() {},
 * });
 * await writeString("buffered", out);
 * await flushOutput(out);
 * seen; // ["buffered"]
 * ```
 */
export function flushOutput(out: OutputPort): Promise<void> {
  return rejecting(async () => {
    checkOutputPort("flush-output", out, 1);
    await sync(new FlushEvt(out, "flush-output"));
  });
}
