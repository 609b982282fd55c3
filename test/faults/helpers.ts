// Helpers of the fault-injection tests: outcome of a promise after one turn ("at once"), loopback
// listeners and raw peers, and the check that the process keeps serving after a fault.
import * as net from "node:net";
import { expect } from "vitest";
import {
  closeInputPort,
  closeOutputPort,
  flushOutput,
  readLine,
  writeString,
  ExnFail,
  ExnFailNetworkErrno,
} from "@rendezvous/core";
import {
  tcpAccept,
  tcpAddresses,
  tcpClose,
  tcpConnect,
  tcpListen,
  type TcpListener,
} from "@rendezvous/tcp";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
export const turn = () => new Promise<void>((r) => setImmediate(r));

export type Outcome<T> =
  { state: "pending" } | { state: "ok"; value: T } | { state: "err"; error: unknown };

/** Watches `p`; `now()` tells how it stands. Marks a rejection handled. */
export function watch<T>(p: Promise<T>): { now: () => Outcome<T>; done: Promise<Outcome<T>> } {
  let o: Outcome<T> = { state: "pending" };
  const done = p.then(
    (value) => (o = { state: "ok", value }),
    (error: unknown) => (o = { state: "err", error }),
  );
  return { now: () => o, done };
}

/** The error `o` settled with; fails if it is pending or resolved. */
export function errorOf(o: Outcome<unknown>): unknown {
  expect(o.state, JSON.stringify(o)).toBe("err");
  return (o as { error: unknown }).error;
}

/** Checks `e` is an `ExnFailNetworkErrno` with `errno` and a message starting with `prefix`. */
export function expectErrno(e: unknown, errno: [number, string], prefix: string): void {
  expect(e).toBeInstanceOf(ExnFailNetworkErrno);
  expect((e as ExnFailNetworkErrno).errno).toEqual(errno);
  expect((e as Error).message.startsWith(prefix), (e as Error).message).toBe(true);
}

/** Checks `e` is an `ExnFail` of exactly class `cls` whose message starts with `prefix`. */
export function expectFail(e: unknown, cls: new (...a: never[]) => ExnFail, prefix: string): void {
  expect(e).toBeInstanceOf(cls);
  expect((e as Error).constructor).toBe(cls);
  expect((e as Error).message.startsWith(prefix), (e as Error).message).toBe(true);
}

/** A loopback listener and its port. */
export async function listen(backlog = 4): Promise<[TcpListener, number]> {
  const l = await tcpListen(0, backlog, true, "127.0.0.1");
  return [l, tcpAddresses(l, true)[1]];
}

/** A raw Node client that records what it sees. */
export interface Peer {
  readonly sock: net.Socket;
  readonly data: Buffer[];
  readonly events: string[];
  closed: boolean;
}

export function peer(port: number): Peer {
  const sock = net.connect({ host: "127.0.0.1", port, allowHalfOpen: true });
  const p: Peer = { sock, data: [], events: [], closed: false };
  sock.on("connect", () => p.events.push("connect"));
  sock.on("data", (b: Buffer) => p.data.push(b));
  sock.on("end", () => {
    p.events.push("end");
    sock.end(); // the peer closes its side too once the server has closed its own
  });
  sock.on("error", (e: NodeJS.ErrnoException) => p.events.push(`error:${e.code}`));
  sock.on("close", () => {
    p.closed = true;
  });
  return p;
}

/** Waits (bounded) until `cond()` holds. */
export async function until(cond: () => boolean, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/**
 * The process keeps serving: a fresh listener accepts a fresh client, and a line goes each way.
 * Closes everything it opened.
 */
export async function stillServes(): Promise<void> {
  const [l, port] = await listen();
  const accepting = tcpAccept(l);
  const [cin, cout] = await tcpConnect("127.0.0.1", port);
  const [sin, sout] = await accepting;
  await writeString("ping\n", cout);
  await flushOutput(cout);
  expect(await readLine(sin)).toBe("ping");
  await writeString("pong\n", sout);
  await flushOutput(sout);
  expect(await readLine(cin)).toBe("pong");
  for (const p of [cout, sout]) closeOutputPort(p);
  for (const p of [cin, sin]) closeInputPort(p);
  tcpClose(l);
}
