import assert from "node:assert/strict";
import { tcpListen, tcpAddresses, tcpConnect, tcpAcceptEvt, tcpClose } from "@rendezvous/tcp";
import {
  syncTimeout,
  handleEvt,
  alarmEvt,
  currentInexactMilliseconds,
  thread,
  threadWait,
  readLine,
  writeString,
  closeInputPort,
  closeOutputPort,
} from "@rendezvous/core";

// (define listener (tcp-listen 0 4 #t "127.0.0.1"))  — may wait in Node: a promise
const listener = await tcpListen(0, 4, true, "127.0.0.1");
// (define-values (_host port _peer _peer-port) (tcp-addresses listener #t))  — values → a tuple
const [, port] = tcpAddresses(listener, true);

// (thread (λ () (define-values (in out) (tcp-connect "127.0.0.1" port)) …))
const client = thread(async () => {
  const [inp, out] = await tcpConnect("127.0.0.1", port);
  await writeString("hello\n", out);
  closeOutputPort(out);
  closeInputPort(inp);
});

// (sync/timeout 5 (handle-evt (tcp-accept-evt listener) (λ (ports) (read-line (car ports)))) …)
const result = await syncTimeout(
  5, // seconds, as in Racket
  handleEvt(tcpAcceptEvt(listener), async ([inp, out]) => {
    const line = await readLine(inp); // a handler may be async: its value is the result
    closeInputPort(inp);
    closeOutputPort(out);
    return line;
  }),
  handleEvt(alarmEvt(currentInexactMilliseconds() + 1000), () => "no-client"),
);
assert.equal(result, "hello");

await threadWait(client);
tcpClose(listener);
console.log(result);
