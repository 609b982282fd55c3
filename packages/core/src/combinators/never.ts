import { NeverEvt } from "../protocol/nodes.js";

/**
 * An event that is never ready (Racket's `never-evt`). `sync` drops it from its candidates, so
 * `sync(neverEvt)` waits forever (until a break or a timeout).
 *
 * @example
 * ```ts
 * import { syncTimeout, neverEvt } from "@rendezvous/core";
 * await syncTimeout(0, neverEvt); // false
 * ```
 */
export const neverEvt: NeverEvt = new NeverEvt();
