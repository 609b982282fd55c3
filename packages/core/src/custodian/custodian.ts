import { AsyncLocalStorage } from "node:async_hooks";
import { Subscription } from "rxjs";
import { check, checkProcedure } from "../errors/contract.js";
import { ExnFail } from "../errors/exn.js";

/**
 * A custodian (Racket's custodian): it manages threads, ports, listeners, sockets and
 * sub-custodians, and {@link custodianShutdownAll} closes them all at once. Its teardown is an RxJS
 * `Subscription` holding one child subscription per managed resource.
 *
 * Implements `Symbol.asyncDispose`: `await using c = makeCustodian()` shuts it down at scope exit.
 */
export class Custodian {
  /** @internal */ readonly subscription = new Subscription();
  /** @internal */ readonly managed = new Map<object, Subscription>();
  /** @internal */ isShutDown = false;

  /** @internal */
  constructor(readonly parent: Custodian | null) {}

  /** Shuts the custodian down (see {@link custodianShutdownAll}). */
  async [Symbol.asyncDispose](): Promise<void> {
    custodianShutdownAll(this);
  }
}

const root = new Custodian(null);
const storage = new AsyncLocalStorage<Custodian>();

/**
 * Returns the current custodian: the one installed by the innermost {@link withCustodian} around
 * this code (following `await`), or the root custodian.
 *
 * @example
 * ```ts
 * import { currentCustodian, makeCustodian, withCustodian } from "@rendezvous/core";
 * const c = makeCustodian();
 * withCustodian(c, () => currentCustodian() === c); // true
 * ```
 */
export function currentCustodian(): Custodian {
  return storage.getStore() ?? root;
}

/**
 * Runs `fn` with `c` as the current custodian, like Racket's
 * `(parameterize ([current-custodian c]) …)`; the setting follows `await` inside `fn`. Returns what
 * `fn` returns.
 *
 * @example
 * ```ts
 * import { makeCustodian, withCustodian, custodianShutdownAll, thread } from "@rendezvous/core";
 * const c = makeCustodian();
 * withCustodian(c, () => thread(async () => { /* managed by c *\/ }));
 * custodianShutdownAll(c); // kills that thread
 * ```
 */
export function withCustodian<R>(c: Custodian, fn: () => R): R {
  check(c instanceof Custodian, "with-custodian", "custodian?", c, 1);
  checkProcedure("with-custodian", fn, 2);
  return storage.run(c, fn);
}

/**
 * Makes a custodian managed by `parent` (default: the current custodian) (Racket's
 * `make-custodian`).
 *
 * @example
 * ```ts
 * import { makeCustodian, custodianShutdownAll } from "@rendezvous/core";
 * const parent = makeCustodian();
 * const child = makeCustodian(parent);
 * custodianShutdownAll(parent); // shuts child down too
 * ```
 */
export function makeCustodian(parent: Custodian = currentCustodian()): Custodian {
  check(parent instanceof Custodian, "make-custodian", "custodian?", parent, 1);
  const c = new Custodian(parent);
  custodianManage("make-custodian", c, () => custodianShutdownAll(c), parent);
  return c;
}

/**
 * `true` if `v` is a custodian.
 * @example
 * ```ts
 * import { isCustodian, currentCustodian } from "@rendezvous/core";
 * isCustodian(currentCustodian()); // true
 * ```
 */
export function isCustodian(v: unknown): v is Custodian {
  return v instanceof Custodian;
}

/**
 * Puts `resource` under `custodian` (default: the current one): shutting the custodian down calls
 * `close()` once. Returns the registration as an RxJS `Subscription`; unsubscribe it when the
 * resource closes by itself (this calls `close` again, so `close` must be idempotent, and takes the
 * resource off the custodian's list). This is how the tcp and udp packages, and user code, make
 * their own resources custodian-managed.
 *
 * @throws {@link ExnFail} `"<who>: the custodian has been shut down"` if it has.
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
  if (custodian.isShutDown) throw new ExnFail(`${who}: the custodian has been shut down`);
  const sub = new Subscription(() => {
    custodian.managed.delete(resource);
    close();
  });
  custodian.managed.set(resource, sub);
  custodian.subscription.add(sub);
  return sub;
}

/**
 * Closes everything `c` manages — kills its threads, closes its ports, listeners and sockets, and
 * shuts down its sub-custodians — and marks it shut down: creating anything under it afterwards
 * raises (Racket's `custodian-shutdown-all`). Shutting down twice does nothing more.
 *
 * @example
 * ```ts
 * import { makeCustodian, withCustodian, custodianShutdownAll, makeCustodian as mk } from "@rendezvous/core";
 * const c = makeCustodian();
 * custodianShutdownAll(c);
 * try { mk(c); } catch (e) { /* make-custodian: the custodian has been shut down *\/ }
 * ```
 */
export function custodianShutdownAll(c: Custodian): void {
  check(c instanceof Custodian, "custodian-shutdown-all", "custodian?", c, 1);
  if (c.isShutDown) return;
  c.isShutDown = true;
  c.subscription.unsubscribe();
}

/**
 * Lists what `c` manages directly — threads, ports, listeners, sockets, custodians — as seen from
 * `superior`, which must be a strict ancestor of `c` (Racket's `custodian-managed-list`).
 *
 * @throws {@link ExnFailContract} if `superior` is not an ancestor of `c`.
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
  check(a === superior, "custodian-managed-list", "a custodian that is a superior of the 1st argument", superior, 2);
  return [...c.managed.keys()];
}
