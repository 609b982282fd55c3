// Options: receive buffer size, TTL, multicast — Racket's defaults, checks and errors, on bound and
// unbound sockets (options set before the bind are applied by the bind). No multicast datagram is
// sent (loopback only); membership is checked through the kernel's answers.
import { describe, it, expect } from "vitest";
import {
  udpOpenSocket,
  udpBind,
  udpClose,
  udpSetReceiveBufferSize,
  udpTtl,
  udpSetTtl,
  udpMulticastJoinGroup,
  udpMulticastLeaveGroup,
  udpMulticastInterface,
  udpMulticastSetInterface,
  isUdpMulticastLoopback,
  udpMulticastSetLoopback,
  udpMulticastTtl,
  udpMulticastSetTtl,
  udpSendTo,
  udpReceiveStar,
  udpReceiveDropCount,
  udpAddresses,
  type UdpSocket,
} from "@rendezvous/udp";
import { ExnFailContract, ExnFailNetwork, ExnFailNetworkErrno } from "@rendezvous/core";
import { bound, rawPeer, rawSend, rejects, sleep, throws, until } from "./udp-helpers.js";

function errnoOf(e: Error): [number, string] {
  return (e as ExnFailNetworkErrno).errno;
}

describe("udpSetReceiveBufferSize", () => {
  it("checks its argument and the socket", () => {
    const s = udpOpenSocket();
    throws(
      () => udpSetReceiveBufferSize(s, 0),
      ExnFailContract,
      /^udp-set-receive-buffer-size!: contract violation\n {2}expected: exact-positive-integer\?\n {2}given: 0$/,
    );
    throws(() => udpSetReceiveBufferSize(s, 1.5), ExnFailContract, /exact-positive-integer/);
    throws(
      () => udpSetReceiveBufferSize(s, 2 ** 40),
      ExnFailNetwork,
      /^udp-set-receive-buffer-size!: given size is too large\n {2}given size: 1099511627776$/,
    );
    udpSetReceiveBufferSize(s, 100_000); // unbound: kept for the bind
    udpClose(s);
    throws(() => udpSetReceiveBufferSize(s, 100), ExnFailNetwork, /udp socket is closed/);
  });

  it("sizes the queue at twice the size (at least 2304 bytes), each datagram charged 256 bytes more", async () => {
    const [s, port] = await bound();
    const peer = await rawPeer();
    const sendMany = async (n: number) => {
      for (let i = 0; i < n; i++) await rawSend(peer.sock, new Uint8Array(32), port);
    };
    udpSetReceiveBufferSize(s, 2000); // 4000 bytes: 13 datagrams of 32 + 256 bytes
    await sendMany(20);
    await until(() => udpReceiveDropCount(s) === 7, 2000, "7 drops");
    udpSetReceiveBufferSize(s, 1 << 20); // now room for the next 20 too
    await sendMany(20);
    await sleep(30);
    expect(udpReceiveDropCount(s)).toBe(7);
    let queued = 0;
    while (udpReceiveStar(s, new Uint8Array(1))[0] !== false) queued++;
    expect(queued).toBe(33);
    // Set before the bind: used by the bind.
    const t = udpOpenSocket();
    udpSetReceiveBufferSize(t, 1);
    await udpBind(t, "127.0.0.1", 0);
    for (let i = 0; i < 12; i++)
      await rawSend(peer.sock, new Uint8Array(32), udpAddresses(t, true)[1]);
    await until(() => udpReceiveDropCount(t) === 4, 2000, "4 drops");
    udpClose(s);
    udpClose(t);
    await peer.close();
  });
});

describe("udpTtl / udpSetTtl", () => {
  it("defaults to the system's 64 and keeps what is set, bound or not", async () => {
    const s = udpOpenSocket();
    expect(udpTtl(s)).toBe(64);
    udpSetTtl(s, 255);
    expect(udpTtl(s)).toBe(255);
    await udpBind(s, "127.0.0.1", 0); // applied at the bind
    udpSetTtl(s, 3);
    expect(udpTtl(s)).toBe(3);
    const s6 = udpOpenSocket("::1") as UdpSocket;
    expect(udpTtl(s6)).toBe(64);
    udpClose(s);
    udpClose(s6);
  });

  it("refuses 0 as the kernel does (errno 22), non-bytes, and closed sockets", () => {
    const s = udpOpenSocket();
    const e = throws(
      () => udpSetTtl(s, 0),
      ExnFailNetworkErrno,
      /^udp-set-ttl!: setsockopt failed\n {2}system error: .*; errno=22$/,
    );
    expect(errnoOf(e)).toEqual([22, "posix"]);
    throws(
      () => udpSetTtl(s, 256),
      ExnFailContract,
      /^udp-set-ttl!: contract violation\n {2}expected: byte\?/,
    );
    throws(() => udpTtl(5 as never), ExnFailContract, /udp-ttl: contract violation/);
    udpClose(s);
    throws(() => udpTtl(s), ExnFailNetwork, /^udp-ttl: udp socket is closed/);
    throws(() => udpSetTtl(s, 3), ExnFailNetwork, /^udp-set-ttl!: udp socket is closed/);
  });
});

describe("multicast options", () => {
  it("has Racket's defaults and keeps what is set", async () => {
    const s = udpOpenSocket();
    expect(udpMulticastTtl(s)).toBe(1);
    expect(isUdpMulticastLoopback(s)).toBe(true);
    expect(udpMulticastInterface(s)).toBe("0.0.0.0");
    udpMulticastSetTtl(s, 0);
    expect(udpMulticastTtl(s)).toBe(0);
    udpMulticastSetLoopback(s, false);
    expect(isUdpMulticastLoopback(s)).toBe(false);
    udpMulticastSetLoopback(s, "yes"); // any true value
    expect(isUdpMulticastLoopback(s)).toBe(true);
    udpMulticastSetLoopback(s, false);
    const p = udpMulticastSetInterface(s, "127.0.0.1");
    expect(udpMulticastInterface(s)).toBe("127.0.0.1"); // numeric: set within the call
    await p;
    // Applied at the bind; changed afterwards on the descriptor.
    await udpBind(s, false, 0);
    udpMulticastSetTtl(s, 7);
    expect(udpMulticastTtl(s)).toBe(7);
    await udpMulticastSetInterface(s, false);
    expect(udpMulticastInterface(s)).toBe("0.0.0.0");
    throws(
      () => udpMulticastSetTtl(s, 256),
      ExnFailContract,
      /^udp-multicast-set-ttl!: contract violation\n {2}expected: byte\?/,
    );
    udpClose(s);
    for (const f of [udpMulticastTtl, isUdpMulticastLoopback, udpMulticastInterface] as ((
      s: UdpSocket,
    ) => unknown)[])
      throws(() => f(s), ExnFailNetwork, /udp socket is closed/);
    throws(
      () => udpMulticastSetLoopback(s, true),
      ExnFailNetwork,
      /^udp-multicast-set-loopback!: udp socket is closed/,
    );
    await rejects(udpMulticastSetInterface(s, false), ExnFailNetwork, /udp socket is closed/);
  });

  it("refuses an interface that is not a local address (99), by name resolution errors (gai)", async () => {
    const s = udpOpenSocket();
    const e = await rejects(
      udpMulticastSetInterface(s, "10.255.255.1"),
      ExnFailNetworkErrno,
      /^udp-multicast-set-interface!: setsockopt failed/,
    );
    expect(errnoOf(e)).toEqual([99, "posix"]);
    const g = await rejects(
      udpMulticastSetInterface(s, "::1"),
      ExnFailNetworkErrno,
      /^udp-multicast-set-interface!: can't resolve address\n {2}address: ::1\n/,
    );
    expect(errnoOf(g)).toEqual([-9, "gai"]);
    await udpMulticastSetInterface(s, "localhost");
    expect(udpMulticastInterface(s)).toBe("127.0.0.1");
    udpClose(s);
  });

  it("joins and leaves groups with the kernel's errors, bound or not", async () => {
    const [s] = await bound("127.0.0.1");
    await udpMulticastJoinGroup(s, "239.255.0.1", "127.0.0.1");
    const dup = await rejects(
      udpMulticastJoinGroup(s, "239.255.0.1", "127.0.0.1"),
      ExnFailNetworkErrno,
      /^udp-multicast-join-group!: setsockopt failed\n {2}system error: .*; errno=98$/,
    );
    expect(errnoOf(dup)).toEqual([98, "posix"]);
    await udpMulticastLeaveGroup(s, "239.255.0.1", "127.0.0.1");
    const gone = await rejects(
      udpMulticastLeaveGroup(s, "239.255.0.1", "127.0.0.1"),
      ExnFailNetworkErrno,
      /^udp-multicast-leave-group!: setsockopt failed/,
    );
    expect(errnoOf(gone)).toEqual([99, "posix"]);
    expect(
      errnoOf(await rejects(udpMulticastJoinGroup(s, "127.0.0.1", false), ExnFailNetworkErrno)),
    ).toEqual([22, "posix"]);
    expect(
      errnoOf(
        await rejects(udpMulticastJoinGroup(s, "239.255.0.2", "10.255.255.1"), ExnFailNetworkErrno),
      ),
    ).toEqual([19, "posix"]);
    const six = await rejects(
      udpMulticastJoinGroup(s, "ff02::1", false),
      ExnFailNetworkErrno,
      /^udp-multicast-join-group!: can't resolve multicast address\n {2}address: ff02::1\n/,
    );
    expect(errnoOf(six)).toEqual([-9, "gai"]);
    const bad = await rejects(
      udpMulticastJoinGroup(s, "nonexistent.invalid", false),
      ExnFailNetworkErrno,
      /can't resolve multicast address/,
    );
    expect(errnoOf(bad)[1]).toBe("gai");
    await rejects(
      udpMulticastJoinGroup(s, 5 as never, false),
      ExnFailContract,
      /expected: string\?/,
    );
    udpClose(s);
    await rejects(
      udpMulticastJoinGroup(s, "239.255.0.1", false),
      ExnFailNetwork,
      /^udp-multicast-join-group!: udp socket is closed/,
    );
  });

  it("a group joined before the bind is joined by the bind (the kernel then lets it be left)", async () => {
    const s = udpOpenSocket();
    await udpMulticastJoinGroup(s, "239.255.0.3", "127.0.0.1");
    await udpBind(s, "0.0.0.0", 0);
    // If the bind had not joined, the kernel would refuse this leave with EADDRNOTAVAIL.
    await udpMulticastLeaveGroup(s, "239.255.0.3", "127.0.0.1");
    // Joined before an implicit bind (a send) too.
    const t = udpOpenSocket();
    await udpMulticastJoinGroup(t, "239.255.0.4", false);
    const peer = await rawPeer();
    await udpSendTo(t, "127.0.0.1", peer.port, new Uint8Array(1));
    await until(() => peer.got.length === 1);
    await udpMulticastLeaveGroup(t, "239.255.0.4", false);
    await peer.close();
    udpClose(s);
    udpClose(t);
  });

  it("an IPv6 socket joins IPv6 and IPv4 groups; its defaults are IPv6's", async () => {
    const s = udpOpenSocket("::") as UdpSocket;
    expect(udpMulticastInterface(s)).toBe("::");
    await udpBind(s, "::", 0);
    await udpMulticastJoinGroup(s, "ff02::1:3", "::%lo");
    await udpMulticastLeaveGroup(s, "ff02::1:3", "::%lo");
    await udpMulticastJoinGroup(s, "239.255.0.5", "127.0.0.1");
    await udpMulticastLeaveGroup(s, "239.255.0.5", "127.0.0.1");
    udpMulticastSetTtl(s, 2);
    udpMulticastSetLoopback(s, false);
    expect([udpMulticastTtl(s), isUdpMulticastLoopback(s)]).toEqual([2, false]);
    udpClose(s);
  });
});
