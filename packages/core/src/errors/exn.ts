/**
 * Racket's exception hierarchy, as ES2022 error classes.
 *
 * `Exn` ⊃ `ExnFail` ⊃ `ExnFailContract`, `ExnFailNetwork` ⊃ `ExnFailNetworkErrno`, and
 * `Exn` ⊃ `ExnBreak`. A break is not a failure (Racket's `exn:break` is not an `exn:fail`), so
 * `catch (e) { if (e instanceof ExnFail) … }` lets breaks through, as in Racket.
 */

/**
 * The root of Rendezvous' exceptions (Racket's `exn`).
 *
 * @example
 * ```ts
 * import { Exn, ExnFail } from "@rendezvous/core";
 * new ExnFail("boom") instanceof Exn; // true
 * ```
 */
export class Exn extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * A failure (Racket's `exn:fail`): raised for errors the program may want to handle.
 *
 * @example
 * ```ts
 * import { ExnFail, makePipe, writeBytes, closeOutputPort } from "@rendezvous/core";
 * const [, out] = makePipe();
 * closeOutputPort(out);
 * try { await writeBytes(new Uint8Array([1]), out); } catch (e) { e instanceof ExnFail; } // true
 * ```
 */
export class ExnFail extends Exn {}

/**
 * A contract violation (Racket's `exn:fail:contract`): a bad argument. The message starts with the
 * Racket name of the function, e.g. `sync: contract violation`.
 *
 * @example
 * ```ts
 * import { sync, ExnFailContract } from "@rendezvous/core";
 * try { await sync(5 as never); } catch (e) { (e as Error).message.startsWith("sync: contract violation"); } // true
 * ```
 */
export class ExnFailContract extends ExnFail {}

/**
 * A network failure (Racket's `exn:fail:network`): a socket that is closed, not connected, …
 *
 * @example
 * ```ts
 * import { ExnFailNetwork } from "@rendezvous/core";
 * const e = new ExnFailNetwork("udp-send: udp socket is closed");
 * e instanceof ExnFailNetwork; // true
 * ```
 */
export class ExnFailNetwork extends ExnFail {}

/** The kind of an errno: a POSIX error code or a name-resolution (`getaddrinfo`) error. */
export type ErrnoKind = "posix" | "gai" | "windows";

/**
 * A network failure with an operating-system error code (Racket's `exn:fail:network:errno`).
 * `errno` is `[code, kind]`, e.g. `[111, "posix"]` for ECONNREFUSED on Linux or `[-2, "gai"]` for an
 * unknown host.
 *
 * @example
 * ```ts
 * import { ExnFailNetworkErrno } from "@rendezvous/core";
 * const e = new ExnFailNetworkErrno("tcp-connect: connection failed", [111, "posix"]);
 * e.errno; // [111, "posix"]
 * ```
 */
export class ExnFailNetworkErrno extends ExnFailNetwork {
  /** `[code, kind]`: the numeric error code and whether it is a POSIX or a resolver code. */
  readonly errno: [number, ErrnoKind];
  constructor(message: string, errno: [number, ErrnoKind], options?: ErrorOptions) {
    super(message, options);
    this.errno = errno;
  }
}

/**
 * A break (Racket's `exn:break`): an `AbortSignal` given to an `…EnableBreak` call was aborted, or
 * `breakThread` was called, while the call was waiting. Nothing was committed.
 *
 * @example
 * ```ts
 * import { syncEnableBreak, neverEvt, ExnBreak } from "@rendezvous/core";
 * const ac = new AbortController();
 * const p = syncEnableBreak(ac.signal, neverEvt);
 * ac.abort();
 * try { await p; } catch (e) { e instanceof ExnBreak; } // true
 * ```
 */
export class ExnBreak extends Exn {}
