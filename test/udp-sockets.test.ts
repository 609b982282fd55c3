// Socket lifecycle: opening (families), binding, connecting, closing, Racket's flags, addresses,
// custodians and disposal. Loopback only.
import { describe, it, expect } from "vitest";
import { networkInterfaces } from "node:os";
import {
  udpOpenSocket,
  udpBind,
  udpConnect,
  udpClose,
  udpAddresses,
  udpSendTo,
  udpSend,
  udpReceive,
  udpReceiveStar,
  isUdp,
  isUdpOpen,
  isUdpBound,
  isUdpConnected,
  type UdpSocket,
} from "@rendezvous/udp";
import {
  ExnFailContract,
  ExnFailNetwork,
  ExnFailNetworkErrno,
  makeCustodian,
  withCustodian,
  custodianShutdownAll,
  custodianManagedList,
  currentCustodian,
  isEvt,
} from "@rendezvous/core";
import {
  bound,
  bytes,
  expectFdsBackTo,
  fdCount,
  rawPeer,
  rawSend,
  rejects,
  sleep,
  text,
  throws,
  until,
} from "./udp-helpers.js";

describe("udpOpenSocket", () => {
  it("opens an IPv4 socket synchronously, unbound and unconnected", () => {
    const s = udpOpenSocket();
    expect(isUdp(s)).toBe(true);
    expect(isUdpOpen(s)).toBe(true);
    expect(isUdpBound(s)).toBe(false);
    expect(isUdpConnected(s)).toBe(false);
    expect(udpAddresses(s, true)).toEqual(["0.0.0.0", 0, "0.0.0.0", 0]);
    expect(udpAddresses(s)).toEqual(["0.0.0.0", "0.0.0.0"]);
    // A UDP socket is not an event (Racket: evt? is #f).
    expect(isEvt(s)).toBe(false);
    udpClose(s);
  });

  it("takes the family of a numeric address synchronously, and of a name through a promise", async () => {
    const s6 = udpOpenSocket("::1") as UdpSocket;
    expect(isUdp(s6)).toBe(true);
    expect(udpAddresses(s6, true)).toEqual(["::", 0, "0.0.0.0", 0]);
    const s4 = udpOpenSocket("127.0.0.1", 5000) as UdpSocket;
    expect(udpAddresses(s4, true)[0]).toBe("0.0.0.0");
    const p = udpOpenSocket("localhost");
    expect(p).toBeInstanceOf(Promise);
    const byName = await p;
    expect(isUdp(byName)).toBe(true);
    for (const s of [s6, s4, byName]) udpClose(s);
  });

  it("with a port only, takes the family getaddrinfo lists first for a wildcard (IPv6 when the host has it)", () => {
    const s = udpOpenSocket(false, 5000);
    const hasV6 = Object.values(networkInterfaces()).some((l) =>
      (l ?? []).some((a) => a.family === "IPv6"),
    );
    expect(udpAddresses(s)[0]).toBe(hasV6 ? "::" : "0.0.0.0");
    udpClose(s);
  });

  it("checks its arguments; a name that does not resolve rejects with a gai errno", async () => {
    throws(
      () => udpOpenSocket(5 as never),
      ExnFailContract,
      /^udp-open-socket: contract violation\n {2}expected: \(or\/c string\? #f\)/,
    );
    throws(
      () => udpOpenSocket(false, 0),
      ExnFailContract,
      /expected: \(or\/c port-number\? #f\)\n {2}given: 0/,
    );
    throws(() => udpOpenSocket(false, 65536), ExnFailContract, /port-number/);
    const e = (await rejects(
      udpOpenSocket("nonexistent.invalid") as Promise<UdpSocket>,
      ExnFailNetworkErrno,
      /^udp-open-socket: can't resolve address\n {2}address: nonexistent.invalid\n {2}system error: .*; gai_err=-?\d+$/,
    )) as ExnFailNetworkErrno;
    expect(e.errno[1]).toBe("gai");
  });
});

describe("udpBind", () => {
  it("binds (synchronously for a numeric address) and sets the bound flag", async () => {
    const s = udpOpenSocket();
    const p = udpBind(s, "127.0.0.1", 0);
    // Already bound when the call returns: no lookup was needed.
    expect(isUdpBound(s)).toBe(true);
    await p;
    const [host, port, peer, peerPort] = udpAddresses(s, true);
    expect([host, peer, peerPort]).toEqual(["127.0.0.1", "0.0.0.0", 0]);
    expect(port).toBeGreaterThan(0);
    udpClose(s);
  });

  it("binds to the wildcard address with host false, and to a host name after a lookup", async () => {
    const a = udpOpenSocket();
    await udpBind(a, false, 0);
    expect(udpAddresses(a)[0]).toBe("0.0.0.0");
    const b = udpOpenSocket();
    await udpBind(b, "localhost", 0);
    expect(isUdpBound(b)).toBe(true);
    expect(udpAddresses(b)[0]).toBe("127.0.0.1");
    udpClose(a);
    udpClose(b);
  });

  it("refuses a second bind (contract, as Racket 8.7) and a closed socket (network)", async () => {
    const [s] = await bound();
    await rejects(
      udpBind(s, "127.0.0.1", 0),
      ExnFailContract,
      /^udp-bind!: udp socket is already bound\n {2}socket: #<udp>$/,
    );
    udpClose(s);
    await rejects(
      udpBind(udpOpenSocket(), "127.0.0.1", 70000),
      ExnFailContract,
      /expected: listen-port-number\?/,
    );
    const c = udpOpenSocket();
    udpClose(c);
    await rejects(udpBind(c, "127.0.0.1", 0), ExnFailNetwork, /^udp-bind!: udp socket is closed/);
  });

  it("reports a port in use as errno 98, leaving the socket unbound and bindable", async () => {
    const [a, port] = await bound();
    const b = udpOpenSocket();
    const e = (await rejects(
      udpBind(b, "127.0.0.1", port),
      ExnFailNetworkErrno,
      new RegExp(
        `^udp-bind!: can't bind\\n  address: 127.0.0.1\\n  port number: ${port}\\n  system error: .*; errno=98$`,
      ),
    )) as ExnFailNetworkErrno;
    expect(e.errno).toEqual([98, "posix"]);
    expect(isUdpBound(b)).toBe(false);
    await rejects(
      udpBind(b, "127.0.0.1", port, true),
      ExnFailNetworkErrno,
      /can't bind as reusable/,
    );
    await udpBind(b, "127.0.0.1", 0);
    expect(isUdpBound(b)).toBe(true);
    udpClose(a);
    udpClose(b);
  });

  it("lets two reusable sockets share a port", async () => {
    const a = udpOpenSocket();
    await udpBind(a, "127.0.0.1", 0, true);
    const port = udpAddresses(a, true)[1];
    const b = udpOpenSocket();
    await udpBind(b, "127.0.0.1", port, true);
    expect(udpAddresses(b, true)[1]).toBe(port);
    udpClose(a);
    udpClose(b);
  });

  it("refuses an address of the other family as the kernel does (97 on IPv4, 22 on IPv6)", async () => {
    const s4 = udpOpenSocket();
    const e4 = (await rejects(
      udpBind(s4, "::1", 0),
      ExnFailNetworkErrno,
      /can't bind/,
    )) as ExnFailNetworkErrno;
    expect(e4.errno).toEqual([97, "posix"]);
    const s6 = udpOpenSocket("::1") as UdpSocket;
    const e6 = (await rejects(
      udpBind(s6, "127.0.0.1", 0),
      ExnFailNetworkErrno,
    )) as ExnFailNetworkErrno;
    expect(e6.errno).toEqual([22, "posix"]);
    udpClose(s4);
    udpClose(s6);
  });

  it("refuses to bind a socket that a connect gave an address (errno 22), though it is not 'bound'", async () => {
    const s = udpOpenSocket();
    await udpConnect(s, "127.0.0.1", 9);
    expect(isUdpBound(s)).toBe(false);
    const e = (await rejects(
      udpBind(s, "127.0.0.1", 0),
      ExnFailNetworkErrno,
    )) as ExnFailNetworkErrno;
    expect(e.errno).toEqual([22, "posix"]);
    udpClose(s);
  });

  it("rejects a name that does not resolve with a gai errno", async () => {
    const s = udpOpenSocket();
    const e = (await rejects(
      udpBind(s, "nonexistent.invalid", 0),
      ExnFailNetworkErrno,
      /can't resolve address/,
    )) as ExnFailNetworkErrno;
    expect(e.errno[1]).toBe("gai");
    expect(isUdpBound(s)).toBe(false);
    udpClose(s);
  });
});

describe("udpConnect", () => {
  it("connects without binding; a send binds (Racket's flags)", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    await udpConnect(s, "127.0.0.1", peer.port);
    expect(isUdpConnected(s)).toBe(true);
    expect(isUdpBound(s)).toBe(false);
    const [lh, lp, ph, pp] = udpAddresses(s, true);
    expect([lh, ph, pp]).toEqual(["127.0.0.1", "127.0.0.1", peer.port]);
    expect(lp).toBeGreaterThan(0);
    // Receiving needs the bound flag, which a connect alone does not set.
    throws(() => udpReceiveStar(s, new Uint8Array(4)), ExnFailNetwork, /udp socket is not bound/);
    await udpSend(s, bytes("x"));
    expect(isUdpBound(s)).toBe(true);
    await until(() => peer.got.length === 1);
    udpClose(s);
    await peer.close();
  });

  it("re-connects and disconnects; a connected socket receives only from its peer", async () => {
    const [s, port] = await bound();
    const a = await rawPeer();
    const b = await rawPeer();
    await udpConnect(s, "127.0.0.1", a.port);
    await udpConnect(s, "127.0.0.1", b.port); // a re-connect: Node needs a disconnect first
    expect(udpAddresses(s, true)[3]).toBe(b.port);
    const local = udpAddresses(s, true)[1];
    await udpSend(s, bytes("to b"));
    await until(() => b.got.length === 1);
    expect(a.got.length).toBe(0);
    // The kernel filters: a datagram from a (not the peer) is not delivered; one from b is.
    await rawSend(a.sock, bytes("from a"), local);
    await rawSend(b.sock, bytes("from b"), local);
    const buf = new Uint8Array(10);
    const [n, , from] = await udpReceive(s, buf);
    expect([text(buf.subarray(0, n)), from]).toEqual(["from b", b.port]);
    await udpConnect(s, false, false);
    expect(isUdpConnected(s)).toBe(false);
    expect(udpAddresses(s, true).slice(2)).toEqual(["0.0.0.0", 0]);
    await udpConnect(s, false, false); // not connected: a no-op
    void port;
    udpClose(s);
    await a.close();
    await b.close();
  });

  it("checks its arguments: both false or both given", async () => {
    const s = udpOpenSocket();
    await rejects(
      udpConnect(s, "::1", false),
      ExnFailContract,
      /^udp-connect!: last second and third arguments must be both #f or both non-#f\n {2}second argument: "::1"\n {2}third argument: #f$/,
    );
    await rejects(udpConnect(s, false, 5), ExnFailContract, /both #f or both non-#f/);
    await rejects(udpConnect(s, "127.0.0.1", 0), ExnFailContract, /\(or\/c port-number\? #f\)/);
    await rejects(udpConnect(5 as never, false, false), ExnFailContract, /expected: udp\?/);
    udpClose(s);
    await rejects(
      udpConnect(s, "127.0.0.1", 9),
      ExnFailNetwork,
      /^udp-connect!: udp socket is closed/,
    );
    await rejects(udpConnect(s, false, false), ExnFailNetwork, /udp socket is closed/);
  });

  it("refuses an IPv6 peer on an IPv4 socket (97); an IPv6 socket reaches IPv4 peers mapped", async () => {
    const s4 = udpOpenSocket();
    const e = (await rejects(
      udpConnect(s4, "::1", 9),
      ExnFailNetworkErrno,
      /^udp-connect!: can't connect\n {2}address: ::1\n {2}port number: 9/,
    )) as ExnFailNetworkErrno;
    expect(e.errno).toEqual([97, "posix"]);
    const peer = await rawPeer();
    const s6 = udpOpenSocket("::") as UdpSocket;
    await udpConnect(s6, "127.0.0.1", peer.port);
    expect(udpAddresses(s6, true).slice(2)).toEqual(["::ffff:127.0.0.1", peer.port]);
    await udpSend(s6, bytes("six"));
    await until(() => peer.got.length === 1);
    udpClose(s4);
    udpClose(s6);
    await peer.close();
  });

  it("applies binds and connects in call order, even when an earlier one waits for a lookup", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    const b = udpBind(s, "localhost", 0);
    const c = udpConnect(s, "127.0.0.1", peer.port);
    await Promise.all([b, c]);
    expect(isUdpBound(s)).toBe(true); // the bind came first: the connect did not pre-empt it
    expect(isUdpConnected(s)).toBe(true);
    udpClose(s);
    await peer.close();
  });
});

describe("udpClose", () => {
  it("closes once; a second close raises; the flags survive", async () => {
    const [s] = await bound();
    await udpConnect(s, "127.0.0.1", 9);
    udpClose(s);
    expect(isUdpOpen(s)).toBe(false);
    expect(isUdpBound(s)).toBe(true);
    expect(isUdpConnected(s)).toBe(true);
    throws(
      () => udpClose(s),
      ExnFailNetwork,
      /^udp-close: udp socket was already closed\n {2}socket: #<udp>$/,
    );
    throws(() => udpAddresses(s), ExnFailNetwork, /^udp-addresses: udp socket is closed/);
    throws(
      () => udpClose({} as never),
      ExnFailContract,
      /^udp-close: contract violation\n {2}expected: udp\?/,
    );
    throws(() => isUdpBound(5 as never), ExnFailContract, /udp-bound\?/);
  });

  it("discards queued datagrams", async () => {
    const [s, port] = await bound();
    const peer = await rawPeer();
    await rawSend(peer.sock, bytes("lost"), port);
    await sleep(20);
    udpClose(s);
    throws(() => udpReceiveStar(s, new Uint8Array(4)), ExnFailNetwork, /closed/);
    await peer.close();
  });

  it("releases every descriptor (close, dispose, custodian)", async () => {
    await sleep(20);
    const baseline = fdCount();
    for (let i = 0; i < 20; i++) {
      const [s, port] = await bound();
      await udpSendTo(s, "127.0.0.1", port, bytes("me"));
      const t = udpOpenSocket();
      await udpSendTo(t, "127.0.0.1", port, bytes("you"));
      udpClose(s);
      await t[Symbol.asyncDispose]();
    }
    const c = makeCustodian();
    const [x] = await withCustodian(c, () => bound());
    custodianShutdownAll(c);
    expect(isUdpOpen(x)).toBe(false);
    await expectFdsBackTo(baseline);
  });
});

describe("custodians and disposal", () => {
  it("registers with the current custodian; shutting it down closes the socket and wakes receivers", async () => {
    const c = makeCustodian();
    const [s] = await withCustodian(c, () => bound());
    expect(custodianManagedList(c, currentCustodian())).toContain(s);
    const pending = udpReceive(s, new Uint8Array(4));
    custodianShutdownAll(c);
    await rejects(pending, ExnFailNetwork, /^udp-receive!: udp socket is closed/);
    expect(isUdpOpen(s)).toBe(false);
    expect(custodianManagedList(c, currentCustodian())).not.toContain(s);
    // Closing by hand afterwards is a second close.
    throws(() => udpClose(s), ExnFailNetwork, /already closed/);
  });

  it("leaves the custodian when closed by hand", async () => {
    const c = makeCustodian();
    const s = withCustodian(c, () => udpOpenSocket());
    expect(custodianManagedList(c, currentCustodian())).toContain(s);
    udpClose(s);
    expect(custodianManagedList(c, currentCustodian())).not.toContain(s);
    custodianShutdownAll(c);
  });

  it("refuses to open under a custodian that was shut down", () => {
    const c = makeCustodian();
    custodianShutdownAll(c);
    expect(() => withCustodian(c, () => udpOpenSocket())).toThrow(
      /udp-open-socket: the custodian has been shut down/,
    );
  });

  it("implements Symbol.asyncDispose (await using)", async () => {
    let kept: UdpSocket;
    {
      await using s = udpOpenSocket();
      await udpBind(s, "127.0.0.1", 0);
      kept = s;
      expect(isUdpOpen(s)).toBe(true);
    }
    expect(isUdpOpen(kept)).toBe(false);
    // Disposing a closed socket does nothing more.
    await kept[Symbol.asyncDispose]();
  });
});
