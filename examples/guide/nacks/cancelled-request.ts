import assert from "node:assert/strict";
import {
  sync,
  syncTimeout,
  nackGuardEvt,
  wrapEvt,
  choiceEvt,
  makeChannel,
  channelPut,
  channelPutEvt,
  alarmEvt,
  currentInexactMilliseconds,
  type Evt,
} from "@rendezvous/core";

// A slow service: it takes `ms` to compute an answer, then offers it on the request's reply
// channel — unless the client's NACK says nobody is waiting any more.
interface Request {
  ms: number;
  reply: ReturnType<typeof makeChannel<string>>;
  nack: Evt<void>;
}
const requests = makeChannel<Request>();
const log: string[] = [];

async function service(count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const req = await sync(requests);
    const answer = await sync(
      wrapEvt(alarmEvt(currentInexactMilliseconds() + req.ms), () => `answer after ${req.ms} ms`),
      wrapEvt(req.nack, () => null), // the client gave up: stop working at once
    );
    if (answer === null) {
      log.push(`cancelled the ${req.ms} ms request`);
      continue;
    }
    await sync(choiceEvt(channelPutEvt(req.reply, answer), req.nack));
    log.push(`answered the ${req.ms} ms request`);
  }
}

// The request as an event: sending happens when a sync reaches it; the NACK fires if the sync
// chooses anything else (here: the timeout).
function askEvt(ms: number): Evt<string> {
  return nackGuardEvt((nack) => {
    const reply = makeChannel<string>();
    void channelPut(requests, { ms, reply, nack });
    return reply;
  });
}

const served = service(2);
assert.equal(await syncTimeout(0.05, askEvt(10)), "answer after 10 ms");
assert.equal(await syncTimeout(0.05, askEvt(500)), false); // gave up after 50 ms
await served;
console.log(log);
assert.deepEqual(log, ["answered the 10 ms request", "cancelled the 500 ms request"]);
