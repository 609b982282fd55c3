import { AsyncLocalStorage } from "node:async_hooks";
import { Subscription } from "rxjs";
import { check, checkProcedure } from "../errors/contract.js";
import { ExnFailContract } from "../errors/exn.js";
import { ThreadKilledError } from "../thread/thread-killed-error.js";

/** One resource under a custodian. @internal */
interface Registration {
  readonly resource: object;
  readonly close: () => void;
  /** Closed in the first pass of a shutdown (threads), before every other resource. */
  readonly first: boolean;
  closed: boolean;
  sub: Subscription;
}

/**
 * A custodian (Racket's custodian): it manages threads, ports, listeners, sockets and
 * sub-custodians, and {@link custodianShutdownAll} closes them all at once.
 *
 * Implements `Symbol.asyncDispose`: `await using c = makeCustodian()` shuts it down at scope exit.
 *
 * @example
 * ```ts
 * import { makeCustodian, withCustodian, thread, sync, neverEvt, isThreadDead } from "@rendezvous/core";
 * let t;
 * {
 *   await using c = makeCustodian();
 *   t = withCustodian(c, () => thread(() => sync(neverEvt)));
 * }
 * isThreadDead(t); // true: leaving the block shut the custodian down
 * ```
 */
export class Custodian {
  /** Live registrations, in registration order. @internal */
  readonly managed = new Map<Subscription, Registration>();
  /** @internal */ isShutDown = false;
  /** This custodian's own registration with its parent. @internal */
  registration: Subscription | null = null;

  /** @internal */
  constructor(readonly parent: Custodian | null) {}

  /** Shuts the custodian down (see {@link custodianShutdownAll}). */
  async [Symbol.asyncDispose](): Promise<void> {
    custodianShutdownAll(this);
  }
}

const root = new Custodian(null);
/** The current custodian's scope; the thread layer restores it around deferred callbacks. @internal */
export const custodianStorage = new AsyncLocalStorage<Custodian>();

/**
 * Returns the current custodian: the one installed by the innermost {@link withCustodian} around
 * this code (following `await`, and inherited by threads created there), or the root custodian.
 *
 * @example
 * ```ts
 * import { currentCustodian, makeCustodian, withCustodian } from "@rendezvous/core";
 * const c = makeCustodian();
 * withCustodian(c, () => currentCustodian() === c); // true
 * ```
 */
export function currentCustodian(): Custodian {
  return custodianStorage.getStore() ?? root;
}

/**
 * Runs `fn` with `c` as the current custodian, like Racket's
 * `(parameterize ([current-custodian c]) …)`; the setting follows `await` inside `fn` and is
 * inherited by threads `fn` creates. Returns what `fn` returns.
 *
 * @example
 * ```ts
 * import { makeCustodian, withCustodian, custodianShutdownAll, thread, sync, neverEvt } from "@rendezvous/core";
 * const c = makeCustodian();
 * const t = withCustodian(c, () => thread(() => sync(neverEvt))); // managed by c
 * custodianShutdownAll(c); // kills t
 * ```
 */
export function withCustodian<R>(c: Custodian, fn: () => R): R {
  check(c instanceof Custodian, "with-custodian", "custodian?", c, 1);
  checkProcedure("with-custodian", fn, 2);
  return custodianStorage.run(c, fn);
}

function shutDownError(who: string): ExnFailContract {
  return new ExnFailContract(`${who}: the custodian has been shut down\n  custodian: #<custodian>`);
}

/**
 * Makes a custodian managed by `parent` (default: the current custodian) (Racket's
 * `make-custodian`): shutting `parent` down shuts the new one down too.
 *
 * @throws {@link ExnFailContract} `"make-custodian: the custodian has been shut down"` if `parent`
 * has been.
 *
 * @example
 * ```ts
 * import { makeCustodian, custodianShutdownAll } from "@rendezvous/core";
 * const parent = makeCustodian();
 * const child = makeCustodian(parent);
 * custodianShutdownAll(parent); // shuts child down too
 * ```
 */
export function makeCustodian(parent?: Custodian | false): Custodian {
  const p = parent === undefined || parent === false ? currentCustodian() : parent;
  check(p instanceof Custodian, "make-custodian", "custodian?", parent, 1);
  if (p.isShutDown) throw shutDownError("make-custodian");
  const c = new Custodian(p);
  c.registration = register(p, c, () => custodianShutdownAll(c), false);
  return c;
}

/**
 * `true` if `v` is a custodian (Racket's `custodian?`).
 * @example
 * ```ts
 * import { isCustodian, currentCustodian } from "@rendezvous/core";
 * isCustodian(currentCustodian()); // true
 * ```
 */
export function isCustodian(v: unknown): v is Custodian {
  return v instanceof Custodian;
}

function register(c: Custodian, resource: object, close: () => void, first: boolean): Subscription {
  const reg: Registration = { resource, close, first, closed: false, sub: Subscription.EMPTY };
  reg.sub = new Subscription(() => closeRegistration(c, reg));
  c.managed.set(reg.sub, reg);
  return reg.sub;
}

function closeRegistration(c: Custodian, reg: Registration): void {
  if (reg.closed) return;
  reg.closed = true;
  c.managed.delete(reg.sub);
  reg.close();
}

/**
 * Puts `resource` under `custodian` (default: the current one): shutting the custodian down calls
 * `close()` once. Returns the registration as an RxJS `Subscription`; unsubscribe it when the
 * resource closes by itself: that takes the resource off the custodian's list and calls `close`
 * (if the shutdown has not already), so `close` must tolerate being called after the resource
 * closed itself. This is how the tcp and udp packages, ports, and user code make their own
 * resources custodian-managed.
 *
 * @throws {@link ExnFailContract} `"<who>: the custodian has been shut down"` if it has.
 *
 * @example
 * ```ts
 * import { custodianManage, makeCustodian, custodianShutdownAll } from "@rendezvous/core";
 * const c = makeCustodian();
 * const timer = setInterval(() => {}, 1000);
 * const reg = custodianManage("my-timer", timer, () => clearInterval(timer), c);
 * custodianShutdownAll(c); // clears the interval
 * reg.closed; // true
 * ```
 */
export function custodianManage(
  who: string,
  resource: object,
  close: () => void,
  custodian: Custodian = currentCustodian(),
): Subscription {
  check(custodian instanceof Custodian, who, "custodian?", custodian);
  checkProcedure(who, close);
  if (custodian.isShutDown) throw shutDownError(who);
  return register(custodian, resource, close, false);
}

/**
 * Like {@link custodianManage}, for threads: a shutdown kills them before it closes anything
 * else, so no thread of the custodian sees its ports or sockets close under it.
 * @internal
 */
export function custodianManageThread(
  who: string,
  thread: object,
  kill: () => void,
  custodian: Custodian = currentCustodian(),
): Subscription {
  if (custodian.isShutDown) throw shutDownError(who);
  return register(custodian, thread, kill, true);
}

function collectTree(c: Custodian, out: Custodian[]): void {
  c.isShutDown = true;
  out.push(c);
  for (const reg of c.managed.values()) {
    const r = reg.resource;
    if (r instanceof Custodian && r.parent === c && !r.isShutDown) collectTree(r, out);
  }
}

/**
 * Closes everything `c` manages, and everything its sub-custodians manage, and marks them all shut
 * down: creating anything under them afterwards raises (Racket's `custodian-shutdown-all`). Threads
 * are killed first, then ports, listeners, sockets and other resources are closed. Shutting down
 * twice does nothing more.
 *
 * If the calling thread is managed by `c`, it is killed too: once everything else is closed, the
 * call throws {@link ThreadKilledError} (Racket's call never returns). An exception from a
 * resource's `close` does not stop the others from closing; it is thrown afterwards (several: an
 * `AggregateError`).
 *
 * @example
 * ```ts
 * import { makeCustodian, custodianShutdownAll } from "@rendezvous/core";
 * const c = makeCustodian();
 * custodianShutdownAll(c);
 * try {
 *   makeCustodian(c);
 * } catch (e) {
 *   // make-custodian: the custodian has been shut down
 * }
 * ```
 */
export function custodianShutdownAll(c: Custodian): void {
  check(c instanceof Custodian, "custodian-shutdown-all", "custodian?", c, 1);
  if (c.isShutDown) return;
  const tree: Custodian[] = [];
  collectTree(c, tree);
  const errors: unknown[] = [];
  for (const first of [true, false]) {
    for (const x of tree) {
      for (const reg of [...x.managed.values()]) {
        if (reg.first !== first) continue;
        try {
          closeRegistration(x, reg);
        } catch (err) {
          errors.push(err);
        }
        reg.sub.unsubscribe();
      }
    }
  }
  // Off the parent's list: Racket no longer lists a custodian once it is shut down.
  c.registration?.unsubscribe();
  if (errors.length === 0) return;
  const killed = errors.find((e) => e instanceof ThreadKilledError);
  if (killed) throw killed;
  if (errors.length === 1) throw errors[0];
  throw new AggregateError(
    errors,
    `custodian-shutdown-all: ${errors.length} resources failed to close`,
  );
}

/**
 * Lists what `c` manages directly — threads, ports, listeners, sockets, sub-custodians, in the
 * order they were put under it — as seen from `superior`, which must be a strict ancestor of `c`
 * (Racket's `custodian-managed-list`). Dead threads, closed resources and shut-down custodians
 * are not listed.
 *
 * @throws {@link ExnFailContract} if `superior` is not a strict ancestor of `c`.
 *
 * @example
 * ```ts
 * import { makeCustodian, custodianManagedList, currentCustodian } from "@rendezvous/core";
 * const c = makeCustodian();
 * const sub = makeCustodian(c);
 * custodianManagedList(c, currentCustodian()); // [sub]
 * ```
 */
export function custodianManagedList(c: Custodian, superior: Custodian): object[] {
  check(c instanceof Custodian, "custodian-managed-list", "custodian?", c, 1);
  check(superior instanceof Custodian, "custodian-managed-list", "custodian?", superior, 2);
  let a = c.parent;
  while (a && a !== superior) a = a.parent;
  if (a !== superior) {
    throw new ExnFailContract(
      "custodian-managed-list: the second custodian does not manage the first custodian\n" +
        "  first custodian: #<custodian>\n  second custodian: #<custodian>",
    );
  }
  const out: object[] = [];
  for (const reg of c.managed.values()) out.push(reg.resource);
  return out;
}
