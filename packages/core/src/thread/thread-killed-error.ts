/**
 * The error with which a killed thread's pending sync settles, and which every later runtime call
 * from its body throws (Racket simply stops a killed thread; an async function cannot be stopped,
 * so its body is unwound instead: `finally` blocks run, and nothing they sync on can succeed).
 *
 * It is not an {@link Exn}: handlers written for Racket's exceptions (`e instanceof ExnFail`,
 * `e instanceof ExnBreak`) let it through, as nothing in Racket can catch a kill. An uncaught one
 * ends the body silently.
 *
 * @example
 * ```ts
 * import { thread, killThread, sync, neverEvt, ThreadKilledError } from "@rendezvous/core";
 * const t = thread(async () => {
 *   try {
 *     await sync(neverEvt);
 *   } catch (e) {
 *     console.log(e instanceof ThreadKilledError); // true
 *     throw e;
 *   }
 * });
 * setTimeout(() => killThread(t), 10);
 * ```
 */
export class ThreadKilledError extends Error {
  constructor(message = "thread: the thread has been killed") {
    super(message);
    this.name = "ThreadKilledError";
  }
}
