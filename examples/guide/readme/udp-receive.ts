import assert from "node:assert/strict";
import {
  udpOpenSocket,
  udpBind,
  udpReceiveEvt,
  udpSendTo,
  udpAddresses,
  udpClose,
} from "@rendezvous/udp";
import { sync, wrapEvt, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";

const [a, b, sender] = [udpOpenSocket(), udpOpenSocket(), udpOpenSocket()];
await udpBind(a, "127.0.0.1", 0);
await udpBind(b, "127.0.0.1", 0);
const [bufA, bufB] = [new Uint8Array(1500), new Uint8Array(1500)];

// Receive from whichever socket gets a datagram first, or give up after `ms`.
const receive = (ms: number) =>
  sync(
    wrapEvt(udpReceiveEvt(a, bufA), ([n]) => `a: ${Buffer.from(bufA.subarray(0, n))}`),
    wrapEvt(udpReceiveEvt(b, bufB), ([n]) => `b: ${Buffer.from(bufB.subarray(0, n))}`),
    wrapEvt(alarmEvt(currentInexactMilliseconds() + ms), () => "timeout"),
  );

await udpSendTo(sender, "127.0.0.1", udpAddresses(b, true)[1], Buffer.from("ping"));
assert.equal(await receive(1000), "b: ping");
assert.equal(await receive(50), "timeout");
assert.ok(bufA.every((byte) => byte === 0)); // a's losing receive events never touched its buffer

for (const s of [a, b, sender]) udpClose(s);
