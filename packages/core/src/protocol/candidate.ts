import type { PrimitiveEvt, Syncable } from "./evt.js";
import type { Standing } from "../engine/standing.js";
import type { SyncRun } from "../engine/sync-run.js";
import type { NackEvt } from "../engine/nack.js";
import type { WaiterQueue } from "./waiter-queue.js";

/** One wrapper collected while peeling an event: applied innermost-first after the commit. */
export interface WrapLink {
  readonly f: (v: any) => unknown;
  readonly next: WrapLink | null;
}

/** The NACKs of the nack-guards a candidate was reached through. */
export interface NackLink {
  readonly nack: NackEvt;
  readonly next: NackLink | null;
}

/**
 * What a waiter knows of the sync it belongs to. Primitives read `done` (the commit flag: a waiter
 * whose run is done must be treated as absent) and `owner` (who is syncing).
 */
export interface RunLike {
  /** The commit flag: `true` once the sync is decided, or when the waiter is inert. */
  readonly done: boolean;
  /** Who is syncing: channels never match a put and a get of the same owner. */
  readonly owner: object;
  /** `true` when the sync is a poll. */
  readonly poll: boolean;
  /** Commits blocked candidate `c` with `raw` (see {@link Candidate.commit}). */
  commitBlocked(c: Candidate, raw: unknown): void;
}

/**
 * One participant of a sync: a leaf of the flattened event tree, with the wrappers and NACKs of
 * the path that led to it. A candidate is also the waiter a primitive registers in `block`:
 * primitives keep candidates in their queues and complete them with {@link Candidate.commit}.
 *
 * @example
 * ```ts
 * import type { Candidate } from "@rendezvous/core/protocol";
 * // in a primitive's wake-up path:
 * function wake(c: Candidate, value: unknown) {
 *   if (!c.run.done) c.commit(value);
 * }
 * ```
 */
export class Candidate {
  /** The node this candidate currently stands for (peeled as the sync proceeds). */
  evt: Syncable;
  /** The primitive reached, once polled. */
  prim: PrimitiveEvt | null = null;
  /** Wrappers, innermost first. */
  wraps: WrapLink | null;
  /** NACKs that must not fire if this candidate is chosen. */
  nacks: NackLink | null;
  /** Set while the primitive holds this candidate as a registered waiter. */
  blocked = false;
  /** A nested sync started for a `replaceEvt`, with its maker. */
  child: SyncRun | null = null;
  maker: ((v: any) => unknown) | null = null;
  /** Free slot for the primitive's own bookkeeping (a timer, a buffer, …). */
  data: unknown = undefined;
  /** Intrusive links for {@link WaiterQueue}. */
  qprev: Candidate | null = null;
  qnext: Candidate | null = null;
  queue: WaiterQueue | null = null;
  /** For a choice synced with standing registrations: their owner (see engine/standing.ts). @internal */
  standing: Standing | null = null;

  constructor(
    /** The sync this candidate belongs to; `run.done` is its commit flag. */
    readonly run: RunLike,
    evt: Syncable,
    wraps: WrapLink | null,
    nacks: NackLink | null,
  ) {
    this.evt = evt;
    this.wraps = wraps;
    this.nacks = nacks;
  }

  /**
   * Commits this blocked candidate with `result`: the sync is decided for it, its other candidates
   * are abandoned and its wraps run. The caller must have checked `!this.run.done` and already
   * consumed what the result stands for, in the same synchronous step.
   */
  commit(result: unknown): void {
    this.run.commitBlocked(this, result);
  }

  /**
   * Tells the waiter that a primitive met it while its run was done and passed it by (or dropped
   * it from its queue). Primitives that declare `supportsStanding` must call it at every such
   * meeting; ordinary candidates ignore it. {@link WaiterQueue.push} also calls it on the waiter
   * a new one lands behind.
   */
  skipped(): void {}
}
