// A byte input port: the unread bytes its source pushed, the readers waiting for more, and the
// source's flow control. Reads are events whose poll commits (see read-evts.ts): everything that
// waits on a port sits in one FIFO and re-tests itself after each change.
import type { Subscription } from "rxjs";
import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";
import { atomically, defer } from "../engine/atomic.js";
import { currentCustodian, custodianManage } from "../custodian/custodian.js";
import { ExnFail } from "../errors/exn.js";
import { check, checkProcedure } from "../errors/contract.js";
import { ByteQueue } from "./byte-queue.js";
import type { ByteSource, InputPortFeed, InputPortOptions } from "./byte-source.js";

/** What waits in a port's queue: each re-tests itself (and commits when ready) with `attempt`. @internal */
export interface PortWaiter {
  attempt(): unknown;
}

const DEFAULT_HIGH_WATER_MARK = 65536;

/**
 * A byte input port (Racket's input port). As an event it is ready when a read would not wait —
 * unread bytes, end of file, an error to report, or the port is closed — and its result is the port
 * itself; syncing on it reads nothing.
 *
 * Ports come from {@link makePipe}, from the tcp package, from the Node stream adapters
 * ({@link inputPortFromReadable}), or from {@link makeInputPort} over any {@link ByteSource}.
 *
 * Implements `Symbol.asyncDispose` (`await using`): disposal closes the port.
 *
 * @example
 * ```ts
 * import { makePipe, sync, writeString, readLine } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("hello\n", out);
 * (await sync(inp)) === inp; // true: a read would not wait
 * await readLine(inp); // "hello"
 * ```
 */
export class InputPort extends PrimitiveEvt<InputPort> {
  /** The port's name (Racket's `object-name`), e.g. `"pipe"` or a TCP peer's address. */
  readonly name: string;
  /** @internal */ readonly q = new ByteQueue();
  /** @internal the source has ended: reads give eof once `q` is empty */ ended = false;
  /** @internal the source failed: reads raise `failure.error` once `q` is empty */
  failure: { error: unknown } | null = null;
  /** @internal */ closed = false;
  /** @internal bumped by every commit that consumes, and by closing: progress events watch it */
  progress = 0;
  /** @internal bytes the last failed attempt needed (its waiter's demand) */ need = 0;
  /** @internal `null`: the mode cannot be set (pipes) */ bufferMode: "block" | "none" | null;
  /** @internal */ readonly waiters = new WaiterQueue();
  /** @internal */ readonly feed: InputPortFeed;
  /** @internal */ sub: Subscription | null = null;
  /** @internal */ source: ByteSource | null = null;
  private readonly highWaterMark: number;
  private paused = false;
  private wakePending = false;

  /** @internal */
  constructor(name: string, highWaterMark: number, bufferMode: "block" | "none" | null) {
    super();
    this.name = name;
    this.highWaterMark = highWaterMark;
    this.bufferMode = bufferMode;
    this.feed = new Feed(this);
  }

  /** `#<input-port:name>`, as Racket prints it. */
  override toString(): string {
    return `#<input-port:${this.name}>`;
  }

  /** Closes the port (see {@link closeInputPort}). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  // -- the port as an event ------------------------------------------------------------------

  /** @internal */
  attempt(): InputPort | NotReady {
    if (this.q.length > 0 || this.ended || this.failure || this.closed) return this;
    this.need = 1;
    return NOT_READY;
  }
  poll(_c: Candidate): InputPort | NotReady {
    this.need = 0;
    return this.attempt();
  }
  block(c: Candidate): void {
    this.addWaiter(c);
  }
  abandon(c: Candidate): void {
    this.removeWaiter(c);
  }

  // -- waiters -------------------------------------------------------------------------------

  /** Registers a candidate whose poll just failed; its demand is what that attempt needed. @internal */
  addWaiter(c: Candidate): void {
    c.data = this.need;
    this.waiters.push(c);
    this.flow();
  }

  /** @internal */
  removeWaiter(c: Candidate): void {
    if (c.queue !== this.waiters) return;
    this.waiters.remove(c);
    this.flow();
  }

  /** Re-tests every waiter after this atomic step (never in the middle of someone's commit). @internal */
  scheduleWake(): void {
    if (this.wakePending || this.waiters.size === 0) return;
    this.wakePending = true;
    defer(runWake, this, undefined);
  }

  /** @internal */
  wake(): void {
    this.wakePending = false;
    let c = this.waiters.head;
    while (c) {
      const next: Candidate | null = c.qnext;
      if (c.run.done) {
        this.waiters.remove(c);
        c = next;
        continue;
      }
      this.need = 0;
      const r = (c.prim as unknown as PortWaiter).attempt();
      if (r === NOT_READY) {
        c.data = this.need;
        c = next;
        continue;
      }
      this.waiters.remove(c);
      c.commit(r);
      // Committing abandons the run's other candidates, maybe from this queue: start over.
      c = this.waiters.head;
    }
    this.flow();
  }

  /** Drops `n` read bytes: progress for progress events, room for the source. @internal */
  consume(n: number): void {
    if (n <= 0) return;
    this.q.consume(n);
    this.progress++;
    this.scheduleWake();
    this.flow();
  }

  // -- the source side -----------------------------------------------------------------------

  /** @internal */
  pushBytes(chunk: Uint8Array): void {
    if (!(chunk instanceof Uint8Array))
      throw new TypeError("InputPortFeed.push: expected a Uint8Array");
    if (this.closed || this.ended || this.failure || chunk.length === 0) return;
    this.q.push(chunk);
    this.scheduleWake();
    this.flow();
  }

  /** @internal */
  pushEnd(): void {
    if (this.closed || this.ended || this.failure) return;
    this.ended = true;
    this.scheduleWake();
  }

  /** @internal */
  pushError(err: unknown): void {
    if (this.closed || this.ended || this.failure) return;
    this.failure = { error: err };
    this.scheduleWake();
  }

  /** The largest number of unread bytes a waiting reader needs. @internal */
  demand(): number {
    let d = 0;
    for (let c = this.waiters.head; c; c = c.qnext) {
      const n = c.data as number;
      if (n > d) d = n;
    }
    return d;
  }

  /**
   * Pauses the source when the port holds its high-water mark and no waiting reader needs more;
   * resumes it otherwise. In `"none"` mode the mark is 0: nothing is read ahead of a reader.
   * @internal
   */
  flow(): void {
    const s = this.source;
    if (!s || this.closed || this.ended || this.failure) return;
    const mark = this.bufferMode === "none" ? 0 : this.highWaterMark;
    const n = this.q.length;
    const full = n >= mark && n >= this.demand();
    if (full === this.paused) return;
    this.paused = full;
    if (full) s.pause?.();
    else s.resume?.();
  }

  /** `who: input port is closed` (Racket raises `exn:fail`). @internal */
  closedError(who: string): ExnFail {
    return new ExnFail(`${who}: input port is closed\n  input port: ${this.toString()}`);
  }

  /** Closes the port: unread bytes are dropped, the source released, waiters woken. @internal */
  close(): void {
    atomically(() => {
      if (this.closed) return;
      this.closed = true;
      this.q.clear();
      this.progress++;
      const s = this.source;
      this.source = null;
      s?.close();
      const sub = this.sub;
      this.sub = null;
      sub?.unsubscribe();
      this.scheduleWake();
    });
  }
}

/** The source's handle on its port; its methods may be passed around detached. */
class Feed implements InputPortFeed {
  constructor(private readonly port: InputPort) {}
  readonly push = (chunk: Uint8Array): void => atomically(() => this.port.pushBytes(chunk));
  readonly end = (): void => atomically(() => this.port.pushEnd());
  readonly error = (err: unknown): void => atomically(() => this.port.pushError(err));
  get closed(): boolean {
    return this.port.closed;
  }
}

function runWake(p: InputPort): void {
  atomically(() => p.wake());
}

/**
 * Makes an input port whose bytes come from `source` (the constructor behind the tcp package's
 * ports and the Node stream adapters; Racket's custom ports play this role). The source's `start`
 * is called before this returns. The port is managed by the current custodian unless
 * `options.custodian` says otherwise.
 *
 * @throws {@link ExnFailContract} for a bad argument; {@link ExnFail} if the custodian has been
 * shut down (the source is not started).
 *
 * @example
 * ```ts
 * import { makeInputPort } from "@rendezvous/core/protocol";
 * import { readLine } from "@rendezvous/core";
 * const inp = makeInputPort("greeting", {
 *   start(feed) {
 *     feed.push(new TextEncoder().encode("hello\nworld"));
 *     feed.end();
 *   },
 *   close() {},
 * });
 * await readLine(inp); // "hello"
 * await readLine(inp); // "world"
 * ```
 */
export function makeInputPort(
  name: string,
  source: ByteSource,
  options: InputPortOptions = {},
): InputPort {
  const who = "make-input-port";
  check(typeof name === "string", who, "string?", name, 1);
  check(typeof source === "object" && source !== null, who, "ByteSource", source, 2);
  checkProcedure(who, source.start, 2);
  checkProcedure(who, source.close, 2);
  const hwm = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
  check(
    typeof hwm === "number" && hwm >= 0,
    who,
    "(or/c exact-nonnegative-integer? +inf.0)",
    hwm,
    3,
  );
  const port = new InputPort(name, hwm, "block");
  const custodian = options.custodian === undefined ? currentCustodian() : options.custodian;
  if (custodian !== false) port.sub = custodianManage(who, port, () => port.close(), custodian);
  port.source = source;
  try {
    source.start(port.feed);
  } catch (err) {
    port.close();
    throw err;
  }
  atomically(() => port.flow());
  return port;
}
