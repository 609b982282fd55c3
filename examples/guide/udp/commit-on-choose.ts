import assert from "node:assert/strict";
import { sync, wrapEvt, alwaysEvt } from "@rendezvous/core";
import {
  udpOpenSocket,
  udpBind,
  udpAddresses,
  udpSendTo,
  udpReceiveEvt,
  udpReceiveReadyEvt,
  udpReceiveStar,
  udpClose,
} from "@rendezvous/udp";

const server = udpOpenSocket();
await udpBind(server, "127.0.0.1", 0);
const [, port] = udpAddresses(server, true);
const client = udpOpenSocket();
await udpSendTo(client, "127.0.0.1", port, new TextEncoder().encode("one datagram"));
await sync(udpReceiveReadyEvt(server)); // it has arrived; the ready event took nothing

// A receive event and an always-ready event: either may be chosen. When the receive loses, it
// took nothing and wrote nothing.
const buf = new Uint8Array(32).fill(0);
const winner = await sync(
  wrapEvt(udpReceiveEvt(server, buf), ([n]) => `received ${n} bytes`),
  wrapEvt(alwaysEvt, () => "always"),
);
if (winner === "always") {
  assert.ok(buf.every((b) => b === 0)); // untouched
  const [n] = udpReceiveStar(server, buf); // the datagram is still queued
  assert.equal(n, 12);
}
assert.equal(new TextDecoder().decode(buf.subarray(0, 12)), "one datagram");
console.log("winner:", winner, "— the datagram was received exactly once either way");

udpClose(server);
udpClose(client);
