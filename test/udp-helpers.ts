// Shared helpers of the udp-*.test.ts files: loopback sockets, raw Node peers, bounded waiting.
import * as dgram from "node:dgram";
import { readdirSync, readFileSync } from "node:fs";
import { expect } from "vitest";
import { udpOpenSocket, udpBind, udpAddresses, type UdpSocket } from "@rendezvous/udp";

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Waits (bounded) until `cond()` holds; fails the test otherwise. */
export async function until(cond: () => boolean, ms = 5000, what = "condition"): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Open file descriptors of this process. */
export function fdCount(): number {
  return readdirSync("/proc/self/fd").length;
}

/** Waits (bounded) until the fd count is back to `baseline`, then asserts it. */
export async function expectFdsBackTo(baseline: number): Promise<void> {
  const end = Date.now() + 5000;
  while (fdCount() > baseline && Date.now() < end) await sleep(10);
  expect(fdCount()).toBe(baseline);
}

/** A socket bound to 127.0.0.1 (or ::1) on an ephemeral port, and that port. */
export async function bound(host = "127.0.0.1"): Promise<[UdpSocket, number]> {
  const s = udpOpenSocket(host) as UdpSocket;
  await udpBind(s, host, 0);
  return [s, udpAddresses(s, true)[1]];
}

/** A raw Node socket bound on loopback that records what it receives. */
export interface RawPeer {
  readonly sock: dgram.Socket;
  readonly port: number;
  readonly got: { data: Buffer; port: number; address: string }[];
  close(): Promise<void>;
}

export async function rawPeer(host = "127.0.0.1"): Promise<RawPeer> {
  const sock = dgram.createSocket(host.includes(":") ? "udp6" : "udp4");
  const got: RawPeer["got"] = [];
  sock.on("message", (data, r) => got.push({ data, port: r.port, address: r.address }));
  await new Promise<void>((resolve) => sock.bind(0, host, resolve));
  return {
    sock,
    port: sock.address().port,
    got,
    close: () => new Promise<void>((resolve) => sock.close(() => resolve())),
  };
}

/** Sends one datagram from a raw Node socket and waits for its callback. */
export function rawSend(sock: dgram.Socket, data: Uint8Array, port: number, host = "127.0.0.1") {
  return new Promise<void>((resolve, reject) =>
    sock.send(data, port, host, (err) => (err ? reject(err) : resolve())),
  );
}

/**
 * A port with no socket on 127.0.0.1: sends to it are refused (ICMP). It is taken below the
 * ephemeral range, so no test running in parallel gets it from a bind to port 0 meanwhile.
 */
export async function deadPort(): Promise<number> {
  const [low] = readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "latin1")
    .trim()
    .split(/\s+/)
    .map(Number);
  for (let tries = 0; tries < 50; tries++) {
    const port = 20000 + Math.floor(Math.random() * Math.max(1, (low ?? 32768) - 20000));
    const sock = dgram.createSocket("udp4");
    const free = await new Promise<boolean>((resolve) => {
      sock.once("error", () => resolve(false));
      sock.bind(port, "127.0.0.1", () => resolve(true));
    });
    await new Promise<void>((resolve) => sock.close(() => resolve()));
    if (free) return port;
  }
  throw new Error("no free port below the ephemeral range");
}

export const bytes = (s: string) => new TextEncoder().encode(s);
export const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Expects `p` to reject with an instance of `cls` whose message matches `msg`. */
export async function rejects(
  p: Promise<unknown>,
  cls: abstract new (...a: never[]) => Error,
  msg?: RegExp | string,
): Promise<Error> {
  let err: unknown;
  try {
    await p;
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  if (msg) expect((err as Error).message).toMatch(msg);
  return err as Error;
}

/** Expects `f()` to throw an instance of `cls` whose message matches `msg`. */
export function throws(
  f: () => unknown,
  cls: abstract new (...a: never[]) => Error,
  msg?: RegExp | string,
): Error {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err).toBeInstanceOf(cls);
  if (msg) expect((err as Error).message).toMatch(msg);
  return err as Error;
}
