// Operating-system errors: an address in use, a refused connection, a name that does not resolve
// (names under `.invalid`, RFC 6761: resolution fails locally, without the network). Each settles
// with ExnFailNetworkErrno carrying Racket's errno pair and a message starting with the Racket name;
// nothing is left open; and the process keeps serving.
import { describe, expect, it } from "vitest";
import {
  tcpAddresses,
  tcpClose,
  tcpConnect,
  tcpConnectEnableBreak,
  tcpListen,
} from "@rendezvous/tcp";
import {
  udpAddresses,
  udpBind,
  udpClose,
  udpConnect,
  udpOpenSocket,
  udpReceive,
  udpSend,
  udpSendTo,
  udpSendToEvt,
  udpSendToStar,
  type UdpSocket,
} from "@rendezvous/udp";
import { sync } from "@rendezvous/core";
import { expectErrno, listen, sleep, stillServes } from "./helpers.js";

const NAME = "no-such-host.invalid";
/** Resolving a `.invalid` name fails locally: well within this bound, even on a loaded machine. */
const RESOLVE_BOUND_MS = 4000;

async function timed<T>(p: Promise<T>): Promise<[unknown, number]> {
  const t0 = performance.now();
  try {
    await p;
    return [new Error("resolved"), performance.now() - t0];
  } catch (e) {
    return [e, performance.now() - t0];
  }
}

/** A loopback port nobody listens on (TCP and UDP alike: it was just freed). */
async function closedPort(): Promise<number> {
  const l = await tcpListen(0, 4, true, "127.0.0.1");
  const port = tcpAddresses(l, true)[1];
  tcpClose(l);
  return port;
}

describe("faults: errno", () => {
  it("EADDRINUSE: tcp-listen and udp-bind! on a port in use", async () => {
    const [l, port] = await listen();
    await expect(tcpListen(port, 4, false, "127.0.0.1")).rejects.toSatisfy((e) => {
      expectErrno(e, [98, "posix"], "tcp-listen: listen failed");
      return true;
    });
    const a = udpOpenSocket();
    await udpBind(a, "127.0.0.1", 0);
    const b = udpOpenSocket();
    await expect(udpBind(b, "127.0.0.1", udpAddresses(a, true)[1])).rejects.toSatisfy((e) => {
      expectErrno(e, [98, "posix"], "udp-bind!: can't bind");
      return true;
    });
    // The failed socket is still usable: it binds elsewhere.
    await udpBind(b, "127.0.0.1", 0);
    udpClose(a);
    udpClose(b);
    tcpClose(l);
    await stillServes();
  });

  it("ECONNREFUSED: tcp-connect to a closed port; a connected UDP socket's next send after the ICMP", async () => {
    const port = await closedPort();
    await expect(tcpConnect("127.0.0.1", port)).rejects.toSatisfy((e) => {
      expectErrno(e, [111, "posix"], "tcp-connect: connection failed");
      return true;
    });
    await expect(
      tcpConnectEnableBreak(new AbortController().signal, "127.0.0.1", port),
    ).rejects.toSatisfy((e) => {
      expectErrno(e, [111, "posix"], "tcp-connect/enable-break: connection failed");
      return true;
    });
    const s = udpOpenSocket();
    await udpBind(s, "127.0.0.1", 0);
    await udpConnect(s, "127.0.0.1", port);
    await udpSend(s, Uint8Array.of(1)); // sent; the kernel answers with port unreachable
    let err: unknown = null;
    for (let i = 0; i < 100 && err === null; i++) {
      await sleep(5);
      try {
        await udpSend(s, Uint8Array.of(2));
      } catch (e) {
        err = e;
      }
    }
    expectErrno(err, [111, "posix"], "udp-send: send failed");
    udpClose(s);
    await stillServes();
  });

  it("an unresolvable name: tcp-connect, tcp-listen, udp-send-to, udp-send-to-evt, udp-open-socket, udp-bind!, udp-connect!", async () => {
    const s = udpOpenSocket();
    await udpBind(s, "127.0.0.1", 0);
    const opened: UdpSocket[] = [];
    const fresh = () => {
      const u = udpOpenSocket();
      opened.push(u);
      return u;
    };
    const cases: [string, () => Promise<unknown>, string][] = [
      ["tcp-connect", () => tcpConnect(NAME, 80), "tcp-connect: host not found"],
      ["tcp-listen", () => tcpListen(0, 4, true, NAME), "tcp-listen: address-resolution error"],
      ["udp-send-to", () => udpSendTo(s, NAME, 9, Uint8Array.of(1)), "udp-send-to: "],
      [
        "udp-send-to-evt",
        () => sync(udpSendToEvt(s, NAME, 9, Uint8Array.of(1))),
        "udp-send-to-evt: ",
      ],
      ["udp-open-socket", async () => udpOpenSocket(NAME), "udp-open-socket: "],
      ["udp-bind!", () => udpBind(fresh(), NAME, 0), "udp-bind!: "],
      ["udp-connect!", () => udpConnect(fresh(), NAME, 9), "udp-connect!: "],
    ];
    for (const [who, call, prefix] of cases) {
      const [e, ms] = await timed(call());
      expect(ms, `${who} took ${ms} ms`).toBeLessThan(RESOLVE_BOUND_MS);
      expectErrno(e, [-2, "gai"], prefix);
    }
    // A never-waiting send cannot wait for the lookup: it answers false (nothing sent) until the
    // lookup has failed, then raises its error.
    let starErr: unknown = null;
    const t0 = performance.now();
    while (starErr === null && performance.now() - t0 < RESOLVE_BOUND_MS) {
      try {
        expect(udpSendToStar(s, NAME, 9, Uint8Array.of(1))).toBe(false);
        await sleep(2);
      } catch (e) {
        starErr = e;
      }
    }
    expectErrno(starErr, [-2, "gai"], "udp-send-to*: ");
    // Nothing was sent by the failed sends: the socket still receives normally.
    const r = udpOpenSocket();
    await udpBind(r, "127.0.0.1", 0);
    await udpSendTo(s, "127.0.0.1", udpAddresses(r, true)[1], Uint8Array.of(9, 9));
    const buf = new Uint8Array(4);
    expect((await udpReceive(r, buf))[0]).toBe(2);
    udpClose(r);
    udpClose(s);
    for (const u of opened) udpClose(u);
    await stillServes();
  });
});
