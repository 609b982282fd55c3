// Rendezvous threads: an async function run by the runtime, with a mailbox, breaks and kills. The
// current thread is found through AsyncLocalStorage, so it follows `await`; it is also the SyncHost
// through which every sync started in its body can be broken or killed.
import { AsyncLocalStorage } from "node:async_hooks";
import type { Subscription } from "rxjs";
import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { WaiterQueue } from "../protocol/waiter-queue.js";
import { atomicDepth, atomically } from "../engine/atomic.js";
import { syncOne } from "../engine/sync.js";
import type { SyncRun } from "../engine/sync-run.js";
import { setSyncHostProvider, type SyncHost, type SyncRunner } from "../engine/sync-host.js";
import { check, checkProcedure, racketValueString } from "../errors/contract.js";
import { ExnBreak, ExnFailContract } from "../errors/exn.js";
import { custodianManageThread, custodianStorage, type Custodian } from "../custodian/custodian.js";
import { Mailbox } from "./mailbox.js";
import { ThreadKilledError } from "./thread-killed-error.js";

/** The thread whose body is running; `undefined` outside every thread (the main thread). @internal */
export const threadStorage = new AsyncLocalStorage<Thread>();

/**
 * A Rendezvous thread (Racket's thread), made by {@link thread}. As an event it is ready once the
 * thread has terminated (its body returned or threw, or it was killed); its result is the thread.
 *
 * Implements `Symbol.asyncDispose`: `await using t = thread(…)` kills the thread at scope exit.
 *
 * @example
 * ```ts
 * import { thread, sync, Thread } from "@rendezvous/core";
 * const t = thread(async () => {});
 * t instanceof Thread; // true
 * (await sync(t)) === t; // true, once the body has returned
 * ```
 */
export class Thread extends PrimitiveEvt<Thread> implements SyncHost {
  /** @internal */ dead = false;
  /** @internal */ killed = false;
  /** @internal */ breakPending = false;
  /**
   * The syncs started by this thread's body that are still undecided, oldest first, each with
   * whether it was started inside another sync's step (by a guard or a NACK maker: a helper that
   * nobody awaits, such as a NACK watcher). @internal
   */
  // Parallel arrays rather than a Map: a body's syncs almost always settle last-in first-out, so
  // `leave` is a pop; this runs on every sync of every thread.
  private readonly pendingRuns: SyncRun[] = [];
  private readonly pendingHelper: boolean[] = [];
  /** @internal */ readonly mailbox = new Mailbox();
  /** @internal */ registration: Subscription | null = null;
  /** @internal */ readonly deadWaiters = new WaiterQueue();
  private deadEvt: ThreadDeadEvt | null = null;

  /** @internal */
  constructor(readonly isMain: boolean) {
    super();
  }

  /** @internal */ get deadEvent(): ThreadDeadEvt {
    return (this.deadEvt ??= new ThreadDeadEvt(this));
  }

  poll(_c: Candidate): Thread | NotReady {
    return this.dead ? this : NOT_READY;
  }
  block(c: Candidate): void {
    this.deadWaiters.push(c);
  }
  abandon(c: Candidate): void {
    this.deadWaiters.remove(c);
  }

  // -- SyncHost: every top-level sync started by the body comes through here -----------------

  /** @internal */
  enter(run: SyncRun): unknown {
    if (this.killed) throw new ThreadKilledError();
    // Depth 1 is the sync's own step; more means a guard or a maker of another sync started it.
    const helper = atomicDepth() > 1;
    if (this.breakPending && !helper) {
      // Racket checks for a pending break before polling: the break wins over ready events.
      this.breakPending = false;
      return new ExnBreak("user break");
    }
    if (!this.dead) {
      this.pendingRuns.push(run);
      this.pendingHelper.push(helper);
    }
    return undefined;
  }
  /** @internal */
  leave(run: SyncRun): void {
    const runs = this.pendingRuns;
    for (let i = runs.length - 1; i >= 0; i--) {
      if (runs[i] === run) {
        if (i === runs.length - 1) {
          runs.pop();
          this.pendingHelper.pop();
        } else {
          runs.splice(i, 1);
          this.pendingHelper.splice(i, 1);
        }
        return;
      }
    }
  }
  /** @internal */
  runner(_run: SyncRun | null): SyncRunner {
    return (this.contexts ??= new Contexts(this.isMain ? undefined : this)).runner();
  }
  private contexts: Contexts | null = null;

  // -- termination ---------------------------------------------------------------------------

  /** Marks the thread terminated and wakes whoever waits for that. @internal */
  markDead(): void {
    if (this.dead) return;
    this.dead = true;
    this.breakPending = false;
    this.mailbox.clear();
    atomically(() => {
      let c: Candidate | null;
      while ((c = this.deadWaiters.shift())) if (!c.run.done) c.commit(c.prim);
    });
    // Off the custodian's list (the custodian's close, a kill, is then a no-op).
    this.registration?.unsubscribe();
  }

  /**
   * The sync the body is taken to be waiting in: the last one it started that is still pending,
   * not counting helpers started by guards. (A Racket thread waits in one sync at a time; a body
   * may leave others running unawaited, and those usually come first.) @internal
   */
  waitingIn(): SyncRun | undefined {
    let last: SyncRun | undefined;
    for (let i = 0; i < this.pendingRuns.length; i++) {
      if (!this.pendingHelper[i]) last = this.pendingRuns[i];
    }
    return last;
  }

  /**
   * Kills the thread: every pending sync is abandoned (NACKs fire, nothing is consumed); the one
   * the body waits in settles with {@link ThreadKilledError} so the body unwinds, the others never
   * settle (nobody awaits them; a rejection would go unhandled). The thread is dead at once, and
   * later runtime calls from its body throw. If it is the calling thread, throws that error too
   * (Racket's `kill-thread` does not return then). @internal
   */
  kill(): void {
    if (this.isMain) throw new ExnFailContract("kill-thread: the main thread cannot be killed");
    if (!this.dead) {
      this.killed = true;
      atomically(() => {
        const target = this.waitingIn();
        for (const run of this.pendingRuns.slice()) {
          if (run === target) run.interrupt(new ThreadKilledError());
          else run.cancel();
        }
        this.pendingRuns.length = 0;
        this.pendingHelper.length = 0;
        this.markDead();
      });
    }
    if (this.killed && threadStorage.getStore() === this) throw new ThreadKilledError();
  }

  /**
   * Breaks the thread: the sync it waits in (see {@link Thread.waitingIn}) settles with
   * {@link ExnBreak} (NACKs fire, nothing is consumed); with none, the break waits for the body's
   * next sync. A break that is still waiting absorbs further ones, as in Racket. @internal
   */
  break(): void {
    if (this.isMain) {
      throw new ExnFailContract(
        "break-thread: the main thread cannot be broken; outside threads, break with an AbortSignal (syncEnableBreak)",
      );
    }
    if (this.dead || this.breakPending) return;
    // A decided sync has already left `pending`; `interrupt` would return false only for one
    // decided in this very step, whose result then stands.
    const run = this.waitingIn();
    if (run?.interrupt(new ExnBreak("user break"))) return;
    this.breakPending = true;
  }

  /** Kills the thread (see {@link killThread}). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.kill();
  }
}

/**
 * The class of {@link threadDeadEvt}'s events: ready once the thread terminated; result: itself.
 *
 * @example
 * ```ts
 * import { thread, threadDeadEvt, ThreadDeadEvt } from "@rendezvous/core";
 * threadDeadEvt(thread(() => {})) instanceof ThreadDeadEvt; // true
 * ```
 */
export class ThreadDeadEvt extends PrimitiveEvt<ThreadDeadEvt> {
  /** @internal */
  constructor(readonly thread: Thread) {
    super();
  }
  poll(_c: Candidate): ThreadDeadEvt | NotReady {
    return this.thread.dead ? this : NOT_READY;
  }
  block(c: Candidate): void {
    this.thread.deadWaiters.push(c);
  }
  abandon(c: Candidate): void {
    this.thread.deadWaiters.remove(c);
  }
}

/**
 * The runners of one thread (or of the code outside threads): each calls a task with that thread
 * and a given custodian current, because the party that completes a sync (another thread, a
 * shared timer) may be running in another context. The last one made is cached: a body rarely
 * changes custodian.
 */
class Contexts {
  private cust: Custodian | undefined = undefined;
  private last: SyncRunner | null = null;
  constructor(private readonly thread: Thread | undefined) {}

  runner(): SyncRunner {
    const cust = custodianStorage.getStore();
    if (this.last && this.cust === cust) return this.last;
    const th = this.thread;
    const r: SyncRunner = (task, a, b) => {
      if (threadStorage.getStore() === th && custodianStorage.getStore() === cust) task(a, b);
      else threadStorage.run(th!, inCustodian, cust, task, a, b);
    };
    this.cust = cust;
    this.last = r;
    return r;
  }
}

function inCustodian<A, B>(
  cust: Custodian | undefined,
  task: (a: A, b: B) => void,
  a: A,
  b: B,
): void {
  custodianStorage.run(cust!, task, a, b);
}

/** Stands for all code that runs outside every thread. @internal */
export const mainThread = new Thread(true);

// Code outside threads cannot be broken or killed (its syncs are not tracked: that would cost
// every sync of a program that uses no threads); it only gets its outcomes run in its context.
const outsideContexts = new Contexts(undefined);
const outsideHost: SyncHost = {
  enter: () => undefined,
  leave: () => {},
  runner: () => outsideContexts.runner(),
};

/**
 * Returns a runner that calls a task with the current thread and custodian restored, for work that
 * another party triggers later (the next sync of a subscription).
 * @internal
 */
export function captureSyncContext(): SyncRunner {
  const t = threadStorage.getStore();
  return t ? t.runner(null) : outsideContexts.runner();
}

function currentHost(): SyncHost {
  return threadStorage.getStore() ?? outsideHost;
}
setSyncHostProvider(currentHost);

/** Throws if the calling thread has been killed: a killed body can do nothing more. @internal */
export function checkNotKilled(): void {
  if (threadStorage.getStore()?.killed) throw new ThreadKilledError();
}

/** The uncaught error of a thread body, shown the way Racket's error display handler would. */
function reportUncaught(err: unknown): void {
  const text =
    err instanceof Error
      ? (err.stack ?? `${err.name}: ${err.message}`)
      : `uncaught exception: ${racketValueString(err)}`;
  console.error(text);
}

function runBody(t: Thread, thunk: () => unknown): void {
  if (t.dead) return; // killed before it started
  let out: unknown;
  try {
    out = threadStorage.run(t, thunk);
  } catch (err) {
    bodyEnded(t, false, err);
    return;
  }
  Promise.resolve(out).then(
    () => bodyEnded(t, true, undefined),
    (err: unknown) => bodyEnded(t, false, err),
  );
}

function bodyEnded(t: Thread, ok: boolean, err: unknown): void {
  // A killed body unwinds with whatever it throws; Racket's killed thread reports nothing.
  if (!ok && !t.killed) reportUncaught(err);
  t.markDead();
}

/**
 * Runs `thunk` (which may be async) as a new thread and returns the thread at once; the body
 * starts asynchronously, in a later microtask (Racket's `thread`). The thread is managed by the
 * current custodian and inherits the current custodian as its own. It terminates when `thunk`
 * returns or its promise settles; an uncaught error is reported on `console.error` (like Racket's
 * error display handler) and ends only that thread.
 *
 * @throws {@link ExnFailContract} `"thread: the custodian has been shut down"` if the current
 * custodian has been.
 *
 * @example
 * ```ts
 * import { thread, threadWait, makeChannel, channelPut, channelGet } from "@rendezvous/core";
 * const ch = makeChannel<number>();
 * const t = thread(async () => {
 *   await channelPut(ch, 42);
 * });
 * await channelGet(ch); // 42
 * await threadWait(t);
 * ```
 */
export function thread(thunk: () => unknown): Thread {
  checkProcedure("thread", thunk, 1);
  checkNotKilled();
  const t = new Thread(false);
  // When the thread dies it unsubscribes this registration, which calls the close again: a no-op.
  t.registration = custodianManageThread("thread", t, () => {
    if (!t.dead) t.kill();
  });
  queueMicrotask(() => runBody(t, thunk));
  return t;
}

/**
 * `true` if `v` is a thread (Racket's `thread?`).
 * @example
 * ```ts
 * import { isThread, currentThread } from "@rendezvous/core";
 * isThread(currentThread()); // true
 * ```
 */
export function isThread(v: unknown): v is Thread {
  return v instanceof Thread;
}

/**
 * Returns the thread whose body is running (Racket's `current-thread`); it follows `await`. Code
 * outside every thread gets the main thread object.
 *
 * @example
 * ```ts
 * import { thread, currentThread } from "@rendezvous/core";
 * const t = thread(async () => {
 *   await Promise.resolve();
 *   console.log(currentThread() === t); // true
 * });
 * ```
 */
export function currentThread(): Thread {
  return threadStorage.getStore() ?? mainThread;
}

const THREAD = "thread?";

/**
 * Waits until `t` has terminated (Racket's `thread-wait`).
 * @example
 * ```ts
 * import { thread, threadWait } from "@rendezvous/core";
 * const t = thread(async () => {});
 * await threadWait(t);
 * ```
 */
export async function threadWait(t: Thread): Promise<void> {
  check(t instanceof Thread, "thread-wait", THREAD, t, 1);
  await syncOne(t);
}

/**
 * Returns the event that is ready once `t` has terminated (Racket's `thread-dead-evt`); its result
 * is the event itself. Always the same event for one thread.
 *
 * @example
 * ```ts
 * import { thread, threadDeadEvt, sync } from "@rendezvous/core";
 * const t = thread(() => {});
 * const dead = threadDeadEvt(t);
 * (await sync(dead)) === dead; // true
 * ```
 */
export function threadDeadEvt(t: Thread): ThreadDeadEvt {
  check(t instanceof Thread, "thread-dead-evt", THREAD, t, 1);
  return t.deadEvent;
}

/**
 * `true` if `t` has not terminated (Racket's `thread-running?`; Rendezvous threads are never
 * suspended).
 * @example
 * ```ts
 * import { isThreadRunning, currentThread } from "@rendezvous/core";
 * isThreadRunning(currentThread()); // true
 * ```
 */
export function isThreadRunning(t: Thread): boolean {
  check(t instanceof Thread, "thread-running?", THREAD, t, 1);
  return !t.dead;
}

/**
 * `true` if `t` has terminated (Racket's `thread-dead?`).
 * @example
 * ```ts
 * import { thread, threadWait, isThreadDead } from "@rendezvous/core";
 * const t = thread(() => {});
 * await threadWait(t);
 * isThreadDead(t); // true
 * ```
 */
export function isThreadDead(t: Thread): boolean {
  check(t instanceof Thread, "thread-dead?", THREAD, t, 1);
  return t.dead;
}
