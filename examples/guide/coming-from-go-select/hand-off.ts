import assert from "node:assert/strict";
import { tcpListen, tcpAddresses, tcpConnect, tcpAccept, tcpClose } from "@rendezvous/tcp";
import {
  sync,
  wrapEvt,
  readLineEvt,
  readLine,
  writeString,
  closeInputPort,
  closeOutputPort,
  isEofObject,
  makeSemaphore,
  semaphorePost,
  type InputPort,
  type Semaphore,
} from "@rendezvous/core";

const listener = await tcpListen(0, 4, true, "127.0.0.1");
const [, port] = tcpAddresses(listener, true);

// The client sends six lines at once: they all sit in the connection's buffer together.
const [clientIn, clientOut] = await tcpConnect("127.0.0.1", port);
await writeString("1\n2\n3\n4\n5\n6\n", clientOut);
closeOutputPort(clientOut);
const [inp, out] = await tcpAccept(listener);

// The first reader handles lines until it is told to stop (after two lines), then hands the
// connection over. Both events are often ready at once; a line is read only if its event wins.
async function readUntilStopped(port: InputPort, stop: Semaphore): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const next = await sync(
      readLineEvt(port),
      wrapEvt(stop, () => null),
    );
    if (next === null) return seen;
    seen.push(String(next));
    if (seen.length === 2) semaphorePost(stop); // ask to stop; lines are ready too
  }
}
const first = await readUntilStopped(inp, makeSemaphore(0));

// The next owner reads the rest: nothing was taken by the branch that lost.
const rest: string[] = [];
for (let line = await readLine(inp); !isEofObject(line); line = await readLine(inp))
  rest.push(line);
assert.deepEqual([...first, ...rest], ["1", "2", "3", "4", "5", "6"]);
console.log({ first, rest });

closeInputPort(inp);
closeOutputPort(out);
closeInputPort(clientIn);
tcpClose(listener);
