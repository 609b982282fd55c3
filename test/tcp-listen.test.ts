import { describe, it, expect, beforeAll, afterAll } from "vitest";
import {
  tcpListen,
  tcpClose,
  tcpAddresses,
  tcpAccept,
  tcpConnect,
  isTcpListener,
  isTcpAcceptReady,
  isPortNumber,
  isListenPortNumber,
  TcpListener,
} from "@rendezvous/tcp";
import {
  ExnFailContract,
  ExnFailNetworkErrno,
  makeCustodian,
  withCustodian,
  custodianShutdownAll,
  custodianManagedList,
  currentCustodian,
  closeInputPort,
  closeOutputPort,
  readLine,
  writeString,
  flushOutput,
} from "@rendezvous/core";
import {
  connected,
  expectFdsBackTo,
  fdCount,
  hasIpv6,
  listenLoopback,
  rawClient,
  sleep,
  until,
} from "./tcp-helpers.js";

let baseline = 0;
beforeAll(async () => {
  // Warm up (the pausable listener's self-test runs at the first listen), then count.
  const [l] = await listenLoopback();
  tcpClose(l);
  await sleep(50);
  baseline = fdCount();
});
afterAll(async () => {
  await expectFdsBackTo(baseline);
});

describe("tcpListen", () => {
  it("port 0 binds an ephemeral port that tcpAddresses reports", async () => {
    const l = await tcpListen(0, 4, true, "127.0.0.1");
    expect(isTcpListener(l)).toBe(true);
    expect(l).toBeInstanceOf(TcpListener);
    const [host, port, peer, peerPort] = tcpAddresses(l, true);
    expect(host).toBe("127.0.0.1");
    expect(isPortNumber(port)).toBe(true);
    expect([peer, peerPort]).toEqual(["0.0.0.0", 0]);
    expect(tcpAddresses(l)).toEqual(["127.0.0.1", "0.0.0.0"]);
    // Any flag but false/undefined means four values, as in Racket.
    expect(tcpAddresses(l, "yes" as unknown)).toHaveLength(4);
    const c = await connected(rawClient(port));
    const [inp, out] = await tcpAccept(l);
    closeInputPort(inp);
    closeOutputPort(out);
    c.sock.destroy();
    tcpClose(l);
  });

  it("uses the implementation that passed the self-test (the pausable listener here)", async () => {
    const [l] = await listenLoopback();
    expect(l.implementation).toBe("pausable");
    tcpClose(l);
  });

  it("without a host name listens on every IPv4 and IPv6 address, one port", async () => {
    const l = await tcpListen(0);
    const [host, port] = tcpAddresses(l, true);
    expect(host).toBe("0.0.0.0");
    const v4 = await connected(rawClient(port, "127.0.0.1"));
    const [i4, o4] = await tcpAccept(l);
    expect(tcpAddresses(i4, true)).toEqual(["127.0.0.1", port, "127.0.0.1", v4.localPort]);
    if (await hasIpv6()) {
      const v6 = await connected(rawClient(port, "::1"));
      const [i6, o6] = await tcpAccept(l);
      expect(tcpAddresses(i6, true)).toEqual(["::1", port, "::1", v6.localPort]);
      closeInputPort(i6);
      closeOutputPort(o6);
      v6.sock.destroy();
    }
    closeInputPort(i4);
    closeOutputPort(o4);
    v4.sock.destroy();
    tcpClose(l);
  });

  it("an IPv6 listener is IPv6-only: '::1' refuses IPv4 clients", async () => {
    if (!(await hasIpv6())) return;
    const l = await tcpListen(0, 4, true, "::1");
    const [host, port, peer, peerPort] = tcpAddresses(l, true);
    expect([host, peer, peerPort]).toEqual(["::1", "0.0.0.0", 0]);
    const err = await tcpConnect("127.0.0.1", port).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExnFailNetworkErrno);
    expect((err as ExnFailNetworkErrno).errno).toEqual([111, "posix"]);
    tcpClose(l);
  });

  it("a host name is resolved: 'localhost' listens on its loopback address(es)", async () => {
    const l = await tcpListen(0, 4, true, "localhost");
    const [host, port] = tcpAddresses(l, true);
    expect(["127.0.0.1", "::1"]).toContain(host);
    const [inp, out] = await tcpConnect("localhost", port);
    const [sin, sout] = await tcpAccept(l);
    await writeString("via localhost\n", out);
    await flushOutput(out);
    expect(await readLine(sin)).toBe("via localhost");
    for (const p of [inp, sin]) closeInputPort(p);
    for (const p of [out, sout]) closeOutputPort(p);
    tcpClose(l);
  });

  it("a port in use fails with ExnFailNetworkErrno [98, posix], also with reuse", async () => {
    const [l, port] = await listenLoopback();
    for (const reuse of [false, true]) {
      const err = await tcpListen(port, 4, reuse, "127.0.0.1").catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ExnFailNetworkErrno);
      expect((err as ExnFailNetworkErrno).errno).toEqual([98, "posix"]);
      expect((err as Error).message).toMatch(
        new RegExp(
          `^tcp-listen: listen failed\\n  hostname: 127.0.0.1\\n  port number: ${port}\\n  system error: Address already in use; errno=98`,
        ),
      );
    }
    tcpClose(l);
  });

  it("an unresolvable host name fails with a gai errno", async () => {
    const err = await tcpListen(0, 4, false, "nonexistent.invalid").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExnFailNetworkErrno);
    const [code, kind] = (err as ExnFailNetworkErrno).errno;
    expect(kind).toBe("gai");
    expect(code).toBeLessThan(0);
    expect((err as Error).message).toMatch(
      /^tcp-listen: address-resolution error\n {2}hostname: nonexistent.invalid/,
    );
  });

  it("bad arguments reject with ExnFailContract naming tcp-listen", async () => {
    const bad: unknown[][] = [[70000], [-1], [1.5], ["80"], [0, -1], [0, 2.5], [0, 4, false, 5]];
    for (const args of bad) {
      const err = await (tcpListen as (...a: unknown[]) => Promise<unknown>)(...args).catch(
        (e: unknown) => e,
      );
      expect(err).toBeInstanceOf(ExnFailContract);
      expect((err as Error).message).toMatch(/^tcp-listen: contract violation\n {2}expected: /);
    }
    const err = await tcpListen(70000).catch((e: unknown) => e);
    expect((err as Error).message).toBe(
      "tcp-listen: contract violation\n  expected: listen-port-number?\n  given: 70000",
    );
  });

  it("maxAllowWait = 2 with 6 clients: 2 or 3 connect, the rest wait until an accept frees a slot", async () => {
    const [l, port] = await listenLoopback(2);
    const clients = Array.from({ length: 6 }, () => rawClient(port));
    // Each client writes on connect, as real clients do: a client that Linux answered with a SYN
    // cookie while the queue was full is only admitted by its data (Racket behaves the same).
    for (const c of clients) c.sock.on("connect", () => c.sock.write("hi"));
    // Past the first SYN retransmission (1 s): the count must hold after it, too (while a client
    // sits in the listener's slot, its kernel backlog is one less).
    await sleep(1500);
    const early = clients.filter((c) => c.connected).length;
    expect(early).toBeGreaterThanOrEqual(2);
    expect(early).toBeLessThanOrEqual(3);
    // The others are pending, not refused.
    expect(clients.every((c) => !c.events.some((e) => e.startsWith("error")))).toBe(true);
    const accepted: number[] = [];
    const acceptOne = async () => {
      const [inp, out] = await tcpAccept(l);
      accepted.push(tcpAddresses(inp, true)[3]);
      closeInputPort(inp);
      closeOutputPort(out);
    };
    await acceptOne();
    // A pending client gets in at its next SYN retransmission (about 1 s on Linux).
    await until(() => clients.filter((c) => c.connected).length > early, 4000, "a pending client");
    while (accepted.length < 6) await acceptOne();
    expect(new Set(accepted).size).toBe(6);
    expect(new Set(accepted)).toEqual(new Set(clients.map((c) => c.localPort)));
    for (const c of clients) c.sock.destroy();
    tcpClose(l);
  }, 20_000);

  it("isListenPortNumber and isPortNumber", () => {
    expect([0, 1, 65535, 65536, -1, 1.5, "1"].map(isListenPortNumber)).toEqual([
      true,
      true,
      true,
      false,
      false,
      false,
      false,
    ]);
    expect([0, 1, 65535, 65536].map(isPortNumber)).toEqual([false, true, true, false]);
  });
});

describe("tcpClose", () => {
  it("resets queued clients, leaves accepted connections working, and a second close raises", async () => {
    const [l, port] = await listenLoopback();
    const [cin, cout] = await tcpConnect("127.0.0.1", port);
    const [sin, sout] = await tcpAccept(l);
    const queued = await connected(rawClient(port));
    await until(() => isTcpAcceptReady(l));
    const queued2 = await connected(rawClient(port));
    tcpClose(l);
    queued.sock.resume();
    queued2.sock.resume();
    await until(() => queued.events.includes("error:ECONNRESET"), 3000, "reset of a parked client");
    await until(
      () => queued2.events.includes("error:ECONNRESET"),
      3000,
      "reset of a queued client",
    );
    // The accepted connection still works both ways.
    await writeString("still here\n", cout);
    await flushOutput(cout);
    expect(await readLine(sin)).toBe("still here");
    await writeString("me too\n", sout);
    await flushOutput(sout);
    expect(await readLine(cin)).toBe("me too");
    expect(() => tcpClose(l)).toThrow(ExnFailContract);
    expect(() => tcpClose(l)).toThrow(/^tcp-close: listener is closed/);
    expect(isTcpListener(l)).toBe(true);
    expect(() => isTcpAcceptReady(l)).toThrow(/^tcp-accept-ready\?: listener is closed/);
    expect(() => tcpAddresses(l)).toThrow(/^tcp-addresses: listener is closed/);
    for (const p of [cin, sin]) closeInputPort(p);
    for (const p of [cout, sout]) closeOutputPort(p);
  });

  it("rejects non-listeners with ExnFailContract", () => {
    expect(() => tcpClose(5 as never)).toThrow(
      "tcp-close: contract violation\n  expected: tcp-listener?\n  given: 5",
    );
  });
});

describe("listeners and custodians", () => {
  it("a listener belongs to the current custodian; shutting it down closes the listener", async () => {
    const c = makeCustodian();
    const l = await withCustodian(c, () => tcpListen(0, 4, true, "127.0.0.1"));
    expect(custodianManagedList(c, currentCustodian())).toContain(l);
    custodianShutdownAll(c);
    expect(() => tcpClose(l)).toThrow(/listener is closed/);
    expect(custodianManagedList(c, currentCustodian())).not.toContain(l);
  });

  it("tcpClose takes the listener off its custodian's list", async () => {
    const c = makeCustodian();
    const l = await withCustodian(c, () => tcpListen(0, 4, true, "127.0.0.1"));
    tcpClose(l);
    expect(custodianManagedList(c, currentCustodian())).not.toContain(l);
    custodianShutdownAll(c);
  });

  it("listening under a shut-down custodian fails and opens nothing", async () => {
    const c = makeCustodian();
    custodianShutdownAll(c);
    const before = fdCount();
    const err = await withCustodian(c, () => tcpListen(0, 4, true, "127.0.0.1")).catch(
      (e: unknown) => e,
    );
    expect((err as Error).message).toMatch(/custodian has been shut down/);
    await expectFdsBackTo(before);
  });

  it("await using closes the listener at scope exit, quietly if already closed", async () => {
    let kept: TcpListener;
    {
      await using l = await tcpListen(0, 4, true, "127.0.0.1");
      kept = l;
      expect(isTcpAcceptReady(l)).toBe(false);
    }
    expect(() => tcpClose(kept)).toThrow(/listener is closed/);
    {
      await using l2 = await tcpListen(0, 4, true, "127.0.0.1");
      tcpClose(l2);
    }
  });
});
