// The mailbox bindings: threadSend to any thread; the receives read the calling thread's mailbox.
import { pollNow, syncOne } from "../engine/sync.js";
import { check, checkProcedure } from "../errors/contract.js";
import { ExnFailContract } from "../errors/exn.js";
import type { Mailbox } from "./mailbox.js";
import { ThreadReceiveEvt } from "./mailbox.js";
import { Thread, checkNotKilled, currentThread } from "./thread.js";

/**
 * Queues `v` in thread `t`'s mailbox (Racket's `thread-send`) and returns `undefined`. If `t` has
 * terminated, calls `failThunk` and returns its result instead; with the default `failThunk`
 * that raises {@link ExnFailContract} `"thread-send: target thread is not running"`, and with
 * `false` it returns `false`.
 *
 * @example
 * ```ts
 * import { thread, threadSend, threadReceive } from "@rendezvous/core";
 * const t = thread(async () => {
 *   console.log(await threadReceive()); // "hello"
 * });
 * threadSend(t, "hello");
 * ```
 */
export function threadSend<F = never>(
  t: Thread,
  v: unknown,
  failThunk: (() => F) | false = defaultFail,
): undefined | F | false {
  check(t instanceof Thread, "thread-send", "thread?", t, 1);
  if (failThunk !== false && failThunk !== undefined) checkProcedure("thread-send", failThunk, 3);
  checkNotKilled();
  if (t.dead) {
    if (failThunk === false) return false;
    return (failThunk ?? defaultFail)();
  }
  t.mailbox.push(v);
  return undefined;
}

function defaultFail(): never {
  throw new ExnFailContract("thread-send: target thread is not running");
}

/**
 * Waits for a message in the calling thread's mailbox and dequeues it (Racket's
 * `thread-receive`). Outside every thread, it reads the main thread's mailbox.
 *
 * @example
 * ```ts
 * import { threadSend, threadReceive, currentThread } from "@rendezvous/core";
 * threadSend(currentThread(), 1);
 * await threadReceive(); // 1
 * ```
 */
export function threadReceive(): Promise<unknown> {
  return syncOne(currentThread().mailbox.takeEvt);
}

/**
 * Dequeues a message from the calling thread's mailbox, or returns `false` at once if it is empty
 * (Racket's `thread-try-receive`).
 *
 * @example
 * ```ts
 * import { threadTryReceive } from "@rendezvous/core";
 * threadTryReceive(); // false
 * ```
 */
export function threadTryReceive(): unknown {
  return pollNow([currentThread().mailbox.takeEvt], false);
}

function mailboxOfSyncer(): Mailbox {
  return currentThread().mailbox;
}

const receiveEvt = new ThreadReceiveEvt(mailboxOfSyncer);

/**
 * Returns the event that is ready when the mailbox of the thread syncing on it is non-empty
 * (Racket's `thread-receive-evt`); it dequeues nothing and its result is the event itself. Always
 * the same event.
 *
 * @example
 * ```ts
 * import { threadReceiveEvt, threadSend, threadReceive, currentThread, sync } from "@rendezvous/core";
 * threadSend(currentThread(), "x");
 * await sync(threadReceiveEvt()); // the event: a message is waiting
 * await threadReceive(); // "x"
 * ```
 */
export function threadReceiveEvt(): ThreadReceiveEvt {
  return receiveEvt;
}
