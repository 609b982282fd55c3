// The thread layer's SyncHost.runner: a sync's wraps and handlers run in the context of the code
// that started the sync, whoever completes it.
import { describe, expect, it } from "vitest";
import {
  currentThread,
  mainThread,
  thread,
  threadWait,
  type Thread,
} from "../../src/thread/thread.js";
import { breakThread, killThread } from "../../src/thread/break-and-kill.js";
import { sync } from "../../src/engine/sync.js";
import { channelPut, makeChannel } from "../../src/primitives/channel.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { alarmEvt } from "../../src/primitives/alarm.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { handleEvt } from "../../src/combinators/handle.js";
import { neverEvt } from "../../src/combinators/never.js";
import {
  currentCustodian,
  makeCustodian,
  withCustodian,
  type Custodian,
} from "../../src/custodian/custodian.js";
import { currentInexactMilliseconds } from "../../src/time/clock.js";
import { turn } from "../helpers.js";

describe("the context of wraps and handlers", () => {
  it("a wrap sees the syncing thread and custodian, though another thread completes the sync", async () => {
    const ch = makeChannel<number>();
    const c = makeCustodian();
    let seen: [Thread, Custodian] | undefined;
    const receiver = withCustodian(c, () =>
      thread(() => sync(wrapEvt(ch, () => (seen = [currentThread(), currentCustodian()])))),
    );
    await turn();
    const sender = thread(() => channelPut(ch, 1));
    await threadWait(receiver);
    await threadWait(sender);
    expect(seen![0]).toBe(receiver);
    expect(seen![1]).toBe(c);
  });

  it("a handler's nested sync belongs to the syncing thread: breaking the completer does not reach it", async () => {
    const ch = makeChannel<number>();
    const inner = makeSemaphore(0);
    const log: string[] = [];
    const receiver = thread(async () => {
      await sync(handleEvt(ch, () => sync(inner)));
      log.push("receiver done");
    });
    await turn();
    const sender = thread(async () => {
      await channelPut(ch, 1);
      try {
        await sync(neverEvt);
      } catch {
        log.push("sender broken");
      }
    });
    await turn();
    breakThread(sender);
    await threadWait(sender);
    semaphorePost(inner);
    await threadWait(receiver);
    expect(log).toEqual(["sender broken", "receiver done"]);
  });

  it("code outside threads runs its handlers outside threads, even when a killed thread armed the timer", async () => {
    const now = currentInexactMilliseconds();
    // The killed thread's alarm is the first deadline: the shared timer is armed in its context.
    const doomed = thread(() => sync(alarmEvt(now + 5)));
    await turn();
    let seen: Thread | undefined;
    const p = sync(
      handleEvt(alarmEvt(now + 10), async () => {
        seen = currentThread();
        return sync(wrapEvt(alarmEvt(0), () => "nested ok"));
      }),
    );
    killThread(doomed);
    expect(await p).toBe("nested ok");
    expect(seen).toBe(mainThread);
  });
});
