import type { Syncable, EvtResult } from "../protocol/evt.js";
import { contractViolation, check } from "../errors/contract.js";
import { isEvt, SyncRun, type SyncLimits } from "./sync-run.js";

const NO_LIMITS: SyncLimits = { timeoutMs: Infinity };
const TIMEOUT_CONTRACT = "(or/c #f (and/c real? (not/c negative?)) (-> any))";

type ResultOf<E extends readonly Syncable[]> = EvtResult<E[number]>;

function checkEvts(who: string, evts: readonly unknown[], firstPos: number): void {
  for (let i = 0; i < evts.length; i++) {
    if (!isEvt(evts[i])) throw contractViolation(who, "evt?", evts[i], i + firstPos);
  }
}

function checkSignal(who: string, signal: unknown): void {
  check(signal instanceof AbortSignal, who, "AbortSignal", signal, 1);
}

function limitsFor(
  who: string,
  timeout: unknown,
  pos: number,
  signal?: AbortSignal,
): SyncLimits & { poll: boolean } {
  if (timeout === false || timeout === undefined || timeout === null)
    return { timeoutMs: Infinity, signal, poll: false };
  if (typeof timeout === "function")
    return { timeoutMs: 0, thunk: timeout as () => unknown, signal, poll: true };
  if (typeof timeout === "number" && timeout >= 0)
    return { timeoutMs: timeout * 1000, signal, poll: timeout === 0 };
  throw contractViolation(who, TIMEOUT_CONTRACT, timeout, pos);
}

function resolveVoid(resolve: (v: undefined) => void): (v: unknown) => void {
  return () => resolve(undefined);
}

/**
 * Syncs on one event (already contract-checked) and resolves with `undefined` instead of its
 * result: the edge of Racket's void-returning bindings (`channel-put`, `semaphore-wait`, …), without
 * a second promise.
 * @internal
 */
export function syncVoid(evt: Syncable, signal?: AbortSignal): Promise<void> {
  const r = new SyncRun(false, recordVoid, recordErr, undefined, true);
  try {
    r.start([evt], signal ? { timeoutMs: Infinity, signal } : NO_LIMITS);
  } catch (e) {
    return Promise.reject(e);
  }
  if (r.outcome === 1) return Promise.resolve();
  if (r.outcome === 2) return Promise.reject(r.value);
  pendingRun = r;
  return new Promise(attachVoidExecutor);
}

function recordVoid(this: SyncRun): void {
  this.outcome = 1;
}
function attachVoidExecutor(resolve: (v: undefined) => void, reject: (e: unknown) => void): void {
  const r = pendingRun!;
  pendingRun = null;
  r.onOk = resolveVoid(resolve);
  r.onErr = reject;
}

/** Syncs on one event (already contract-checked); the internal twin of `sync(evt)`. @internal */
export function syncOne<T>(evt: Syncable<T>): Promise<T> {
  return run([evt], NO_LIMITS, false);
}

// The promise edge. A sync is started before its promise exists: one decided at once records its
// outcome on the run and gets an already-settled promise (no executor, no resolving functions);
// only a sync that blocks pays for `new Promise`.
function recordOk(this: SyncRun, v: unknown): void {
  this.outcome = 1;
  this.value = v;
}
function recordErr(this: SyncRun, e: unknown): void {
  this.outcome = 2;
  this.value = e;
}
let pendingRun: SyncRun | null = null;
function attachExecutor(resolve: (v: any) => void, reject: (e: unknown) => void): void {
  const r = pendingRun!;
  pendingRun = null;
  r.onOk = resolve;
  r.onErr = reject;
}

/** Starts a sync and returns its promise; the promise is already settled if an event was ready. */
function run(evts: readonly Syncable[], limits: SyncLimits, poll: boolean): Promise<any> {
  const r = new SyncRun(poll, recordOk, recordErr, undefined, true);
  try {
    r.start(evts, limits);
  } catch (e) {
    // A refusal thrown by the thread layer (a killed thread's later call).
    return Promise.reject(e);
  }
  return promiseOf(r);
}

function promiseOf(r: SyncRun): Promise<any> {
  if (r.outcome === 1) return Promise.resolve(r.value);
  if (r.outcome === 2) return Promise.reject(r.value);
  pendingRun = r;
  return new Promise(attachExecutor);
}

/**
 * Waits until one of `evts` is ready, commits exactly that one, and resolves with its
 * synchronization result (Racket's `sync`). Choices are flattened, the candidates rotated by a
 * pseudo-random offset (see {@link currentEvtPseudoRandomGenerator}) and polled in order: the first
 * ready one commits. With no events, waits forever.
 *
 * A sync whose event is already ready commits before `sync` returns: nothing is scheduled.
 *
 * @throws {@link ExnFailContract} (as a rejected promise) if an argument is not an event.
 *
 * @example
 * ```ts
 * import { sync, makeChannel, channelPut, wrapEvt, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";
 * const ch = makeChannel<string>();
 * void channelPut(ch, "hello");
 * const r = await sync(
 *   wrapEvt(ch, (v) => `got ${v}`),
 *   wrapEvt(alarmEvt(currentInexactMilliseconds() + 100), () => "timeout"),
 * ); // "got hello"
 * ```
 */
export function sync<E extends readonly Syncable[]>(...evts: E): Promise<ResultOf<E>> {
  try {
    checkEvts("sync", evts, 1);
  } catch (e) {
    return Promise.reject(e);
  }
  return run(evts, NO_LIMITS, false);
}

/**
 * Like {@link sync}, with a timeout (Racket's `sync/timeout`): `timeout` is `false` (no limit), a
 * number of **seconds** (`0` polls each event once), or a thunk called — its value becomes the
 * result — only if no event is ready when polled. Resolves with `false` when the time runs out.
 *
 * @example
 * ```ts
 * import { syncTimeout, makeChannel } from "@rendezvous/core";
 * await syncTimeout(0.05, makeChannel()); // false, after 50 ms
 * await syncTimeout(() => "nothing", makeChannel()); // "nothing", at once
 * ```
 */
export function syncTimeout<E extends readonly Syncable[], R = false>(
  timeout: number | false | (() => R),
  ...evts: E
): Promise<ResultOf<E> | R | false> {
  let limits: SyncLimits & { poll: boolean };
  try {
    limits = limitsFor("sync/timeout", timeout, 1);
    checkEvts("sync/timeout", evts, 2);
  } catch (e) {
    return Promise.reject(e);
  }
  return run(evts, limits, limits.poll);
}

/**
 * Like {@link sync}, but aborting `signal` breaks the wait (Racket's `sync/enable-break`): the
 * promise rejects with {@link ExnBreak}, nothing is committed and every NACK fires. An
 * already-aborted signal wins over ready events. When a commit and an abort race, the commit wins
 * and its result is delivered.
 *
 * @example
 * ```ts
 * import { syncEnableBreak, neverEvt } from "@rendezvous/core";
 * const ac = new AbortController();
 * const p = syncEnableBreak(ac.signal, neverEvt);
 * setTimeout(() => ac.abort(), 10); // a pending sync alone does not keep Node running
 * await p; // rejects with ExnBreak after 10 ms
 * ```
 */
export function syncEnableBreak<E extends readonly Syncable[]>(
  signal: AbortSignal,
  ...evts: E
): Promise<ResultOf<E>> {
  try {
    checkSignal("sync/enable-break", signal);
    checkEvts("sync/enable-break", evts, 2);
  } catch (e) {
    return Promise.reject(e);
  }
  return run(evts, { timeoutMs: Infinity, signal }, false);
}

/**
 * {@link syncTimeout} and {@link syncEnableBreak} together (Racket's `sync/timeout/enable-break`).
 *
 * @example
 * ```ts
 * import { syncTimeoutEnableBreak, neverEvt } from "@rendezvous/core";
 * const ac = new AbortController();
 * await syncTimeoutEnableBreak(ac.signal, 0.01, neverEvt); // false after 10 ms, unless aborted first
 * ```
 */
export function syncTimeoutEnableBreak<E extends readonly Syncable[], R = false>(
  signal: AbortSignal,
  timeout: number | false | (() => R),
  ...evts: E
): Promise<ResultOf<E> | R | false> {
  let limits: SyncLimits & { poll: boolean };
  try {
    checkSignal("sync/timeout/enable-break", signal);
    limits = limitsFor("sync/timeout/enable-break", timeout, 2, signal);
    checkEvts("sync/timeout/enable-break", evts, 3);
  } catch (e) {
    return Promise.reject(e);
  }
  return run(evts, limits, limits.poll);
}

/**
 * Polls `evts` once, synchronously, and returns the result, or `none` if nothing was ready. Used
 * by the never-waiting bindings (`channelTryGet`, `semaphoreTryWait`, …) that return values
 * directly. Throws what the sync would reject with.
 * @internal
 *
 * @example
 * ```ts
 * import { pollNow } from "@rendezvous/core/protocol";
 * import { makeSemaphore } from "@rendezvous/core";
 * pollNow([makeSemaphore(0)], "nothing"); // "nothing"
 * ```
 */
export function pollNow<N>(evts: readonly Syncable[], none: N): unknown {
  const out = new SyncRun(true, noop, noop).pollCaptured(evts);
  if (!out.ok) throw out.value;
  return out.chosen ? out.value : none;
}

function noop(): void {}

/**
 * Starts a sync driven by callbacks instead of a promise (for RxJS interop and the thread layer);
 * returns the run, whose `cancel()` abandons it (NACKs fire, nothing is consumed).
 * @internal
 *
 * @example
 * ```ts
 * import { syncWithCallbacks } from "@rendezvous/core/protocol";
 * import { makeChannel } from "@rendezvous/core";
 * const run = syncWithCallbacks([makeChannel()], (v) => console.log(v), (e) => console.error(e));
 * run.cancel(); // abandoned: nothing consumed, NACKs fired
 * ```
 */
export function syncWithCallbacks(
  evts: readonly Syncable[],
  onOk: (v: unknown) => void,
  onErr: (e: unknown) => void,
  limits: SyncLimits = NO_LIMITS,
): SyncRun {
  const r = new SyncRun(limits.timeoutMs === 0, onOk, onErr);
  r.start(evts, limits);
  return r;
}
