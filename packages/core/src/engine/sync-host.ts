import type { SyncRun } from "./sync-run.js";

/**
 * What a sync learns from the thread it runs in: the thread layer (../thread/) implements it so that
 * `breakThread` and `killThread` reach the thread's pending sync. Code outside any thread has none.
 * @internal
 */
export interface SyncHost {
  /**
   * Called as a top-level sync starts. Throws to refuse the call (a killed thread); returns an
   * error to settle the sync with at once, before polling (a pending break); else `undefined`.
   */
  enter(run: SyncRun): unknown;
  /** Called once when that sync settles, whichever way. */
  leave(run: SyncRun): void;
  /**
   * Optional, called as a top-level sync starts (before `enter`): returns how to run that sync's
   * deferred outcome — wraps, handlers, the timeout thunk, its callbacks — in the context of the
   * code that started it (its thread, its custodian). Whoever makes an event ready (another
   * thread, a shared timer) may be running in another context.
   */
  runner?(run: SyncRun): SyncRunner | undefined;
}

/** Calls `task(a, b)` in a sync's own context. @internal */
export type SyncRunner = <A, B>(task: (a: A, b: B) => void, a: A, b: B) => void;

let provider: (() => SyncHost | undefined) | undefined;

/**
 * Installs the function that finds the current thread's {@link SyncHost}. @internal
 *
 * @example
 * ```ts
 * import { setSyncHostProvider } from "@rendezvous/core/protocol";
 * // The thread layer installs its provider at load; a custom runtime could install its own.
 * setSyncHostProvider(() => undefined);
 * ```
 */
export function setSyncHostProvider(p: () => SyncHost | undefined): void {
  provider = p;
}

/** The current {@link SyncHost}, if any. @internal */
export function currentSyncHost(): SyncHost | undefined {
  return provider?.();
}
