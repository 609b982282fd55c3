import { check } from "../errors/contract.js";
import { Thread } from "./thread.js";

/**
 * Breaks thread `t` (Racket's `break-thread`): the sync `t`'s body is waiting in — or, if it is
 * not waiting, the next one it starts — settles with {@link ExnBreak}, exactly once. The broken
 * sync commits nothing and its NACKs fire. A sync that was already decided keeps its result; the
 * break then waits for the body's next sync (Racket would raise it as the body resumes and lose the
 * result; we never lose a committed value). While a break waits, further breaks are absorbed. A
 * dead thread ignores breaks.
 *
 * @example
 * ```ts
 * import { thread, breakThread, sync, neverEvt, ExnBreak } from "@rendezvous/core";
 * const t = thread(async () => {
 *   try {
 *     await sync(neverEvt);
 *   } catch (e) {
 *     console.log(e instanceof ExnBreak); // true
 *   }
 * });
 * setTimeout(() => breakThread(t), 10);
 * ```
 */
export function breakThread(t: Thread): void {
  check(t instanceof Thread, "break-thread", "thread?", t, 1);
  t.break();
}

/**
 * Kills thread `t` (Racket's `kill-thread`): `t` is dead at once (its dead event is ready), the
 * sync its body was waiting in is abandoned — its NACKs fire and nothing is consumed — and settles
 * with {@link ThreadKilledError} so the body unwinds, and every later runtime call from the body
 * throws that error. Killing a dead thread does nothing. Killing the calling thread throws (the
 * call does not return, as in Racket).
 *
 * @throws {@link ExnFailContract} for the main thread: it stands for all code outside threads,
 * which the library cannot stop (Racket would exit the process).
 *
 * @example
 * ```ts
 * import { thread, killThread, isThreadDead, makeChannel, channelGet } from "@rendezvous/core";
 * const ch = makeChannel();
 * const t = thread(() => channelGet(ch));
 * await Promise.resolve();
 * killThread(t);
 * isThreadDead(t); // true
 * ```
 */
export function killThread(t: Thread): void {
  check(t instanceof Thread, "kill-thread", "thread?", t, 1);
  t.kill();
}
