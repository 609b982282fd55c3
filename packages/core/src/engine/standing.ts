// Standing registrations for a choice that is synced again and again (epoll rather than select):
// its members' waiters stay registered between syncs, inert while no sync uses the choice, and the
// primitives report which members they touched meanwhile. A sync then polls only those "hot"
// members, so one active channel out of 1,000 costs about what one out of 10 does. Semantics are
// unchanged: an inert waiter is exactly an absent one (its run reads as done), and a live one is an
// ordinary blocked candidate of the current sync.
import { PrimitiveEvt, type Syncable } from "../protocol/evt.js";
import { ChoiceEvt, HandleEvt, WrapEvt } from "../protocol/nodes.js";
import { Candidate, type RunLike, type WrapLink } from "../protocol/candidate.js";
import type { SyncRun } from "./sync-run.js";

/** Choices smaller than this are cheap enough to register afresh at each sync. */
const MIN_MEMBERS = 8;

/** A member's waiter that outlives the sync that registered it. @internal */
export class StandingWaiter extends Candidate {
  constructor(
    run: StandingRun,
    prim: PrimitiveEvt,
    wraps: WrapLink | null,
    /** Position among the choice's members. */
    readonly index: number,
  ) {
    super(run, prim, wraps, null);
    this.prim = prim;
  }
  override skipped(): void {
    (this.run as StandingRun).standing.deref()?.markHot(this.index);
  }
}

/**
 * What a standing waiter sees as its run: the sync currently using the choice, or — when there is
 * none — a run that reads as done, so primitives treat the waiter as absent.
 * @internal
 */
export class StandingRun implements RunLike {
  active: SyncRun | null = null;
  // Weak: the primitives' queues hold the waiters, and they must not keep a dropped choice alive.
  readonly standing: WeakRef<Standing>;
  constructor(s: Standing) {
    this.standing = new WeakRef(s);
  }
  get done(): boolean {
    return this.active === null || this.active.done;
  }
  get owner(): object {
    return this.active ? this.active.owner : this;
  }
  get poll(): boolean {
    return this.active ? this.active.poll : false;
  }
  commitBlocked(c: Candidate, raw: unknown): void {
    const s = this.standing.deref()!;
    const w = c as StandingWaiter;
    s.markHot(w.index);
    this.active!.commitStanding(s, w, raw);
  }
}

// When a choice is collected, its waiters leave the queues they still sit in.
const cleanup = new FinalizationRegistry<StandingWaiter[]>((members) => {
  for (const w of members) {
    w.queue?.remove(w);
    (w.run as StandingRun).active = null;
  }
});

/** The standing registrations of one {@link ChoiceEvt}. @internal */
export class Standing {
  readonly run: StandingRun;
  readonly members: StandingWaiter[];
  /** Members that may have become ready (or lost their registration) since they were last polled. */
  hot: number[];
  private readonly inHot: Uint8Array;
  /** The slot candidate of the sync using the choice now (its wraps are the choice's outer wraps). */
  slot: Candidate | null = null;

  constructor(leaves: readonly [PrimitiveEvt, WrapLink | null][]) {
    this.run = new StandingRun(this);
    this.members = leaves.map(([prim, wraps], i) => new StandingWaiter(this.run, prim, wraps, i));
    // Nothing is known about a fresh member: all are hot.
    this.hot = this.members.map((_, i) => i);
    this.inHot = new Uint8Array(this.members.length).fill(1);
    cleanup.register(this, this.members);
  }

  get inUse(): boolean {
    return this.run.active !== null;
  }

  markHot(i: number): void {
    if (this.inHot[i] === 0) {
      this.inHot[i] = 1;
      this.hot.push(i);
    }
  }

  /** Marks member `i` as polled and not ready (its entry in `hot` is overwritten by the caller). */
  cool(i: number): void {
    this.inHot[i] = 0;
  }

  /** Drops the entries the caller overwrote with -1. */
  compactHot(): void {
    const h = this.hot;
    let w = 0;
    for (let r = 0; r < h.length; r++) if (h[r]! >= 0) h[w++] = h[r]!;
    h.length = w;
  }

  activate(run: SyncRun, slot: Candidate): void {
    this.run.active = run;
    this.slot = slot;
  }

  deactivate(): void {
    this.run.active = null;
    this.slot = null;
  }
}

/**
 * The standing registrations to use for `e` in this sync, or `null` to sync it the ordinary way:
 * only choices of standing-capable primitives (through wraps), synced more than once, large enough
 * to matter, and not in use by another pending sync.
 * @internal
 */
export function standingFor(e: ChoiceEvt): Standing | null {
  let s = e.standing;
  if (s === null) {
    if (++e.syncs < 2) return null;
    const leaves: [PrimitiveEvt, WrapLink | null][] = [];
    s =
      collectLeaves(e, null, leaves) && leaves.length >= MIN_MEMBERS ? new Standing(leaves) : false;
    e.standing = s;
  }
  return s === false || s.inUse ? null : s;
}

function collectLeaves(
  e: Syncable,
  wraps: WrapLink | null,
  out: [PrimitiveEvt, WrapLink | null][],
): boolean {
  if (e instanceof PrimitiveEvt) {
    if (!e.supportsStanding) return false;
    out.push([e, wraps]);
    return true;
  }
  if (e instanceof WrapEvt || e instanceof HandleEvt)
    return collectLeaves(e.inner, { f: e.f, next: wraps }, out);
  if (e instanceof ChoiceEvt) {
    for (const m of e.evts) if (!collectLeaves(m, wraps, out)) return false;
    return true;
  }
  // Guards, nack-guards, replace and prop:evt objects are evaluated afresh at each sync.
  return false;
}
