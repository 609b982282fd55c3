// Host names with several addresses (the resolver is mocked; all traffic stays on loopback):
// tcpListen opens one socket per address on one port, tcpConnect tries each address in turn.
import { describe, it, expect, vi } from "vitest";
import * as net from "node:net";
import { closeInputPort, closeOutputPort, ExnFailNetworkErrno } from "@rendezvous/core";
import { tcpListen, tcpConnect, tcpAccept, tcpAddresses, tcpClose } from "../src/index.js";

const fake: Record<string, { address: string; family: number }[]> = {
  "both.test": [
    { address: "127.0.0.1", family: 4 },
    { address: "::1", family: 6 },
  ],
  "second-works.test": [
    { address: "127.0.0.2", family: 4 },
    { address: "127.0.0.1", family: 4 },
  ],
  "none-works.test": [
    { address: "127.0.0.2", family: 4 },
    { address: "127.0.0.3", family: 4 },
  ],
};

vi.mock("node:dns", async (importOriginal) => {
  const real = await importOriginal<typeof import("node:dns")>();
  const lookup = (host: string, opts: unknown, cb: (e: unknown, a?: unknown) => void) => {
    const hit = fake[host];
    if (hit) setImmediate(() => cb(null, hit));
    else (real.lookup as (...a: unknown[]) => void)(host, opts, cb);
  };
  return { ...real, default: { ...real, lookup }, lookup };
});

async function hasIpv6(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.createServer();
    s.once("error", () => resolve(false));
    s.listen({ host: "::1", port: 0 }, () => s.close(() => resolve(true)));
  });
}

describe("several addresses per host name", () => {
  it("tcpListen opens one socket per address, all on the same (ephemeral) port", async () => {
    if (!(await hasIpv6())) return;
    const l = await tcpListen(0, 4, true, "both.test");
    expect(l.slots).toHaveLength(2);
    const [host, port] = tcpAddresses(l, true);
    expect(host).toBe("127.0.0.1");
    expect(l.slots.map((s) => [s.ls.address, s.ls.port])).toEqual([
      ["127.0.0.1", port],
      ["::1", port],
    ]);
    for (const h of ["127.0.0.1", "::1"]) {
      const c = await tcpConnect(h, port);
      const s = await tcpAccept(l);
      expect(tcpAddresses(s[0])).toEqual([h, h]);
      for (const p of [c[0], s[0]]) closeInputPort(p);
      for (const p of [c[1], s[1]]) closeOutputPort(p);
    }
    tcpClose(l);
  });

  it("tcpConnect tries each address in turn until one connects", async () => {
    const l = await tcpListen(0, 4, true, "127.0.0.1");
    const [, port] = tcpAddresses(l, true);
    const c = await tcpConnect("second-works.test", port);
    expect(tcpAddresses(c[0], true)[2]).toBe("127.0.0.1");
    const s = await tcpAccept(l);
    closeInputPort(c[0]);
    closeOutputPort(c[1]);
    closeInputPort(s[0]);
    closeOutputPort(s[1]);
    const err = await tcpConnect("none-works.test", port).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExnFailNetworkErrno);
    expect((err as ExnFailNetworkErrno).errno).toEqual([111, "posix"]);
    expect((err as Error).message).toMatch(
      /^tcp-connect: connection failed\n {2}hostname: none-works.test/,
    );
    tcpClose(l);
  });
});
