// A byte output port: Racket's buffer modes over a sink that takes what it has room for. Writers
// that find no room wait in one FIFO with the port's events and re-test after each change.
import type { Subscription } from "rxjs";
import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";
import { atomically, defer } from "../engine/atomic.js";
import { currentCustodian, custodianManage } from "../custodian/custodian.js";
import { ExnFail } from "../errors/exn.js";
import { check, checkProcedure } from "../errors/contract.js";
import type { BufferMode, ByteSink, OutputPortFeed, OutputPortOptions } from "./byte-sink.js";
import type { PortWaiter } from "./input-port.js";

const DEFAULT_BUFFER_SIZE = 4096;
const NO_BUFFER = new Uint8Array(0);
const LF = 10;
const CR = 13;

/**
 * A byte output port (Racket's output port). As an event it is ready when a write would not wait
 * (room in its buffer or in its sink), or when a write would fail at once (closed, failed); its
 * result is the port itself and syncing on it writes nothing.
 *
 * Buffer modes (see {@link fileStreamBufferMode}): `"block"` collects bytes until the buffer is
 * full or flushed, `"line"` also flushes after a write containing a newline or return, `"none"`
 * hands every write to the sink at once. {@link flushOutput} waits until everything written has
 * left. Closing flushes.
 *
 * Implements `Symbol.asyncDispose` (`await using`): disposal closes the port.
 *
 * @example
 * ```ts
 * import { makePipe, syncTimeout, writeBytes } from "@rendezvous/core";
 * const [, out] = makePipe(4);
 * (await syncTimeout(0, out)) === out; // true: a write would not wait
 * await writeBytes(new Uint8Array(4), out);
 * await syncTimeout(0, out); // false: the pipe is full until someone reads
 * ```
 */
export class OutputPort extends PrimitiveEvt<OutputPort> {
  /** The port's name (Racket's `object-name`). */
  readonly name: string;
  /** @internal */ readonly sink: ByteSink;
  /** @internal */ mode: BufferMode;
  /** @internal `false`: the mode cannot be changed (pipes are unbuffered) */ readonly bufferable: boolean;
  /** @internal the buffer's size (0: not bufferable) */ readonly size: number;
  /**
   * @internal The buffer: allocated on the first buffered write and dropped when handed over
   * whole, so an idle port (say one of thousands of idle connections) holds none.
   */
  buf: Uint8Array = NO_BUFFER;
  /** @internal */ len = 0;
  /** @internal a flush was asked for (full buffer, newline in line mode, flushOutput): drain on room */
  flushing = false;
  /** @internal */ closed = false;
  /** @internal */ failure: { error: unknown } | null = null;
  /** @internal chunks handed to the sink whose `done` has not come yet */ outstanding = 0;
  /** @internal */ readonly waiters = new WaiterQueue();
  /** @internal */ readonly feed: OutputPortFeed;
  /** @internal */ sub: Subscription | null = null;
  private wakePending = false;
  private readonly onDone: (err?: unknown) => void;

  /** @internal */
  constructor(
    name: string,
    sink: ByteSink,
    mode: BufferMode,
    bufferSize: number,
    bufferable: boolean,
  ) {
    super();
    this.name = name;
    this.sink = sink;
    this.mode = mode;
    this.bufferable = bufferable;
    this.size = bufferable ? bufferSize : 0;
    this.feed = new Feed(this);
    this.onDone = (err) =>
      atomically(() => {
        this.outstanding--;
        if (err !== undefined && err !== null) this.fail(err);
        this.scheduleWake();
      });
  }

  /** `#<output-port:name>`, as Racket prints it. */
  override toString(): string {
    return `#<output-port:${this.name}>`;
  }

  /** Closes the port, flushing it (see {@link closeOutputPort}). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close("end");
  }

  // -- the port as an event ------------------------------------------------------------------

  /** @internal */
  attempt(): OutputPort | NotReady {
    return this.closed || this.failure || this.room() > 0 ? this : NOT_READY;
  }
  poll(_c: Candidate): OutputPort | NotReady {
    return this.attempt();
  }
  block(c: Candidate): void {
    this.waiters.push(c);
  }
  abandon(c: Candidate): void {
    this.waiters.remove(c);
  }

  /** @internal */
  scheduleWake(): void {
    if (this.wakePending) return;
    this.wakePending = true;
    defer(runWake, this, undefined);
  }

  /** @internal */
  wake(): void {
    this.wakePending = false;
    if (this.flushing) this.drain();
    let c = this.waiters.head;
    while (c) {
      const next: Candidate | null = c.qnext;
      if (c.run.done) {
        this.waiters.remove(c);
        c = next;
        continue;
      }
      const r = (c.prim as unknown as PortWaiter).attempt();
      if (r === NOT_READY) {
        c = next;
        continue;
      }
      this.waiters.remove(c);
      c.commit(r);
      c = this.waiters.head;
    }
  }

  // -- moving bytes --------------------------------------------------------------------------

  /** What the sink takes now (a bad answer counts as none). @internal */
  capacity(): number {
    const n = this.sink.capacity();
    return n > 0 ? n : 0;
  }

  /** Hands `chunk` (owned by the sink from now on) over. @internal */
  sinkWrite(chunk: Uint8Array): void {
    this.outstanding++;
    this.sink.write(chunk, this.onDone);
  }

  /** Moves buffered bytes to the sink as far as it has room; clears `flushing` once empty. @internal */
  drain(): void {
    while (this.len > 0 && !this.failure && !this.closed) {
      const n = Math.min(this.capacity(), this.len);
      if (n === 0) return;
      let chunk: Uint8Array;
      if (n === this.len) {
        // Hand the whole buffer over (no copy); the next buffered write allocates a fresh one.
        chunk = this.buf.subarray(0, n);
        this.buf = NO_BUFFER;
      } else {
        chunk = this.buf.slice(0, n);
        this.buf.copyWithin(0, n, this.len);
      }
      this.len -= n;
      this.sinkWrite(chunk);
    }
    if (this.len === 0) this.flushing = false;
  }

  /** Bytes a write could take now without waiting (after moving what the sink has room for). @internal */
  room(): number {
    if (this.closed || this.failure) return 0;
    if (this.flushing) this.drain();
    let r = this.mode === "none" ? 0 : this.size - this.len;
    if (this.len === 0) r = Math.max(r, this.capacity());
    return r;
  }

  /**
   * Writes what it can of `bstr[pos, end)` without waiting, honouring the buffer mode; returns the
   * count (0: wait for room). Throws if the port is closed or failed. @internal
   */
  writeSome(who: string, bstr: Uint8Array, pos: number, end: number): number {
    if (this.closed) throw this.closedError(who);
    if (this.failure) throw this.failure.error;
    if (this.flushing) this.drain();
    const want = end - pos;
    if (this.mode === "none" || (this.len === 0 && want >= this.size)) {
      // Unbuffered, or a write the buffer could not hold anyway: straight to the sink.
      if (this.len === 0) {
        const n = Math.min(this.capacity(), want);
        if (n > 0) {
          this.sinkWrite(bstr.slice(pos, pos + n));
          return n;
        }
      }
      if (this.mode === "none") return 0;
    }
    const k = Math.min(this.size - this.len, want);
    if (k === 0) return 0;
    if (this.buf.length === 0) this.buf = new Uint8Array(this.size);
    this.buf.set(bstr.subarray(pos, pos + k), this.len);
    this.len += k;
    if (this.len === this.size || (this.mode === "line" && hasLineBreak(bstr, pos, pos + k))) {
      this.flushing = true;
      this.drain();
    }
    return k;
  }

  /** The sink failed: the buffer is dropped (as Racket drops it) and every later write raises. @internal */
  fail(err: unknown): void {
    if (this.failure || this.closed) return;
    this.failure = { error: err };
    this.len = 0;
    this.flushing = false;
    this.scheduleWake();
  }

  /** `who: output port is closed` (Racket raises `exn:fail`). @internal */
  closedError(who: string): ExnFail {
    return new ExnFail(`${who}: output port is closed\n  output port: ${this.toString()}`);
  }

  /**
   * Closes the port. `"end"` and `"abandon"` first hand everything buffered to the sink (whatever its
   * capacity), then call `sink.end()` / `sink.abandon()`; `"discard"` (a custodian shutdown, which
   * in Racket does not flush) drops the buffer, then ends. @internal
   */
  close(how: "end" | "abandon" | "discard"): void {
    atomically(() => {
      if (this.closed) return;
      if (how !== "discard" && !this.failure && this.len > 0)
        this.sinkWrite(this.buf.slice(0, this.len));
      this.len = 0;
      this.flushing = false;
      this.closed = true;
      const sub = this.sub;
      this.sub = null;
      sub?.unsubscribe();
      if (how === "abandon") this.sink.abandon();
      else this.sink.end();
      this.scheduleWake();
    });
  }
}

function hasLineBreak(b: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (b[i] === LF || b[i] === CR) return true;
  return false;
}

/** The sink's handle on its port; its methods may be passed around detached. */
class Feed implements OutputPortFeed {
  constructor(private readonly port: OutputPort) {}
  readonly ready = (): void => atomically(() => this.port.scheduleWake());
  readonly error = (err: unknown): void => atomically(() => this.port.fail(err));
  get closed(): boolean {
    return this.port.closed;
  }
}

function runWake(p: OutputPort): void {
  atomically(() => p.wake());
}

/**
 * Makes an output port that drains into `sink` (the constructor behind the tcp package's ports and
 * the Node stream adapters; Racket's custom ports play this role). The sink's `start` is called
 * before this returns. The port is managed by the current custodian unless `options.custodian`
 * says otherwise; a custodian shutdown closes it without flushing, as in Racket.
 *
 * @throws {@link ExnFailContract} for a bad argument; {@link ExnFail} if the custodian has been
 * shut down.
 *
 * @example
 * ```ts
 * import { makeOutputPort } from "@rendezvous/core/protocol";
 * import { writeString, flushOutput } from "@rendezvous/core";
 * const chunks: Uint8Array[] = [];
 * const out = makeOutputPort("collector", {
 *   capacity: () => Infinity,
 *   write: (chunk, done) => { chunks.push(chunk); done(); },
 *   end() {},
 *   abandon() {},
 * });
 * await writeString("hi", out);
 * chunks.length; // 0: block-buffered
 * await flushOutput(out);
 * chunks.length; // 1
 * ```
 */
export function makeOutputPort(
  name: string,
  sink: ByteSink,
  options: OutputPortOptions = {},
): OutputPort {
  const who = "make-output-port";
  check(typeof name === "string", who, "string?", name, 1);
  check(typeof sink === "object" && sink !== null, who, "ByteSink", sink, 2);
  checkProcedure(who, sink.capacity, 2);
  checkProcedure(who, sink.write, 2);
  checkProcedure(who, sink.end, 2);
  checkProcedure(who, sink.abandon, 2);
  if (sink.start !== undefined) checkProcedure(who, sink.start, 2);
  const mode = options.bufferMode ?? "block";
  check(
    mode === "block" || mode === "line" || mode === "none",
    who,
    "(or/c 'none 'line 'block)",
    mode,
    3,
  );
  const size = options.bufferSize ?? DEFAULT_BUFFER_SIZE;
  check(Number.isSafeInteger(size) && size > 0, who, "exact-positive-integer?", size, 3);
  const port = new OutputPort(name, sink, mode, size, true);
  const custodian = options.custodian === undefined ? currentCustodian() : options.custodian;
  if (custodian !== false)
    port.sub = custodianManage(who, port, () => port.close("discard"), custodian);
  try {
    sink.start?.(port.feed);
  } catch (err) {
    port.close("discard");
    throw err;
  }
  return port;
}

/**
 * Closes `out` like {@link closeOutputPort} (flushing it first), but ends with `sink.abandon()`
 * instead of `sink.end()`: for TCP, no FIN is sent while the connection's input side is open
 * (Racket's `tcp-abandon-port` on an output port). Closing a closed port does nothing.
 *
 * @example
 * ```ts
 * import { abandonOutputPort } from "@rendezvous/core/protocol";
 * import { makePipe } from "@rendezvous/core";
 * const [, out] = makePipe();
 * abandonOutputPort(out);
 * ```
 */
export function abandonOutputPort(out: OutputPort): void {
  check(out instanceof OutputPort, "abandon-output-port", "output-port?", out, 1);
  out.close("abandon");
}
