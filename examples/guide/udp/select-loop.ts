import assert from "node:assert/strict";
import { sync, wrapEvt, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";
import {
  udpOpenSocket,
  udpBind,
  udpAddresses,
  udpReceiveEvt,
  udpReceive,
  udpSendTo,
  udpClose,
} from "@rendezvous/udp";

const encode = (s: string) => new TextEncoder().encode(s);
const decode = (b: Uint8Array) => new TextDecoder().decode(b);

// Three services, each on its own socket.
const names = ["time", "echo", "upper"] as const;
const sockets = names.map(() => udpOpenSocket());
for (const s of sockets) await udpBind(s, "127.0.0.1", 0);
const ports = sockets.map((s) => udpAddresses(s, true)[1]);

// A client sends five requests, a few milliseconds apart, then goes quiet.
const client = udpOpenSocket();
const requests: [number, string][] = [
  [1, "hello"],
  [2, "shout this"],
  [0, "what time is it?"],
  [1, "again"],
  [2, "bye"],
];
void (async () => {
  for (const [i, text] of requests) {
    await udpSendTo(client, "127.0.0.1", ports[i]!, encode(text));
    await new Promise((r) => setTimeout(r, 5));
  }
})();

// The server: one loop, one sync over every socket's receive event and an idle timeout. All the
// receive events share one buffer: only the chosen event writes into it, and a datagram is taken
// from its socket only if its event is chosen, so nothing is lost while the loop waits elsewhere.
const buf = new Uint8Array(512);
const requestsOf = sockets.map((s, i) =>
  wrapEvt(udpReceiveEvt(s, buf), ([n, host, port]) => ({
    i,
    text: decode(buf.subarray(0, n)),
    host,
    port,
  })),
);
let served = 0;
for (;;) {
  const idle = alarmEvt(currentInexactMilliseconds() + 200);
  const r = await sync(
    ...requestsOf,
    wrapEvt(idle, () => "idle" as const),
  );
  if (r === "idle") break; // nobody asked anything for 200 ms
  const service = names[r.i]!;
  const answer =
    service === "time"
      ? new Date(0).toISOString()
      : service === "upper"
        ? r.text.toUpperCase()
        : r.text;
  console.log(`${service} ← ${JSON.stringify(r.text)}`);
  await udpSendTo(sockets[r.i]!, r.host, r.port, encode(answer)); // reply from the same socket
  served++;
}
assert.equal(served, requests.length);

// The client's replies wait in its queue; sending bound it, so it can receive.
const replies: string[] = [];
for (let k = 0; k < requests.length; k++) {
  const [n] = await udpReceive(client, buf);
  replies.push(decode(buf.subarray(0, n)));
}
assert.deepEqual(replies, ["hello", "SHOUT THIS", "1970-01-01T00:00:00.000Z", "again", "BYE"]);
console.log("replies:", replies);

for (const s of [...sockets, client]) udpClose(s);
