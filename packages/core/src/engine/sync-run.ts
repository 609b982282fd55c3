// One synchronization: flatten → rotate → poll in order → block everything on one commit flag →
// the first completion wins → abandon the rest, fire the losers' NACKs → run the winner's wraps.
import {
  Evt,
  NOT_READY,
  PrimitiveEvt,
  RaiseResult,
  propEvt,
  type Syncable,
} from "../protocol/evt.js";
import {
  ChoiceEvt,
  HandleEvt,
  NackGuardEvt,
  NeverEvt,
  PollGuardEvt,
  ReadyEvt,
  ReplaceEvt,
  WrapEvt,
} from "../protocol/nodes.js";
import { Candidate, type NackLink } from "../protocol/candidate.js";
import { atomically, defer, enterAtomic, exitAtomic, inNestedStep } from "./atomic.js";
import { NackEvt } from "./nack.js";
import { randomOffset } from "./random.js";
import { standingFor, type Standing, type StandingWaiter } from "./standing.js";
import { currentSyncHost, type SyncHost, type SyncRunner } from "./sync-host.js";
import { clockNow, wakeAt, type WakeUp } from "../time/clock.js";
import { ExnBreak } from "../errors/exn.js";

/** `true` when `v` is an event: an {@link Evt} or an object with a {@link propEvt} property.
 *
 * @example
 * ```ts
 * import { isEvt, alwaysEvt, propEvt } from "@rendezvous/core";
 * isEvt(alwaysEvt); // true
 * isEvt({ [propEvt]: alwaysEvt }); // true
 * isEvt(42); // false
 * ```
 */
export function isEvt(v: unknown): v is Syncable {
  return (
    v instanceof Evt ||
    (v !== null && (typeof v === "object" || typeof v === "function") && propEvt in (v as object))
  );
}

type OnOk = (v: unknown) => void;
type OnErr = (e: unknown) => void;

/** How a sync waits: forever, until a monotonic deadline, or not at all (a poll). @internal */
export interface SyncLimits {
  /** Milliseconds to wait (Infinity: no limit); 0 with `thunk` or alone means a poll. */
  readonly timeoutMs: number;
  /** Called (its value is the result) when a poll finds nothing ready. */
  readonly thunk?: (() => unknown) | undefined;
  readonly signal?: AbortSignal | undefined;
}

/**
 * One synchronization attempt over a set of events. `done` is the single commit flag that every
 * candidate's primitive checks before committing. Exported for primitive authors and the thread
 * layer; user code goes through `sync`.
 * @internal
 *
 * @example
 * ```ts
 * import { SyncRun } from "@rendezvous/core/protocol";
 * import { alwaysEvt } from "@rendezvous/core";
 * new SyncRun(false, (v) => console.log("chose", v), console.error).start([alwaysEvt], { timeoutMs: Infinity });
 * ```
 */
export class SyncRun {
  /** The commit flag: set once, when the sync is decided (chosen, timed out, failed or cancelled). */
  done = false;
  /** Who is syncing: channels never match a put and a get of the same owner. */
  readonly owner: object;
  /** `true` for a poll (`syncTimeout(0, …)` or a thunk timeout): guards see it, nothing blocks. */
  readonly poll: boolean;
  private cands: Candidate[] = [];
  private nacks: NackEvt[] | null = null;
  private wake: WakeUp | null = null;
  private signal: AbortSignal | null = null;
  private abortListener: (() => void) | null = null;
  private host: SyncHost | undefined = undefined;
  /** Runs the deferred outcome in the starter's context (see {@link SyncHost.runner}). @internal */
  runner: SyncRunner | undefined = undefined;
  /** Called with the result (as a method: `this` is the run). Replaceable until the sync settles. */
  onOk: OnOk;
  /** Called with the error (as a method: `this` is the run). */
  onErr: OnErr;
  /** Scratch for the promise edge: an outcome recorded before its promise exists. @internal */
  outcome = 0;
  /** @internal */ value: unknown = undefined;
  // While a nested (replace) sync polls inline, its outcome is captured for the parent to use at once.
  private capture = false;
  private captured: { ok: boolean; cand: Candidate | null; value: unknown } | null = null;

  // `onOk`/`onErr` are a promise's resolve/reject: settling runs no user code synchronously, so
  // results without wraps are settled at once instead of through the deferred queue.
  private readonly direct: boolean;

  constructor(poll: boolean, onOk: OnOk, onErr: OnErr, owner?: object, direct = false) {
    this.poll = poll;
    this.onOk = onOk;
    this.onErr = onErr;
    this.owner = owner ?? this;
    this.direct = direct;
  }

  /** Starts a top-level sync over `evts` (already contract-checked). */
  start(evts: readonly Syncable[], limits: SyncLimits): void {
    enterAtomic();
    try {
      this.begin(evts, limits);
    } finally {
      exitAtomic();
    }
  }

  private begin(evts: readonly Syncable[], limits: SyncLimits): void {
    const { signal } = limits;
    if (signal?.aborted) {
      this.done = true;
      this.settle(false, null, new ExnBreak("user break"));
      return;
    }
    const host = currentSyncHost();
    if (host) {
      // An outcome decided now runs before this call returns, in the caller's context; only a
      // sync started inside another step (a wrap, a handler) needs its context captured up front.
      // A captured poll applies its wraps in the caller's own step: it needs no runner.
      if (!this.capture && inNestedStep()) this.runner = host.runner?.(this);
      const refusal = host.enter(this);
      this.host = host;
      if (refusal !== undefined) {
        this.done = true;
        this.host = undefined;
        host.leave(this);
        this.settle(false, null, refusal);
        return;
      }
    }
    const deadline = limits.timeoutMs === Infinity ? Infinity : clockNow(true) + limits.timeoutMs;
    this.cands = this.topLevel(evts);
    if (!this.pollAll()) return;
    if (this.poll) return this.pollMiss(limits.thunk);
    if (host && this.runner === undefined) this.captureRunner(host);
    this.blockRange(0, this.cands.length);
    if (this.done) return;
    // An abort during polling (by a guard) was dispatched before any listener existed.
    if (signal?.aborted) return void this.interrupt(new ExnBreak("user break"));
    if (deadline !== Infinity) this.wake = wakeAt(deadline, true, () => this.expire());
    if (signal) {
      this.signal = signal;
      this.abortListener = () => this.interrupt(new ExnBreak("user break"));
      signal.addEventListener("abort", this.abortListener, { once: true });
    }
  }

  /**
   * Polls `evts` once and returns the outcome synchronously, wraps applied, even from inside a
   * handler (where deferred work would wait for the flush loop): `{ ok, chosen, value }`, with
   * `chosen` false when nothing was ready.
   */
  pollCaptured(evts: readonly Syncable[]): { ok: boolean; chosen: boolean; value: unknown } {
    this.capture = true;
    this.start(evts, { timeoutMs: 0 });
    const out = this.captured!;
    if (!out.ok) return { ok: false, chosen: true, value: out.value };
    if (!out.cand) return { ok: true, chosen: false, value: undefined };
    try {
      return { ok: true, chosen: true, value: applyWraps(out.cand, out.value) };
    } catch (err) {
      return { ok: false, chosen: true, value: err };
    }
  }

  /** Captures the starter's context before blocking: whoever completes the sync runs elsewhere. */
  private captureRunner(host: SyncHost): void {
    const r = host.runner?.(this);
    this.runner = r;
    const cands = this.cands;
    for (let i = 0; i < cands.length; i++) if (cands[i]!.child) cands[i]!.child!.runner = r;
  }

  /**
   * Settles a pending sync with `err` (a break, a kill): everything is abandoned and every NACK
   * fires. Returns `false` if the sync was already decided (then its result stands).
   */
  interrupt(err: unknown): boolean {
    return atomically(() => {
      if (this.done) return false;
      this.done = true;
      this.release(null);
      this.fireNacks(null);
      this.settle(false, null, err);
      return true;
    });
  }

  /** Abandons a pending sync without settling it (an unsubscribed observable). */
  cancel(): void {
    atomically(() => {
      if (this.done) return;
      this.done = true;
      this.release(null);
      this.fireNacks(null);
    });
  }

  /** Commits blocked candidate `c` with `raw`; see {@link Candidate.commit}. */
  commitBlocked(c: Candidate, raw: unknown): void {
    if (this.done) throw new Error("rendezvous: commit on a decided sync (primitive bug)");
    c.blocked = false;
    this.finish(c, raw);
  }

  // -- building and polling -------------------------------------------------------------------

  private topLevel(evts: readonly Syncable[]): Candidate[] {
    if (evts.length === 1) {
      const e = evts[0]!;
      if (!(e instanceof ChoiceEvt))
        return e instanceof NeverEvt ? [] : [new Candidate(this, e, null, null)];
    }
    const out: Candidate[] = [];
    for (let i = 0; i < evts.length; i++) {
      const e = evts[i]!;
      const st = e instanceof ChoiceEvt ? standingFor(e) : null;
      if (st) {
        // The whole choice is one slot; its members stay registered between syncs.
        const slot = new Candidate(this, e, null, null);
        slot.standing = st;
        out.push(slot);
      } else this.flatten(e, out, null, null);
    }
    return rotated(out);
  }

  // Choices are spliced eagerly (Racket: "to improve fairness"); `never` drops out.
  private flatten(
    e: Syncable,
    out: Candidate[],
    wraps: Candidate["wraps"],
    nacks: NackLink | null,
  ) {
    if (e instanceof ChoiceEvt) {
      for (let i = 0; i < e.evts.length; i++) this.flatten(e.evts[i]!, out, wraps, nacks);
    } else if (!(e instanceof NeverEvt)) {
      out.push(new Candidate(this, e, wraps, nacks));
    }
  }

  /** Polls every candidate; returns `false` if the sync got decided (chosen or failed). */
  private pollAll(): boolean {
    try {
      return this.pollRange(0, this.cands.length) >= 0;
    } catch (err) {
      this.failNow(err);
      return false;
    }
  }

  /** Polls `cands[start, end)`, peeling nodes in place; returns the new end, or -1 once chosen. */
  private pollRange(start: number, end: number): number {
    const cands = this.cands;
    for (let i = start; i < end; i++) {
      const c = cands[i]!;
      for (;;) {
        const e = c.evt;
        if (e instanceof PrimitiveEvt) {
          c.prim = e;
          const v = e.poll(c);
          if (v !== NOT_READY) {
            this.finish(c, v);
            return -1;
          }
          break;
        }
        if (e instanceof WrapEvt || e instanceof HandleEvt) {
          c.wraps = { f: e.f, next: c.wraps };
          c.evt = e.inner;
        } else if (e instanceof ChoiceEvt) {
          if (c.standing !== null) {
            if (this.pollStanding(c)) return -1;
            break;
          }
          const members: Candidate[] = [];
          this.flatten(e, members, c.wraps, c.nacks);
          const list = rotated(members);
          cands.splice(i, 1, ...list);
          end += list.length - 1;
          // Step back: the next round of the outer loop polls the first member, now at index i.
          i--;
          break;
        } else if (e instanceof PollGuardEvt) {
          const r = e.f(this.poll);
          c.evt = isEvt(r) ? r : new ReadyEvt(e);
        } else if (e instanceof NackGuardEvt) {
          const nack = new NackEvt();
          // Registered before the maker runs: if the maker throws, its NACK still fires.
          (this.nacks ??= []).push(nack);
          c.nacks = { nack, next: c.nacks };
          const r = e.f(nack);
          c.evt = isEvt(r) ? r : new ReadyEvt(e);
        } else if (e instanceof ReplaceEvt) {
          if (!this.startChild(c, e)) break;
        } else if (e instanceof NeverEvt) {
          cands.splice(i, 1);
          i--;
          end--;
          break;
        } else {
          const p: unknown = (e as Record<PropertyKey, unknown>)[propEvt];
          if (isEvt(p)) c.evt = p;
          else if (typeof p === "function") {
            const r: unknown = p.call(e, e);
            c.evt = isEvt(r) ? r : new ReadyEvt(e);
          } else {
            // A prop:evt value that is neither an event nor a procedure: never ready.
            cands.splice(i, 1);
            i--;
            end--;
            break;
          }
        }
      }
    }
    return end;
  }

  /**
   * Reaches a `replaceEvt`: its inner event is synced in a nested run. Returns `true` when the inner
   * event committed at once and `c` now stands for the maker's replacement; `false` when the nested
   * run is pending (it blocks with this sync and reports through {@link childDone}).
   */
  private startChild(c: Candidate, e: ReplaceEvt): boolean {
    const child: SyncRun = new SyncRun(
      this.poll,
      (v) => this.childDone(c, child, true, v),
      (err) => this.childDone(c, child, false, err),
      this.owner,
    );
    child.runner = this.runner;
    c.child = child;
    c.maker = e.maker;
    c.data = e;
    child.capture = true;
    child.cands = child.topLevel([e.inner]);
    child.pollAll();
    child.capture = false;
    const out = child.captured;
    if (!out) return false;
    c.child = null;
    if (!out.ok) throw out.value;
    const v = applyWraps(out.cand!, out.value);
    this.replaceWith(c, e, v);
    return true;
  }

  private replaceWith(c: Candidate, e: ReplaceEvt, v: unknown): void {
    const r = c.maker!(v);
    c.maker = null;
    c.data = undefined;
    c.evt = isEvt(r) ? r : new ReadyEvt(e);
  }

  /** A nested run of a blocked `replaceEvt` committed (or failed). */
  private childDone(c: Candidate, child: SyncRun, ok: boolean, v: unknown): void {
    atomically(() => {
      // The inner commit stands even when this sync already chose something else (Racket).
      if (this.done || c.child !== child) return;
      c.child = null;
      try {
        if (!ok) throw v;
        this.replaceWith(c, c.data as ReplaceEvt, v);
        const i = this.cands.indexOf(c);
        const end = this.pollRange(i, i + 1);
        if (end >= 0) this.blockRange(i, end);
      } catch (err) {
        if (!this.done) this.failNow(err);
      }
    });
  }

  /**
   * Polls a standing choice: only its hot members, in rotated order. Every member polled ends up
   * registered (inert once this sync is over); members not reached stay hot. Returns `true` when a
   * member was chosen.
   */
  private pollStanding(slot: Candidate): boolean {
    const s = slot.standing!;
    s.activate(this, slot);
    const hot = s.hot;
    const n = hot.length;
    const k = n > 1 ? randomOffset(n) : 0;
    // Members polled and found not ready leave the hot list (compacted afterwards); members not
    // reached stay hot, so with every member ready a sync costs one poll, not n.
    let cold = 0;
    let j = 0;
    try {
      for (; j < n; j++) {
        const p = (k + j) % n;
        const i = hot[p]!;
        const w = s.members[i]!;
        const v = w.prim!.poll(w);
        if (v !== NOT_READY) {
          // The chosen member stays hot: it may still be ready (more putters queued).
          if (w.queue === null) w.prim!.block(w);
          this.finish(new Candidate(this, w.prim!, w.wraps, null), v);
          return true;
        }
        // Someone queued behind it since it registered (that made it hot): to the back, as a
        // fresh block would go, so it does not jump ahead of waiters that blocked before this sync.
        if (w.queue !== null && w.qnext !== null) w.prim!.abandon(w);
        if (w.queue === null) w.prim!.block(w);
        hot[p] = -1;
        s.cool(i);
        cold++;
      }
      return false;
    } finally {
      if (cold > 0) s.compactHot();
    }
  }

  /** A standing member of this sync's choice was committed by a partner. @internal */
  commitStanding(_s: Standing, w: StandingWaiter, raw: unknown): void {
    this.finish(new Candidate(this, w.prim!, w.wraps, null), raw);
  }

  private blockRange(start: number, end: number): void {
    const cands = this.cands;
    for (let i = start; i < end && !this.done; i++) {
      const c = cands[i]!;
      if (c.standing !== null) {
        // Registered while polling; the slot needs nothing more to block.
      } else if (c.child) {
        c.child.blockRange(0, c.child.cands.length);
      } else {
        c.blocked = true;
        c.prim!.block(c);
      }
    }
  }

  // -- settling ------------------------------------------------------------------------------

  private finish(c: Candidate, raw: unknown): void {
    this.done = true;
    this.release(c);
    this.fireNacks(c.nacks);
    this.settle(true, c, raw);
  }

  private failNow(err: unknown): void {
    this.done = true;
    this.release(null);
    this.fireNacks(null);
    this.settle(false, null, err);
  }

  private pollMiss(thunk: (() => unknown) | undefined): void {
    this.done = true;
    this.release(null);
    this.fireNacks(null);
    if (this.capture) this.captured = { ok: true, cand: null, value: undefined };
    else if (thunk) defer(callThunk, this, thunk);
    else this.settle(true, null, false);
  }

  /** Delivers the outcome: captured for the caller, or deferred to the end of the atomic step. */
  private settle(ok: boolean, c: Candidate | null, value: unknown): void {
    if (this.capture) this.captured = { ok, cand: c, value };
    else if (this.direct && (!c || (c.wraps === null && !(value instanceof RaiseResult)))) {
      if (ok) this.onOk(value);
      else this.onErr(value);
    } else if (!ok) defer(deliverErr, this, value);
    else if (c) defer(deliverCand, c, value);
    else defer(deliverOk, this, value);
  }

  private expire(): void {
    if (this.done) return;
    this.wake = null;
    this.done = true;
    this.release(null);
    this.fireNacks(null);
    this.settle(true, null, false);
  }

  /** Withdraws every registration except the chosen candidate's, and the timers and listeners. */
  private release(chosen: Candidate | null): void {
    const cands = this.cands;
    for (let i = 0; i < cands.length; i++) {
      const x = cands[i]!;
      if (x.blocked && x !== chosen) {
        x.blocked = false;
        x.prim!.abandon(x);
      }
      if (x.child) {
        x.child.cancel();
        x.child = null;
      }
      if (x.standing !== null && x.standing.run.active === this) x.standing.deactivate();
    }
    if (this.wake) {
      this.wake.cancel();
      this.wake = null;
    }
    if (this.abortListener) {
      this.signal!.removeEventListener("abort", this.abortListener);
      this.abortListener = null;
      this.signal = null;
    }
    if (this.host) {
      const h = this.host;
      this.host = undefined;
      h.leave(this);
    }
  }

  /** Fires (after this atomic step) every NACK of this sync that is not on the chosen path. */
  private fireNacks(keep: NackLink | null): void {
    if (this.nacks) defer(fireLosers, this.nacks, keep);
  }

  /** @internal */ static settleOk(run: SyncRun, v: unknown): void {
    run.onOk(v);
  }
  /** @internal */ static settleErr(run: SyncRun, e: unknown): void {
    run.onErr(e);
  }
}

/** Rotates `list` left by a random offset, in place (three reversals: no copies). */
function rotated(list: Candidate[]): Candidate[] {
  const n = list.length;
  if (n < 2) return list;
  const k = randomOffset(n);
  if (k !== 0) {
    reverse(list, 0, k - 1);
    reverse(list, k, n - 1);
    reverse(list, 0, n - 1);
  }
  return list;
}

function reverse(a: Candidate[], i: number, j: number): void {
  while (i < j) {
    const t = a[i]!;
    a[i++] = a[j]!;
    a[j--] = t;
  }
}

function applyWraps(c: Candidate, raw: unknown): unknown {
  if (raw instanceof RaiseResult) throw raw.error;
  let v = raw;
  for (let w = c.wraps; w; w = w.next) v = w.f(v);
  return v;
}

function deliverCand(c: Candidate, raw: unknown): void {
  // Delivered candidates always belong to a SyncRun (standing members commit through a fresh one).
  const r = (c.run as SyncRun).runner;
  if (r) r(deliverCandHere, c, raw);
  else deliverCandHere(c, raw);
}

function deliverCandHere(c: Candidate, raw: unknown): void {
  let v: unknown;
  try {
    v = applyWraps(c, raw);
  } catch (err) {
    SyncRun.settleErr(c.run as SyncRun, err);
    return;
  }
  SyncRun.settleOk(c.run as SyncRun, v);
}

function deliverOk(run: SyncRun, v: unknown): void {
  if (run.runner) run.runner(SyncRun.settleOk, run, v);
  else SyncRun.settleOk(run, v);
}

function deliverErr(run: SyncRun, e: unknown): void {
  if (run.runner) run.runner(SyncRun.settleErr, run, e);
  else SyncRun.settleErr(run, e);
}

function callThunk(run: SyncRun, thunk: () => unknown): void {
  if (run.runner) run.runner(callThunkHere, run, thunk);
  else callThunkHere(run, thunk);
}

function callThunkHere(run: SyncRun, thunk: () => unknown): void {
  let v: unknown;
  try {
    v = thunk();
  } catch (err) {
    SyncRun.settleErr(run, err);
    return;
  }
  SyncRun.settleOk(run, v);
}

function fireLosers(nacks: NackEvt[], keep: NackLink | null): void {
  atomically(() => {
    for (const n of nacks) {
      let kept = false;
      for (let k = keep; k; k = k.next) if (k.nack === n) kept = true;
      if (!kept) n.fire();
    }
  });
}
