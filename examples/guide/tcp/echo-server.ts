import assert from "node:assert/strict";
import {
  tcpListen,
  tcpAcceptEvt,
  tcpConnect,
  tcpAddresses,
  tcpClose,
  type TcpListener,
  type TcpInputPort,
  type TcpOutputPort,
} from "@rendezvous/tcp";
import {
  sync,
  wrapEvt,
  readLineEvt,
  readLine,
  writeString,
  flushOutput,
  closeInputPort,
  closeOutputPort,
  isEofObject,
  type Evt,
  type Eof,
} from "@rendezvous/core";

interface Client {
  readonly name: string;
  readonly in: TcpInputPort;
  readonly out: TcpOutputPort;
}
type Happening =
  { kind: "arrived"; client: Client } | { kind: "line"; client: Client; line: string | Eof };

// An echo server with no thread per client: each round, ONE sync chooses between a new client
// (the accept happens only if that event is chosen) and the next line of any connected client
// (a line is consumed only if its event is chosen).
async function echoServer(listener: TcpListener, maxClients: number): Promise<string[]> {
  const clients = new Set<Client>();
  const log: string[] = [];
  let arrived = 0;
  while (arrived < maxClients || clients.size > 0) {
    const choices: Evt<Happening>[] = [...clients].map((client) =>
      wrapEvt(readLineEvt(client.in), (line): Happening => ({ kind: "line", client, line })),
    );
    if (arrived < maxClients) {
      choices.push(
        wrapEvt(tcpAcceptEvt(listener), ([inp, out]): Happening => ({
          kind: "arrived",
          client: { name: `client ${++arrived}`, in: inp, out },
        })),
      );
    }
    const h = await sync(...choices);
    if (h.kind === "arrived") {
      clients.add(h.client);
      log.push(`${h.client.name} arrived`);
    } else if (isEofObject(h.line)) {
      // The client closed its output port (a FIN): close ours, forget it.
      closeInputPort(h.client.in);
      closeOutputPort(h.client.out);
      clients.delete(h.client);
      log.push(`${h.client.name} left`);
    } else {
      await writeString(`echo: ${h.line}\n`, h.client.out);
      await flushOutput(h.client.out); // TCP output is block-buffered
    }
  }
  return log;
}

// A client: says its lines, reads the echoes, then closes its output (the server reads eof).
async function client(port: number, lines: string[]): Promise<string[]> {
  const [inp, out] = await tcpConnect("127.0.0.1", port);
  const echoes: string[] = [];
  for (const line of lines) {
    await writeString(`${line}\n`, out);
    await flushOutput(out);
    echoes.push(String(await readLine(inp)));
  }
  closeOutputPort(out);
  assert.ok(isEofObject(await readLine(inp))); // the server closed its side too
  closeInputPort(inp);
  return echoes;
}

const listener = await tcpListen(0, 4, true, "127.0.0.1");
const [, port] = tcpAddresses(listener, true);
const [log, a, b, c] = await Promise.all([
  echoServer(listener, 3),
  client(port, ["hello", "world"]),
  client(port, ["ping"]),
  client(port, ["one", "two", "three"]),
]);
tcpClose(listener);

assert.deepEqual(a, ["echo: hello", "echo: world"]);
assert.deepEqual(b, ["echo: ping"]);
assert.deepEqual(c, ["echo: one", "echo: two", "echo: three"]);
assert.equal(log.filter((e) => e.endsWith("arrived")).length, 3);
assert.equal(log.filter((e) => e.endsWith("left")).length, 3);
console.log(log.join("\n"));
