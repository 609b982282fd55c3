import assert from "node:assert/strict";
import * as net from "node:net";
import { tcpListen, tcpAcceptEvt, tcpAccept, tcpAddresses, tcpClose } from "@rendezvous/tcp";
import {
  sync,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
  closeInputPort,
  closeOutputPort,
} from "@rendezvous/core";

const listener = await tcpListen(0, 4, true, "127.0.0.1");
const [, port] = tcpAddresses(listener, true);

// Nobody is connecting yet: the alarm wins, and the losing accept event accepted nothing.
const first = await sync(
  wrapEvt(tcpAcceptEvt(listener), () => "a client"),
  wrapEvt(alarmEvt(currentInexactMilliseconds() + 50), () => "timed out"),
);
assert.equal(first, "timed out");

// A client connects and waits (in the kernel's backlog) until someone accepts it.
const sock = net.connect(port, "127.0.0.1");
await new Promise((resolve) => sock.once("connect", resolve));

// This time both events may be ready; whichever is chosen, nothing is lost: if the alarm wins
// again, the client is still waiting for the next accept.
const second = await sync(
  wrapEvt(tcpAcceptEvt(listener), (ports) => ports),
  wrapEvt(alarmEvt(currentInexactMilliseconds()), () => "timed out" as const),
);
const [inp, out] = second === "timed out" ? await tcpAccept(listener) : second;
assert.equal(tcpAddresses(inp, true)[3], sock.localPort); // the same client either way
console.log(
  "accepted the client from port",
  sock.localPort,
  "after:",
  second === "timed out" ? "a lost race" : "winning the race",
);

closeInputPort(inp);
closeOutputPort(out);
sock.destroy();
tcpClose(listener);
