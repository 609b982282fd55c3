// The fallback used when the pausable listener's self-test fails, forced here.
import { describe, it, expect, beforeAll, afterAll } from "vitest";
import * as net from "node:net";
import {
  sync,
  syncTimeout,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
  closeInputPort,
  closeOutputPort,
} from "@rendezvous/core";
import { setListenStrategy } from "../src/listen-socket.js";
import {
  tcpListen,
  tcpAccept,
  tcpAcceptEvt,
  tcpAddresses,
  tcpClose,
  isTcpAcceptReady,
  type TcpInputPort,
  type TcpOutputPort,
} from "../src/index.js";

beforeAll(() => setListenStrategy("eager"));
afterAll(() => setListenStrategy("auto"));

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(5);
  }
}

interface Client {
  sock: net.Socket;
  events: string[];
  localPort: number;
}
function client(port: number): Client {
  const sock = net.connect({ host: "127.0.0.1", port });
  const c: Client = { sock, events: [], localPort: 0 };
  sock.on("connect", () => {
    c.localPort = sock.localPort ?? 0;
    c.events.push("connect");
  });
  sock.on("error", (e: NodeJS.ErrnoException) => c.events.push(`error:${e.code}`));
  return c;
}
const settled = (c: Client) => c.events.length > 0;
type Ports = [TcpInputPort, TcpOutputPort];
const closePorts = ([i, o]: Ports) => {
  closeInputPort(i);
  closeOutputPort(o);
};

describe("eager fallback listener", () => {
  it("is used when forced, and accepts through accept events that commit on choose", async () => {
    const l = await tcpListen(0, 4, true, "127.0.0.1");
    expect(l.implementation).toBe("eager");
    const [, port] = tcpAddresses(l, true);
    const r = await sync(
      wrapEvt(tcpAcceptEvt(l), () => "accepted"),
      wrapEvt(alarmEvt(currentInexactMilliseconds() + 30), () => "alarm"),
    );
    expect(r).toBe("alarm");
    const c = client(port);
    await until(() => isTcpAcceptReady(l));
    const ports = (await sync(tcpAcceptEvt(l))) as Ports;
    expect(tcpAddresses(ports[0], true)[3]).toBe(c.localPort);
    expect(await syncTimeout(0, tcpAcceptEvt(l))).toBe(false);
    closePorts(ports);
    c.sock.destroy();
    tcpClose(l);
  });

  it("refuses clients while maxAllowWait wait, and admits them again after an accept", async () => {
    const l = await tcpListen(0, 2, true, "127.0.0.1");
    const [, port] = tcpAddresses(l, true);
    const clients: Client[] = [];
    for (let i = 0; i < 3; i++) {
      const c = client(port);
      clients.push(c);
      await until(() => settled(c));
      await sleep(20);
    }
    expect(clients.map((c) => c.events[0])).toEqual(["connect", "connect", "error:ECONNREFUSED"]);
    const first = await tcpAccept(l);
    expect(tcpAddresses(first[0], true)[3]).toBe(clients[0]!.localPort);
    await sleep(20);
    const again = client(port);
    await until(() => settled(again));
    expect(again.events[0]).toBe("connect");
    const second = await tcpAccept(l);
    const third = await tcpAccept(l);
    expect([second, third].map((p) => tcpAddresses(p[0], true)[3])).toEqual([
      clients[1]!.localPort,
      again.localPort,
    ]);
    for (const p of [first, second, third]) closePorts(p);
    for (const c of [...clients, again]) c.sock.destroy();
    tcpClose(l);
  });

  it("close resets the clients still waiting", async () => {
    const l = await tcpListen(0, 4, true, "127.0.0.1");
    const [, port] = tcpAddresses(l, true);
    const c = client(port);
    await until(() => settled(c));
    await until(() => isTcpAcceptReady(l));
    tcpClose(l);
    c.sock.resume();
    await until(() => c.events.includes("error:ECONNRESET"));
    c.sock.destroy();
  });
});
