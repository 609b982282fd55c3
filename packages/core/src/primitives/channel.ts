import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";
import { syncOne, syncVoid, pollNow } from "../engine/sync.js";
import { check } from "../errors/contract.js";

/**
 * A synchronous channel (Racket's `make-channel`): a put and a get rendezvous — neither completes
 * without the other. As an event, a channel is ready when a putter is waiting; its result is the
 * value received.
 *
 * @typeParam T - the values carried.
 *
 * @example
 * ```ts
 * import { Channel, makeChannel, sync, channelPut } from "@rendezvous/core";
 * const ch: Channel<string> = makeChannel<string>();
 * void channelPut(ch, "x");
 * await sync(ch); // "x": a channel is an event
 * ```
 */
export class Channel<T = unknown> extends PrimitiveEvt<T> {
  /** @internal */ readonly getters = new WaiterQueue();
  /** @internal */ readonly putters = new WaiterQueue();

  poll(c: Candidate): T | NotReady {
    // A sync never matches its own put with its own get.
    for (let p = this.putters.head; p; p = p.qnext) {
      if (p.run.done) {
        p.skipped();
        continue;
      }
      if (p.run.owner === c.run.owner) continue;
      this.putters.remove(p);
      const put = p.prim as ChannelPutEvt<T>;
      p.commit(put);
      return put.value;
    }
    return NOT_READY;
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

/** The class of {@link channelPutEvt}'s events: ready when a getter is waiting; result: itself.
 *
 * @example
 * ```ts
 * import { makeChannel, channelPutEvt, ChannelPutEvt } from "@rendezvous/core";
 * channelPutEvt(makeChannel(), 1) instanceof ChannelPutEvt; // true
 * ```
 */
export class ChannelPutEvt<T = unknown> extends PrimitiveEvt<ChannelPutEvt<T>> {
  /** @internal */
  constructor(
    readonly channel: Channel<T>,
    readonly value: T,
  ) {
    super();
  }
  poll(c: Candidate): ChannelPutEvt<T> | NotReady {
    const ch = this.channel;
    for (let g = ch.getters.head; g; g = g.qnext) {
      if (g.run.done) {
        g.skipped();
        continue;
      }
      if (g.run.owner === c.run.owner) continue;
      ch.getters.remove(g);
      g.commit(this.value);
      return this;
    }
    return NOT_READY;
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

const CH = "channel?";

/**
 * Makes a synchronous channel (Racket's `make-channel`).
 * @example
 * ```ts
 * import { makeChannel, channelPut, channelGet } from "@rendezvous/core";
 * const ch = makeChannel<number>();
 * void channelPut(ch, 42);
 * await channelGet(ch); // 42
 * ```
 */
export function makeChannel<T = unknown>(): Channel<T> {
  return new Channel<T>();
}

/**
 * `true` if `v` is a channel.
 * @example
 * ```ts
 * import { isChannel, makeChannel } from "@rendezvous/core";
 * isChannel(makeChannel()); // true
 * ```
 */
export function isChannel(v: unknown): v is Channel {
  return v instanceof Channel;
}

/**
 * Waits for a putter and returns its value (Racket's `channel-get`).
 * @example
 * ```ts
 * import { makeChannel, channelPut, channelGet } from "@rendezvous/core";
 * const ch = makeChannel<string>();
 * void channelPut(ch, "hi");
 * await channelGet(ch); // "hi"
 * ```
 */
export function channelGet<T>(ch: Channel<T>): Promise<T> {
  try {
    check(ch instanceof Channel, "channel-get", CH, ch, 1);
  } catch (e) {
    return Promise.reject(e);
  }
  return syncOne(ch);
}

/**
 * Returns a value if a putter is already blocked on `ch`, else `false`, at once (Racket's
 * `channel-try-get`).
 * @example
 * ```ts
 * import { makeChannel, channelTryGet } from "@rendezvous/core";
 * channelTryGet(makeChannel()); // false
 * ```
 */
export function channelTryGet<T>(ch: Channel<T>): T | false {
  check(ch instanceof Channel, "channel-try-get", CH, ch, 1);
  return pollNow([ch], false) as T | false;
}

/**
 * Waits for a getter and hands it `v` (Racket's `channel-put`).
 * @example
 * ```ts
 * import { makeChannel, channelPut, channelGet } from "@rendezvous/core";
 * const ch = makeChannel<number>();
 * const done = channelPut(ch, 1);
 * await channelGet(ch); // 1
 * await done;
 * ```
 */
export function channelPut<T>(ch: Channel<T>, v: T): Promise<void> {
  try {
    check(ch instanceof Channel, "channel-put", CH, ch, 1);
  } catch (e) {
    return Promise.reject(e);
  }
  return syncVoid(new ChannelPutEvt(ch, v));
}

/**
 * An event that is ready when a getter can take `v` from `ch`; choosing it hands `v` over (Racket's
 * `channel-put-evt`). Its result is the put event itself.
 * @example
 * ```ts
 * import { makeChannel, channelPutEvt, channelGet, sync } from "@rendezvous/core";
 * const ch = makeChannel<number>();
 * const got = channelGet(ch);
 * await sync(channelPutEvt(ch, 7));
 * await got; // 7
 * ```
 */
export function channelPutEvt<T>(ch: Channel<T>, v: T): ChannelPutEvt<T> {
  check(ch instanceof Channel, "channel-put-evt", CH, ch, 1);
  return new ChannelPutEvt(ch, v);
}

/**
 * `true` if `v` was made by {@link channelPutEvt}.
 * @example
 * ```ts
 * import { isChannelPutEvt, channelPutEvt, makeChannel } from "@rendezvous/core";
 * isChannelPutEvt(channelPutEvt(makeChannel(), 1)); // true
 * ```
 */
export function isChannelPutEvt(v: unknown): v is ChannelPutEvt {
  return v instanceof ChannelPutEvt;
}
