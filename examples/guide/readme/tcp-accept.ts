import assert from "node:assert/strict";
import { connect } from "node:net";
import { once } from "node:events";
import { tcpListen, tcpAcceptEvt, tcpAccept, tcpAddresses, tcpClose } from "@rendezvous/tcp";
import { sync, wrapEvt, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";
import { closeInputPort, closeOutputPort } from "@rendezvous/core";

const listener = await tcpListen(0, 4, true, "127.0.0.1");
const client = connect(tcpAddresses(listener, true)[1], "127.0.0.1");
await once(client, "connect");

// A client is waiting and the alarm is due: both events are ready, and one of them is chosen.
const first = await sync(
  tcpAcceptEvt(listener),
  wrapEvt(alarmEvt(currentInexactMilliseconds()), () => "timeout" as const),
);
// If the alarm won, the accept event accepted nothing: the client still waits in the backlog.
const [inp, out] = first === "timeout" ? await tcpAccept(listener) : first;
assert.equal(tcpAddresses(inp, true)[3], client.localPort); // the same client, accepted once

closeInputPort(inp);
closeOutputPort(out);
client.destroy();
tcpClose(listener);
