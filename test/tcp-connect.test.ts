import { describe, it, expect } from "vitest";
import * as net from "node:net";
import {
  tcpConnect,
  tcpConnectEnableBreak,
  tcpAccept,
  tcpAddresses,
  tcpClose,
  isTcpAcceptReady,
  isTcpPort,
} from "@rendezvous/tcp";
import {
  ExnBreak,
  ExnFail,
  ExnFailContract,
  ExnFailNetworkErrno,
  makeCustodian,
  withCustodian,
  custodianShutdownAll,
  closeInputPort,
  closeOutputPort,
  readLine,
  writeString,
  flushOutput,
  isEofObject,
} from "@rendezvous/core";
import {
  connected,
  closePorts,
  expectFdsBackAfterFile,
  expectFdsBackTo,
  fdCount,
  type Ports,
  listenLoopback,
  rawClient,
  sleep,
  until,
  type RawClient,
} from "./tcp-helpers.js";

// Every descriptor this file opens must be closed again by its end.
expectFdsBackAfterFile();

/** A port number nobody listens on (bound then released). */
async function freePort(): Promise<number> {
  const s = net.createServer();
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as net.AddressInfo;
  await new Promise((r) => s.close(r));
  return port;
}

/** A listener whose backlog is full, so that a further connect stays pending (SYN-SENT). */
async function fullListener(): Promise<{ port: number; close: () => void; fillers: RawClient[] }> {
  const [l, port] = await listenLoopback(0);
  const fillers: RawClient[] = [];
  // One at a time, so that each finds room if there is any: the listener's slot, then the
  // kernel queue; the first that does not connect at once proves the listener full.
  for (let i = 0; i < 6; i++) {
    const f = rawClient(port);
    fillers.push(f);
    await sleep(150);
    if (!f.connected) break;
  }
  expect(fillers[fillers.length - 1]!.connected).toBe(false);
  return {
    port,
    fillers,
    close: () => {
      for (const f of fillers) f.sock.destroy();
      tcpClose(l);
    },
  };
}

describe("tcpConnect", () => {
  it("connects by address and by name; both ends report each other's addresses", async () => {
    const [l, port] = await listenLoopback();
    for (const host of ["127.0.0.1", "localhost"]) {
      const client = await tcpConnect(host, port);
      const server = await tcpAccept(l);
      expect(isTcpPort(client[0]) && isTcpPort(client[1])).toBe(true);
      const [cl, cp, cr, crp] = tcpAddresses(client[0], true);
      expect([cl, cr, crp]).toEqual(["127.0.0.1", "127.0.0.1", port]);
      expect(tcpAddresses(client[1], true)).toEqual([cl, cp, cr, crp]);
      expect(tcpAddresses(server[0], true)).toEqual(["127.0.0.1", port, "127.0.0.1", cp]);
      expect(tcpAddresses(server[1])).toEqual(["127.0.0.1", "127.0.0.1"]);
      await writeString(`hello from ${host}\n`, client[1]);
      await flushOutput(client[1]);
      expect(await readLine(server[0])).toBe(`hello from ${host}`);
      closePorts(client);
      closePorts(server);
    }
    tcpClose(l);
  });

  it("a refused connection fails with ExnFailNetworkErrno [111, posix]", async () => {
    const port = await freePort();
    const err = await tcpConnect("127.0.0.1", port).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExnFailNetworkErrno);
    expect((err as ExnFailNetworkErrno).errno).toEqual([111, "posix"]);
    expect((err as Error).message).toBe(
      `tcp-connect: connection failed\n  hostname: 127.0.0.1\n  port number: ${port}\n  system error: Connection refused; errno=111`,
    );
  });

  it("an unknown host fails with a gai errno", async () => {
    const err = await tcpConnect("nonexistent.invalid", 80).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExnFailNetworkErrno);
    expect((err as ExnFailNetworkErrno).errno[1]).toBe("gai");
    expect((err as Error).message).toMatch(
      /^tcp-connect: host not found\n {2}hostname: nonexistent.invalid/,
    );
  });

  it("binds the local address and port when asked", async () => {
    const [l, port] = await listenLoopback();
    const local = await freePort();
    const c = await tcpConnect("127.0.0.1", port, "127.0.0.1", local);
    const s = await tcpAccept(l);
    expect(tcpAddresses(c[0], true)[1]).toBe(local);
    expect(tcpAddresses(s[0], true)[3]).toBe(local);
    closePorts(c);
    closePorts(s);
    // A local port alone: that port, on an address chosen automatically.
    const local2 = await freePort();
    const c2 = await tcpConnect("127.0.0.1", port, false, local2);
    const s2 = await tcpAccept(l);
    expect(tcpAddresses(c2[1], true)[1]).toBe(local2);
    closePorts(c2);
    closePorts(s2);
    tcpClose(l);
  });

  it("a local host name without a local port is a contract error", async () => {
    const err = await tcpConnect("127.0.0.1", 80, "127.0.0.1").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExnFailContract);
    expect((err as Error).message).toBe(
      'tcp-connect: no local port number supplied when local hostname was supplied\n  hostname: "127.0.0.1"',
    );
  });

  it("bad arguments reject with ExnFailContract", async () => {
    const call = tcpConnect as (...a: unknown[]) => Promise<unknown>;
    for (const args of [
      [5, 80],
      ["127.0.0.1", 0],
      ["127.0.0.1", 65536],
      ["127.0.0.1", 80, 5, 1],
      ["127.0.0.1", 80, false, 0],
    ]) {
      const err = await call(...args).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExnFailContract);
      expect((err as Error).message).toMatch(/^tcp-connect: contract violation/);
    }
    expect(((await call("127.0.0.1", 0).catch((e: unknown) => e)) as Error).message).toBe(
      "tcp-connect: contract violation\n  expected: port-number?\n  given: 0",
    );
  });

  it("connection ports belong to the current custodian", async () => {
    const [l, port] = await listenLoopback();
    const cust = makeCustodian();
    const c = await withCustodian(cust, () => tcpConnect("127.0.0.1", port));
    const s = await tcpAccept(l);
    custodianShutdownAll(cust);
    // The server sees the connection end.
    expect(isEofObject(await readLine(s[0]))).toBe(true);
    closePorts(s);
    closePorts(c);
    tcpClose(l);
  });

  it("a connect under a custodian shut down while it is pending fails and leaks nothing", async () => {
    const full = await fullListener();
    const before = fdCount();
    const cust = makeCustodian();
    const p = withCustodian(cust, () => tcpConnect("127.0.0.1", full.port)).catch(
      (e: unknown) => e,
    );
    await sleep(100);
    custodianShutdownAll(cust);
    const err = await p;
    expect(err).toBeInstanceOf(ExnFail);
    expect((err as Error).message).toMatch(/^tcp-connect: the custodian has been shut down/);
    await expectFdsBackTo(before);
    full.close();
  });
});

describe("tcpConnectEnableBreak", () => {
  it("an already-aborted signal breaks at once and opens nothing", async () => {
    const [l, port] = await listenLoopback();
    const ac = new AbortController();
    ac.abort();
    const before = fdCount();
    await expect(tcpConnectEnableBreak(ac.signal, "127.0.0.1", port)).rejects.toBeInstanceOf(
      ExnBreak,
    );
    await sleep(100);
    expect(isTcpAcceptReady(l)).toBe(false);
    expect(fdCount()).toBe(before);
    tcpClose(l);
  });

  it("a break during a pending connect settles once with ExnBreak and destroys the attempt", async () => {
    const full = await fullListener();
    const before = fdCount();
    const ac = new AbortController();
    let settled = 0;
    const p = tcpConnectEnableBreak(ac.signal, "127.0.0.1", full.port).then(
      () => {
        settled++;
        return "connected";
      },
      (e: unknown) => {
        settled++;
        return e;
      },
    );
    await sleep(150);
    ac.abort();
    expect(await p).toBeInstanceOf(ExnBreak);
    await expectFdsBackTo(before);
    await sleep(50);
    expect(settled).toBe(1);
    full.close();
  });

  it("a break after the connection is made changes nothing", async () => {
    const [l, port] = await listenLoopback();
    const ac = new AbortController();
    const c = await tcpConnectEnableBreak(ac.signal, "127.0.0.1", port);
    ac.abort();
    const s = await tcpAccept(l);
    await writeString("ok\n", c[1]);
    await flushOutput(c[1]);
    expect(await readLine(s[0])).toBe("ok");
    closePorts(c);
    closePorts(s);
    tcpClose(l);
  });

  it("rejects a non-signal", async () => {
    await expect(tcpConnectEnableBreak(5 as never, "127.0.0.1", 80)).rejects.toThrow(
      /^tcp-connect\/enable-break: contract violation\n {2}expected: AbortSignal/,
    );
  });
});

describe("a connection pending in the backlog", () => {
  it("connects once an accept frees a slot", async () => {
    const [l, port] = await listenLoopback(0);
    const first = await connected(rawClient(port));
    await until(() => isTcpAcceptReady(l));
    const second = rawClient(port); // may be admitted (kernel backlog) or pending
    const third = tcpConnect("127.0.0.1", port);
    const accepted: Ports[] = [];
    while (accepted.length < 3) accepted.push(await tcpAccept(l));
    const [tin, tout] = await third;
    for (const a of accepted) closePorts(a);
    closeInputPort(tin);
    closeOutputPort(tout);
    first.sock.destroy();
    second.sock.destroy();
    tcpClose(l);
  }, 15_000);
});
