import { Observable } from "rxjs";
import type { EvtResult, Syncable } from "../protocol/evt.js";
import { isEvt, type SyncRun } from "../engine/sync-run.js";
import { syncWithCallbacks } from "../engine/sync.js";
import { contractViolation } from "../errors/contract.js";
import { captureSyncContext } from "../thread/thread.js";

/**
 * A cold RxJS `Observable` of `evt`'s synchronization results: each subscriber syncs on `evt`
 * again and again and receives each result, in order. The sync runs in the thread (and under the
 * custodian) that subscribed, so `breakThread` on that thread reaches it.
 *
 * - An exception from a sync (a raising wrap, a ready-and-raise event, a break) ends the stream
 *   with that error. The stream never completes by itself.
 * - Unsubscribing abandons the pending sync: its NACKs fire and nothing is consumed (a channel's
 *   value stays with the channel). Operators such as `take(3)` unsubscribe as soon as they have
 *   enough, so exactly what they take is consumed.
 * - A result is emitted in the same atomic step as its commit whenever the event is ready at once;
 *   an event that is always ready (`alwaysEvt`) emits synchronously forever unless the subscriber
 *   unsubscribes.
 *
 * @throws {@link ExnFailContract} `"to-observable: contract violation"` if `evt` is not an event.
 *
 * @example
 * ```ts
 * import { take, toArray, firstValueFrom } from "rxjs";
 * import { makeAsyncChannel, asyncChannelPut, toObservable, asyncChannelTryGet } from "@rendezvous/core";
 * const ch = makeAsyncChannel<number>();
 * for (const i of [1, 2, 3, 4]) await asyncChannelPut(ch, i);
 * await firstValueFrom(toObservable(ch).pipe(take(3), toArray())); // [1, 2, 3]
 * asyncChannelTryGet(ch); // 4: never consumed
 * ```
 */
export function toObservable<E extends Syncable>(evt: E): Observable<EvtResult<E>> {
  if (!isEvt(evt)) throw contractViolation("to-observable", "evt?", evt, 1);
  const evts = [evt];
  return new Observable<EvtResult<E>>((subscriber) => {
    const inContext = captureSyncContext();
    let pending: SyncRun | null = null;
    // The run that is current; a result from any other (already replaced) run is ignored.
    let gen = 0;
    let closed = false;

    const start = (): void => {
      const my = ++gen;
      let run: SyncRun;
      try {
        run = syncWithCallbacks(
          evts,
          (v) => {
            if (my !== gen) return;
            pending = null;
            subscriber.next(v as EvtResult<E>);
            // `subscriber.closed`: an unsubscription during a synchronous emission inside `subscribe`
            // happens before the teardown below is even registered.
            if (!closed && !subscriber.closed) inContext(startTask, undefined, undefined);
          },
          (err) => {
            if (my !== gen) return;
            pending = null;
            subscriber.error(err);
          },
        );
      } catch (err) {
        // Refused at the start (the subscribing thread was killed).
        subscriber.error(err);
        return;
      }
      // A sync decided at once has already delivered (and perhaps started the next one).
      if (!run.done) pending = run;
    };

    const startTask = (): void => start();
    start();
    return () => {
      closed = true;
      gen++;
      const r = pending;
      pending = null;
      r?.cancel();
    };
  });
}
