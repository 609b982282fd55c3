import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";
import { syncOne, syncVoid, pollNow } from "../engine/sync.js";
import { check, isExactPositiveInteger } from "../errors/contract.js";

/**
 * A buffered asynchronous channel (racket/async-channel): puts wait only while the buffer holds
 * `limit` values. As an event it is ready when a value is buffered; choosing it takes exactly that
 * one value — a losing get takes nothing.
 *
 * @example
 * ```ts
 * import { makeAsyncChannel, AsyncChannel, asyncChannelPut, sync } from "@rendezvous/core";
 * const ch: AsyncChannel<number> = makeAsyncChannel<number>(10);
 * await asyncChannelPut(ch, 5);
 * await sync(ch); // 5
 * ```
 */
export class AsyncChannel<T = unknown> extends PrimitiveEvt<T> {
  /** @internal */ readonly getters = new WaiterQueue();
  /** @internal */ readonly putters = new WaiterQueue();
  private buf: T[] = [];
  private head = 0;

  /** @internal */
  constructor(readonly limit: number | false) {
    super();
  }

  /** @internal */ get length(): number {
    return this.buf.length - this.head;
  }
  /** @internal */ hasRoom(): boolean {
    return this.limit === false || this.length < this.limit;
  }

  private shift(): T {
    const v = this.buf[this.head]!;
    (this.buf as unknown[])[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.buf.length) {
      this.buf = this.buf.slice(this.head);
      this.head = 0;
    }
    return v;
  }

  /**
   * Adds `v` and keeps the invariant: no getter waits while a value is buffered. `owner` is the
   * sync committing this put: its own blocked getters are skipped (it is about to abandon them),
   * else one sync would commit twice. @internal
   */
  push(v: T, owner?: object): void {
    this.buf.push(v);
    let g: Candidate | null;
    while (this.length > 0 && (g = firstOther(this.getters, owner))) {
      this.getters.remove(g);
      if (g.run.done) g.skipped();
      else g.commit(this.take(owner));
    }
  }

  /**
   * Takes the oldest value and lets the oldest blocked putter (not of `owner`'s sync, as in
   * {@link push}) into the freed room. @internal
   */
  take(owner?: object): T {
    const v = this.shift();
    let p: Candidate | null;
    while (this.hasRoom() && (p = firstOther(this.putters, owner))) {
      this.putters.remove(p);
      if (p.run.done) {
        p.skipped();
        continue;
      }
      const put = p.prim as AsyncChannelPutEvt<T>;
      this.buf.push(put.value);
      p.commit(put);
    }
    return v;
  }

  poll(c: Candidate): T | NotReady {
    return this.length > 0 ? this.take(c.run.owner) : NOT_READY;
  }
  block(c: Candidate): void {
    this.getters.push(c);
  }
  abandon(c: Candidate): void {
    this.getters.remove(c);
  }
  override get supportsStanding(): boolean {
    return true;
  }
}

/**
 * The class of {@link asyncChannelPutEvt}'s events: ready when the buffer has room; result: itself.
 *
 * @example
 * ```ts
 * import { makeAsyncChannel, asyncChannelPutEvt, AsyncChannelPutEvt } from "@rendezvous/core";
 * asyncChannelPutEvt(makeAsyncChannel(), 1) instanceof AsyncChannelPutEvt; // true
 * ```
 */
export class AsyncChannelPutEvt<T = unknown> extends PrimitiveEvt<AsyncChannelPutEvt<T>> {
  /** @internal */
  constructor(
    readonly channel: AsyncChannel<T>,
    readonly value: T,
  ) {
    super();
  }
  poll(c: Candidate): AsyncChannelPutEvt<T> | NotReady {
    if (!this.channel.hasRoom()) return NOT_READY;
    this.channel.push(this.value, c.run.owner);
    return this;
  }
  block(c: Candidate): void {
    this.channel.putters.push(c);
  }
  abandon(c: Candidate): void {
    this.channel.putters.remove(c);
  }
  override get supportsStanding(): boolean {
    return true;
  }
}

const AC = "async-channel?";

/**
 * Makes an asynchronous channel whose buffer holds at most `limit` values (`false`: unbounded)
 * (racket/async-channel's `make-async-channel`).
 *
 * @throws {@link ExnFailContract} unless `limit` is `false` or an exact positive integer.
 *
 * @example
 * ```ts
 * import { makeAsyncChannel, asyncChannelPut, asyncChannelGet } from "@rendezvous/core";
 * const ch = makeAsyncChannel<number>(2);
 * await asyncChannelPut(ch, 1); // returns at once: there is room
 * await asyncChannelGet(ch); // 1
 * ```
 */
export function makeAsyncChannel<T = unknown>(limit: number | false = false): AsyncChannel<T> {
  const l = limit === undefined ? false : limit;
  check(
    l === false || isExactPositiveInteger(l),
    "make-async-channel",
    "(or/c #f exact-positive-integer?)",
    limit,
    1,
  );
  return new AsyncChannel<T>(l);
}

/**
 * `true` if `v` is an async channel.
 * @example
 * ```ts
 * import { isAsyncChannel, makeAsyncChannel } from "@rendezvous/core";
 * isAsyncChannel(makeAsyncChannel()); // true
 * ```
 */
export function isAsyncChannel(v: unknown): v is AsyncChannel {
  return v instanceof AsyncChannel;
}

/**
 * Waits for a buffered value and takes it (`async-channel-get`).
 * @example
 * ```ts
 * import { makeAsyncChannel, asyncChannelPut, asyncChannelGet } from "@rendezvous/core";
 * const ch = makeAsyncChannel<string>();
 * await asyncChannelPut(ch, "x");
 * await asyncChannelGet(ch); // "x"
 * ```
 */
export function asyncChannelGet<T>(ch: AsyncChannel<T>): Promise<T> {
  try {
    check(ch instanceof AsyncChannel, "async-channel-get", AC, ch, 1);
  } catch (e) {
    return Promise.reject(e);
  }
  return syncOne(ch);
}

/**
 * Takes a buffered value, or returns `false` at once if there is none (`async-channel-try-get`).
 * @example
 * ```ts
 * import { makeAsyncChannel, asyncChannelTryGet } from "@rendezvous/core";
 * asyncChannelTryGet(makeAsyncChannel()); // false
 * ```
 */
export function asyncChannelTryGet<T>(ch: AsyncChannel<T>): T | false {
  check(ch instanceof AsyncChannel, "async-channel-try-get", AC, ch, 1);
  return pollNow([ch], false) as T | false;
}

/**
 * Buffers `v`, waiting while the buffer is full (`async-channel-put`).
 * @example
 * ```ts
 * import { makeAsyncChannel, asyncChannelPut } from "@rendezvous/core";
 * await asyncChannelPut(makeAsyncChannel(), 1);
 * ```
 */
export function asyncChannelPut<T>(ch: AsyncChannel<T>, v: T): Promise<void> {
  try {
    check(ch instanceof AsyncChannel, "async-channel-put", AC, ch, 1);
  } catch (e) {
    return Promise.reject(e);
  }
  return syncVoid(new AsyncChannelPutEvt(ch, v));
}

/**
 * An event that is ready when `ch`'s buffer has room; choosing it buffers `v`
 * (`async-channel-put-evt`). Its result is the put event itself.
 * @example
 * ```ts
 * import { makeAsyncChannel, asyncChannelPutEvt, syncTimeout } from "@rendezvous/core";
 * const ch = makeAsyncChannel<number>(1);
 * await syncTimeout(0, asyncChannelPutEvt(ch, 1)); // the put event: there was room
 * await syncTimeout(0, asyncChannelPutEvt(ch, 2)); // false: full
 * ```
 */
export function asyncChannelPutEvt<T>(ch: AsyncChannel<T>, v: T): AsyncChannelPutEvt<T> {
  check(ch instanceof AsyncChannel, "async-channel-put-evt", AC, ch, 1);
  return new AsyncChannelPutEvt(ch, v);
}

/** The oldest waiter of `q` that belongs to another sync than `owner`'s. */
function firstOther(q: WaiterQueue, owner: object | undefined): Candidate | null {
  let c = q.head;
  while (c && c.run.owner === owner) c = c.qnext;
  return c;
}
