import type { Candidate } from "./candidate.js";

/**
 * The symbol that makes any object an event (Racket's `prop:evt`). Its value, own or inherited, is
 * either an event (the object acts as it) or a function called with the object at each sync (its
 * result is used; a non-event result makes the object ready with itself as the result).
 *
 * @example
 * ```ts
 * import { propEvt, sync, alwaysEvt, wrapEvt } from "@rendezvous/core";
 * const job = { [propEvt]: wrapEvt(alwaysEvt, () => "done") };
 * await sync(job); // "done"
 * ```
 */
export const propEvt: unique symbol = Symbol.for("rendezvous.propEvt");

/** An object that acts as an event through {@link propEvt}. */
export interface PropEvtObject {
  readonly [propEvt]: Evt<unknown> | ((self: never) => unknown) | unknown;
}

/** Anything `sync` accepts: an {@link Evt} or an object with a {@link propEvt} property. */
export type Syncable<T = unknown> = Evt<T> | PropEvtObject;

/** The result type of a syncable. */
export type EvtResult<E> = E extends Evt<infer T> ? T : unknown;

/**
 * A synchronizable event: something `sync` can wait on, whose synchronization result is a `T`.
 * Events are values: creating one does nothing; `sync` decides, commits and delivers.
 *
 * Subclasses are the node kinds of the event tree (primitive, choice, wrap, handle, guard,
 * nack-guard, replace); user code composes them with the combinators rather than subclassing.
 *
 * @typeParam T - the synchronization result.
 *
 * @example
 * ```ts
 * import { Evt, alwaysEvt, isEvt } from "@rendezvous/core";
 * alwaysEvt instanceof Evt; // true
 * isEvt(alwaysEvt); // true
 * ```
 */
export abstract class Evt<T = unknown> {
  // Phantom member: keeps T in the type so Evt<number> and Evt<string> differ.
  declare readonly __result?: T;
}

/**
 * The value a primitive's `poll` returns when the event is not ready.
 * @example
 * ```ts
 * import { NOT_READY } from "@rendezvous/core/protocol";
 * typeof NOT_READY; // "symbol"
 * ```
 */
export const NOT_READY: unique symbol = Symbol("rendezvous.notReady");
/** The type of {@link NOT_READY}. */
export type NotReady = typeof NOT_READY;

/**
 * A primitive event: the leaves of an event tree. A primitive implements three operations, all
 * synchronous and called by the sync engine only:
 *
 * - `poll(c)`: test readiness **and commit in the same step** (consume the semaphore count, take the
 *   channel value, shift the datagram), returning the result, or {@link NOT_READY}.
 * - `block(c)`: register `c` as a waiter. Later, whoever makes the event ready (a poster, a partner,
 *   an arriving datagram) checks `c.run.done`, commits, and calls `c.commit(result)`.
 * - `abandon(c)`: withdraw the registration of a losing or cancelled waiter. Idempotent.
 *
 * The engine guarantees `block` only follows a `poll` that returned {@link NOT_READY} within the same
 * synchronous step, and that `abandon` is called for every blocked waiter that was not committed.
 *
 * @example
 * ```ts
 * import { PrimitiveEvt, NOT_READY, type Candidate } from "@rendezvous/core/protocol";
 * // An event that is ready once `open` is set, with result "open".
 * class Gate extends PrimitiveEvt<string> {
 *   open = false;
 *   poll(_c: Candidate) { return this.open ? "open" : NOT_READY; }
 *   block(_c: Candidate) {}
 *   abandon(_c: Candidate) {}
 * }
 * ```
 */
export abstract class PrimitiveEvt<T = unknown> extends Evt<T> {
  /** Tests readiness and commits in one step; returns the result or {@link NOT_READY}. */
  abstract poll(c: Candidate): T | NotReady;
  /** Registers `c` as a waiter to be committed later with `c.commit(result)`. */
  abstract block(c: Candidate): void;
  /** Withdraws a registration made by `block`; must be idempotent. */
  abstract abandon(c: Candidate): void;

  /**
   * Whether waiters of this primitive may stay registered across syncs (see
   * `engine/standing.ts`). A primitive that says `true` keeps its waiters in `WaiterQueue`s, and
   * calls `c.skipped()` on every waiter whose `run.done` it meets while scanning or waking.
   */
  get supportsStanding(): boolean {
    return false;
  }
}

/**
 * A result that raises when its event is chosen: Racket's "ready-and-raise" events (a closed
 * listener, a closed UDP socket). A primitive returns `new RaiseResult(err)` from `poll` (or commits
 * it) and the sync settles with `err`; wraps around it do not run.
 *
 * @example
 * ```ts
 * import { RaiseResult } from "@rendezvous/core/protocol";
 * const r = new RaiseResult(new Error("closed"));
 * r.error.message; // "closed"
 * ```
 */
export class RaiseResult {
  constructor(readonly error: unknown) {}
}
