import { PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";

/** The class of {@link alwaysEvt}.
 *
 * @example
 * ```ts
 * import { alwaysEvt, AlwaysEvt } from "@rendezvous/core";
 * alwaysEvt instanceof AlwaysEvt; // true
 * ```
 */
export class AlwaysEvt extends PrimitiveEvt<AlwaysEvt> {
  poll(_c: Candidate): AlwaysEvt | NotReady {
    return this;
  }
  block(_c: Candidate): void {}
  abandon(_c: Candidate): void {}
}

/**
 * An event that is always ready; its synchronization result is `alwaysEvt` itself (Racket's
 * `always-evt`).
 *
 * @example
 * ```ts
 * import { sync, alwaysEvt } from "@rendezvous/core";
 * (await sync(alwaysEvt)) === alwaysEvt; // true
 * ```
 */
export const alwaysEvt: AlwaysEvt = new AlwaysEvt();
