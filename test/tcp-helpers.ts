// Shared helpers of the tcp-*.test.ts files: loopback clients, bounded waiting, fd counting.
import * as net from "node:net";
import { readdirSync } from "node:fs";
import { expect, beforeAll, afterAll } from "vitest";
import { closeInputPort, closeOutputPort } from "@rendezvous/core";
import {
  tcpListen,
  tcpAddresses,
  tcpClose,
  type TcpListener,
  type TcpInputPort,
  type TcpOutputPort,
} from "@rendezvous/tcp";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits (bounded) until `cond()` holds; fails the test otherwise. */
export async function until(cond: () => boolean, ms = 5000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

/** Open file descriptors of this process. */
export function fdCount(): number {
  return readdirSync("/proc/self/fd").length;
}

/** Waits (bounded) until the fd count is back to `baseline`, then asserts it. */
export async function expectFdsBackTo(baseline: number): Promise<void> {
  const end = Date.now() + 5000;
  while (fdCount() > baseline && Date.now() < end) await sleep(20);
  expect(fdCount()).toBe(baseline);
}

/** A loopback listener and its port. */
export async function listenLoopback(maxAllowWait = 4): Promise<[TcpListener, number]> {
  const l = await tcpListen(0, maxAllowWait, true, "127.0.0.1");
  return [l, tcpAddresses(l, true)[1]];
}

/** A raw Node client; `events` records what it saw ("connect", "data:…", "end", "error:CODE"). */
export interface RawClient {
  readonly sock: net.Socket;
  readonly events: string[];
  connected: boolean;
  localPort: number;
}

export function rawClient(port: number, host = "127.0.0.1"): RawClient {
  const sock = net.connect({ host, port, allowHalfOpen: true });
  const c: RawClient = { sock, events: [], connected: false, localPort: 0 };
  sock.on("connect", () => {
    c.connected = true;
    c.localPort = sock.localPort ?? 0;
    c.events.push("connect");
  });
  sock.on("data", (b: Buffer) => c.events.push(`data:${b.toString("latin1")}`));
  sock.on("end", () => c.events.push("end"));
  sock.on("error", (e: NodeJS.ErrnoException) => c.events.push(`error:${e.code}`));
  return c;
}

/** Resolves once `c` is connected (bounded). */
export async function connected(c: RawClient): Promise<RawClient> {
  await until(() => c.connected, 5000, "client connect");
  return c;
}

/** Is IPv6 loopback usable here? */
export async function hasIpv6(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen({ host: "::1", port: 0 }, () => s.close(() => resolve(true)));
  });
}

/**
 * Checks that the test file leaves no descriptor open: the baseline is taken once a listener has
 * been opened and closed (Node's first listener opens lasting descriptors of its own).
 */
export function expectFdsBackAfterFile(): void {
  let baseline = 0;
  beforeAll(async () => {
    const [l] = await listenLoopback();
    tcpClose(l);
    await sleep(50);
    baseline = fdCount();
  });
  afterAll(async () => {
    await expectFdsBackTo(baseline);
  });
}

export type Ports = [TcpInputPort, TcpOutputPort];

/** Closes both ports of a connection. */
export const closePorts = ([i, o]: Ports): void => {
  closeInputPort(i);
  closeOutputPort(o);
};
