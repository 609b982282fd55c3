import assert from "node:assert/strict";
import {
  sync,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
  makePipe,
  readBytesEvt,
  writeBytes,
  closeOutputPort,
  isEofObject,
} from "@rendezvous/core";

// A stream of 8-byte frames that arrive in pieces, and a heartbeat every 5 ms. A frame is read
// only when all 8 bytes are there, and only if the read wins: when the heartbeat wins while half a
// frame has arrived, those bytes stay in the port.
const [inp, out] = makePipe();
const frames = ["frame-01", "frame-02", "frame-03"].map((s) => Buffer.from(s));

const writer = (async () => {
  for (const f of frames) {
    for (const piece of [f.subarray(0, 3), f.subarray(3)]) {
      await writeBytes(piece, out);
      await new Promise((r) => setTimeout(r, 12)); // slower than the heartbeat
    }
  }
  closeOutputPort(out);
})();

const received: string[] = [];
let beats = 0;
let nextBeat = currentInexactMilliseconds() + 5; // absolute deadlines: a steady tick
for (;;) {
  const got = await sync(
    wrapEvt(readBytesEvt(8, inp), (frame) => ({ frame })),
    wrapEvt(alarmEvt(nextBeat), () => null),
  );
  if (got === null) {
    beats++;
    nextBeat += 5;
  } else if (isEofObject(got.frame)) break;
  else received.push(Buffer.from(got.frame).toString());
}
await writer;

assert.ok(beats > 3); // the heartbeat won many rounds, often in mid-frame
assert.deepEqual(received, ["frame-01", "frame-02", "frame-03"]);
console.log(received, `${beats} heartbeats`);
