// Sending: send events send iff chosen, state errors raised when chosen, range errors at call
// time, zero-length datagrams, never-waiting and breakable variants, name resolution, kernel
// refusals (EMSGSIZE, ICMP-refused) as settled, correctly classed errors.
import { describe, it, expect } from "vitest";
import {
  udpOpenSocket,
  udpClose,
  udpConnect,
  udpSend,
  udpSendTo,
  udpSendStar,
  udpSendToStar,
  udpSendEnableBreak,
  udpSendToEnableBreak,
  udpSendEvt,
  udpSendToEvt,
  udpSendReadyEvt,
  isUdpBound,
  type UdpSocket,
} from "@rendezvous/udp";
import {
  sync,
  syncTimeout,
  syncEnableBreak,
  wrapEvt,
  alwaysEvt,
  ExnBreak,
  ExnFailContract,
  ExnFailNetwork,
  ExnFailNetworkErrno,
} from "@rendezvous/core";
import { bytes, deadPort, rawPeer, rejects, sleep, text, throws, until } from "./udp-helpers.js";

// Spellings of a name that resolve alike but are cached apart: each needs its own lookup.
function caseVariant(name: string, n: number): string {
  return [...name].map((c, i) => ((n >> i) & 1 ? c.toUpperCase() : c)).join("");
}

describe("udpSendToEvt / udpSendEvt", () => {
  it("sends iff chosen: a losing send event sends nothing", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    let won = 0;
    let lost = 0;
    for (let i = 0; i < 100; i++) {
      const r = await sync(
        wrapEvt(udpSendToEvt(s, "127.0.0.1", peer.port, bytes(`n${i}`)), () => "sent"),
        wrapEvt(alwaysEvt, () => "always"),
      );
      if (r === "sent") won++;
      else lost++;
    }
    expect(won).toBeGreaterThan(0);
    expect(lost).toBeGreaterThan(0);
    await until(() => peer.got.length >= won);
    await sleep(30);
    expect(peer.got.length).toBe(won);
    udpClose(s);
    await peer.close();
  });

  it("the result is undefined, the bytes are copied at the commit, and the socket becomes bound", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    const buf = bytes("original");
    expect(isUdpBound(s)).toBe(false);
    const r = await sync(udpSendToEvt(s, "127.0.0.1", peer.port, buf, 0, 4));
    buf.fill(0x21); // changing the buffer afterwards does not change what was sent
    expect(r).toBeUndefined();
    expect(isUdpBound(s)).toBe(true);
    await until(() => peer.got.length === 1);
    expect(text(peer.got[0]!.data)).toBe("orig");
    udpClose(s);
    await peer.close();
  });

  it("sends zero-length datagrams (Racket 8.7 loops forever on them)", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    await udpSendTo(s, "127.0.0.1", peer.port, new Uint8Array(0));
    expect(udpSendToStar(s, "127.0.0.1", peer.port, new Uint8Array(0))).toBe(true);
    await sync(udpSendToEvt(s, "127.0.0.1", peer.port, bytes("abc"), 1, 1));
    await until(() => peer.got.length === 3);
    expect(peer.got.map((g) => g.data.length)).toEqual([0, 0, 0]);
    udpClose(s);
    await peer.close();
  });

  it("checks the range and arguments at call time", async () => {
    const s = udpOpenSocket();
    throws(
      () => udpSendToEvt(s, "127.0.0.1", 9, new Uint8Array(10), 3, 11),
      ExnFailContract,
      /^udp-send-to-evt: ending index is out of range\n {2}ending index: 11\n {2}valid range: \[3, 10\]/,
    );
    throws(
      () => udpSendEvt(s, new Uint8Array(3), 4),
      ExnFailContract,
      /^udp-send-evt: starting index is out of range/,
    );
    throws(
      () => udpSendToStar(s, "127.0.0.1", 0, new Uint8Array(1)),
      ExnFailContract,
      /^udp-send-to\*: contract violation\n {2}expected: port-number\?/,
    );
    throws(
      () => udpSendToEvt(s, 5 as never, 9, new Uint8Array(1)),
      ExnFailContract,
      /expected: string\?/,
    );
    throws(() => udpSendEvt(s, "abc" as never), ExnFailContract, /expected: bytes\?/);
    throws(
      () => udpSendEvt(s, new Uint8Array(3), 1.5),
      ExnFailContract,
      /exact-nonnegative-integer\?/,
    );
    await rejects(
      udpSendTo(s, "127.0.0.1", 9, new Uint8Array(10), 11),
      ExnFailContract,
      /^udp-send-to: starting index is out of range/,
    );
    await rejects(
      udpSend(s, new Uint8Array(10), 0, 11),
      ExnFailContract,
      /^udp-send: ending index is out of range/,
    );
    await rejects(udpSend(5 as never, new Uint8Array(1)), ExnFailContract, /expected: udp\?/);
    udpClose(s);
  });

  it("raises state errors when chosen (closed; send-to on connected; send on unconnected)", async () => {
    const s = udpOpenSocket();
    const unconnected = udpSendEvt(s, bytes("x"));
    await rejects(
      syncTimeout(0, unconnected),
      ExnFailNetwork,
      /^udp-send-evt: udp socket is not connected\n {2}socket: #<udp>$/,
    );
    await rejects(udpSend(s, bytes("x")), ExnFailNetwork, /^udp-send: udp socket is not connected/);
    throws(
      () => udpSendStar(s, bytes("x")),
      ExnFailNetwork,
      /^udp-send\*: udp socket is not connected/,
    );
    const to = udpSendToEvt(s, "127.0.0.1", 9, bytes("x"));
    await udpConnect(s, "127.0.0.1", 9);
    // The same event, made while unconnected, is checked again when synced.
    await rejects(sync(to), ExnFailNetwork, /^udp-send-to-evt: udp socket is connected/);
    await rejects(
      udpSendTo(s, "127.0.0.1", 9, bytes("x")),
      ExnFailNetwork,
      /^udp-send-to: udp socket is connected/,
    );
    throws(
      () => udpSendToStar(s, "127.0.0.1", 9, bytes("x")),
      ExnFailNetwork,
      /^udp-send-to\*: udp socket is connected/,
    );
    udpClose(s);
    await rejects(sync(unconnected), ExnFailNetwork, /^udp-send-evt: udp socket is closed/);
    await rejects(
      udpSendTo(s, "127.0.0.1", 9, bytes("x")),
      ExnFailNetwork,
      /^udp-send-to: udp socket is closed/,
    );
    await rejects(
      udpSendToEnableBreak(new AbortController().signal, s, "127.0.0.1", 9, bytes("x")),
      ExnFailNetwork,
      /^udp-send-to\/enable-break: udp socket is closed/,
    );
    const ready = udpSendReadyEvt(s);
    expect(await sync(ready)).toBe(ready);
  });

  it("refuses an IPv6 destination of an IPv4 socket (97) and an oversized datagram (90) when chosen", async () => {
    const s = udpOpenSocket();
    const e1 = (await rejects(
      sync(udpSendToEvt(s, "::1", 9, bytes("x"))),
      ExnFailNetworkErrno,
      /^udp-send-to-evt: send failed\n {2}system error: .*; errno=97$/,
    )) as ExnFailNetworkErrno;
    expect(e1.errno).toEqual([97, "posix"]);
    const e2 = (await rejects(
      udpSendTo(s, "127.0.0.1", 9, new Uint8Array(65508)),
      ExnFailNetworkErrno,
      /^udp-send-to: send failed/,
    )) as ExnFailNetworkErrno;
    expect(e2.errno).toEqual([90, "posix"]);
    const peer = await rawPeer();
    await udpSendTo(s, "127.0.0.1", peer.port, new Uint8Array(65507));
    await until(() => peer.got.length === 1);
    expect(peer.got[0]!.data.length).toBe(65507);
    // Over IPv6 the limit is 65527.
    const s6 = udpOpenSocket("::1") as UdpSocket;
    const p6 = await rawPeer("::1");
    await rejects(
      udpSendTo(s6, "::1", p6.port, new Uint8Array(65528)),
      ExnFailNetworkErrno,
      /send failed/,
    );
    await udpSendTo(s6, "::1", p6.port, new Uint8Array(65527));
    await until(() => p6.got.length === 1);
    udpClose(s);
    udpClose(s6);
    await peer.close();
    await p6.close();
  });

  it("an IPv6 socket sends to IPv4 destinations (IPv4-mapped)", async () => {
    const peer = await rawPeer();
    const s6 = udpOpenSocket("::") as UdpSocket;
    await udpSendTo(s6, "127.0.0.1", peer.port, bytes("from six"));
    await until(() => peer.got.length === 1);
    expect(text(peer.got[0]!.data)).toBe("from six");
    udpClose(s6);
    await peer.close();
  });
});

describe("host names", () => {
  it("udpSendToEvt resolves a name when first synchronized, and sends", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    await sync(udpSendToEvt(s, "localhost", peer.port, bytes("by name")));
    await until(() => peer.got.length === 1);
    expect(text(peer.got[0]!.data)).toBe("by name");
    udpClose(s);
    await peer.close();
  });

  it("a resolution failure is raised when the event is chosen, with a gai errno", async () => {
    const s = udpOpenSocket();
    const e = udpSendToEvt(s, "nonexistent.invalid", 9, bytes("x"));
    const err = (await rejects(
      sync(e),
      ExnFailNetworkErrno,
      /^udp-send-to-evt: can't resolve address\n {2}address: nonexistent.invalid\n {2}port number: 9\n {2}system error: .*; gai_err=-?\d+$/,
    )) as ExnFailNetworkErrno;
    expect(err.errno[1]).toBe("gai");
    // The event stays failed: a later sync raises at once, also in a poll.
    await rejects(syncTimeout(0, e), ExnFailNetworkErrno, /can't resolve address/);
    // udpSendTo rejects with it.
    await rejects(
      udpSendTo(s, "nonexistent.invalid", 9, bytes("x")),
      ExnFailNetworkErrno,
      /^udp-send-to: can't resolve address/,
    );
    udpClose(s);
  });

  it("a send event waiting for its lookup can lose: nothing is sent", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    const name = caseVariant("localhost", 100);
    const r = await syncTimeout(0, udpSendToEvt(s, name, peer.port, bytes("no")));
    // A poll does not wait for the lookup (unless the name was resolved just before).
    if (r === false) {
      await sleep(50);
      expect(peer.got.length).toBe(0);
    }
    udpClose(s);
    await peer.close();
  });

  it("udpSendToStar is false until the name is resolved, then sends", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    const host = "localhost"; // maybe resolved by an earlier test (cached for a few seconds)
    let tries = 0;
    while (!udpSendToStar(s, host, peer.port, bytes("star"))) {
      tries++;
      await sleep(5);
      if (tries > 400) throw new Error("never resolved");
    }
    await until(() => peer.got.length === 1);
    expect(peer.got.length).toBe(1);
    udpClose(s);
    await peer.close();
  });
});

describe("never-waiting and breakable sends", () => {
  it("udpSendStar / udpSendToStar send at once and return true", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    expect(udpSendToStar(s, "127.0.0.1", peer.port, bytes("a"))).toBe(true);
    await udpConnect(s, "127.0.0.1", peer.port);
    expect(udpSendStar(s, bytes("b"))).toBe(true);
    await until(() => peer.got.length === 2);
    expect(peer.got.map((g) => text(g.data))).toEqual(["a", "b"]);
    udpClose(s);
    await peer.close();
  });

  it("an already aborted signal sends nothing; a live one sends exactly once", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    const ac = new AbortController();
    ac.abort();
    await rejects(
      udpSendToEnableBreak(ac.signal, s, "127.0.0.1", peer.port, bytes("no")),
      ExnBreak,
    );
    await udpSendToEnableBreak(
      new AbortController().signal,
      s,
      "127.0.0.1",
      peer.port,
      bytes("yes"),
    );
    await udpConnect(s, "127.0.0.1", peer.port);
    await rejects(udpSendEnableBreak(ac.signal, s, bytes("no")), ExnBreak);
    await udpSendEnableBreak(new AbortController().signal, s, bytes("yes2"));
    await rejects(udpSendEnableBreak("x" as never, s, bytes("no")), ExnFailContract, /AbortSignal/);
    await until(() => peer.got.length === 2);
    await sleep(30);
    expect(peer.got.map((g) => text(g.data))).toEqual(["yes", "yes2"]);
    udpClose(s);
    await peer.close();
  });

  it("an abort while waiting for a lookup breaks: ExnBreak, nothing sent; sent-or-break, never both", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    let sent = 0;
    let broke = 0;
    for (let i = 0; i < 20; i++) {
      const ac = new AbortController();
      // A name needs a lookup (unless cached): the abort comes while it is pending; a numeric
      // address is sent inside the call, before the abort.
      const host = i % 3 ? caseVariant("localhost", i) : "127.0.0.1";
      const p = udpSendToEnableBreak(ac.signal, s, host, peer.port, bytes(`${i}`)).then(
        () => sent++,
        (e) => {
          expect(e).toBeInstanceOf(ExnBreak);
          broke++;
        },
      );
      ac.abort();
      await p;
    }
    expect(sent + broke).toBe(20);
    await sleep(50);
    expect(peer.got.length).toBe(sent);
    udpClose(s);
    await peer.close();
  });

  it("udpSendReadyEvt is ready and sends nothing", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    const e = udpSendReadyEvt(s);
    expect(await sync(e)).toBe(e);
    throws(() => udpSendReadyEvt(4 as never), ExnFailContract, /udp-send-ready-evt/);
    await sleep(20);
    expect(peer.got.length).toBe(0);
    udpClose(s);
    await peer.close();
  });
});

describe("kernel refusals after the commit", () => {
  it("an ICMP refusal on a connected socket rejects the next blocking send with errno 111", async () => {
    const port = await deadPort();
    const s = udpOpenSocket();
    await udpConnect(s, "127.0.0.1", port);
    await udpSend(s, bytes("1"));
    await sleep(30);
    const e = (await rejects(
      udpSend(s, bytes("2")),
      ExnFailNetworkErrno,
      /^udp-send: send failed\n {2}system error: .*; errno=111$/,
    )) as ExnFailNetworkErrno;
    expect(e.errno).toEqual([111, "posix"]);
    udpClose(s);
  });

  it("after a send event, the refusal is raised by the socket's next send (never lost, never unhandled)", async () => {
    const port = await deadPort();
    const s = udpOpenSocket();
    await udpConnect(s, "127.0.0.1", port);
    const errors: unknown[] = [];
    for (let i = 0; i < 4 && errors.length === 0; i++) {
      try {
        await sync(udpSendEvt(s, bytes(`${i}`)));
      } catch (err) {
        errors.push(err);
      }
      await sleep(30);
    }
    if (errors.length === 0) {
      try {
        udpSendStar(s, bytes("probe"));
      } catch (err) {
        errors.push(err);
      }
    }
    expect(errors.length).toBe(1);
    expect(errors[0]).toBeInstanceOf(ExnFailNetworkErrno);
    expect((errors[0] as ExnFailNetworkErrno).errno).toEqual([111, "posix"]);
    udpClose(s);
  });

  it("a refusal reported to a never-waiting send's callback is raised by the next send", async () => {
    const port = await deadPort();
    const s = udpOpenSocket();
    await udpConnect(s, "127.0.0.1", port);
    expect(udpSendStar(s, bytes("1"))).toBe(true);
    // Sleep without turning the event loop: the ICMP refusal waits in the kernel, so the next
    // sendto gets it (Node reports it to that send's callback, not as an 'error' event).
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 30);
    expect(udpSendStar(s, bytes("2"))).toBe(true);
    await sleep(5);
    const e = throws(
      () => udpSendStar(s, bytes("3")),
      ExnFailNetworkErrno,
      /^udp-send\*: send failed/,
    );
    expect((e as ExnFailNetworkErrno).errno).toEqual([111, "posix"]);
    // Reported once: the next send goes through.
    expect(udpSendStar(s, bytes("4"))).toBe(true);
    udpClose(s);
  });

  it("a blocking send settles even when the socket is closed right after it", async () => {
    const peer = await rawPeer();
    for (let i = 0; i < 20; i++) {
      const s = udpOpenSocket();
      const p = udpSendTo(s, "127.0.0.1", peer.port, bytes("c"));
      udpClose(s);
      // Sent (the kernel took it in the call) or "closed": settled either way, never pending.
      const outcome = await Promise.race([
        p.then(
          () => "sent",
          (e) => (e instanceof ExnFailNetwork ? "closed" : "other"),
        ),
        sleep(2000).then(() => "pending"),
      ]);
      expect(["sent", "closed"]).toContain(outcome);
    }
    await peer.close();
  });
});

describe("send events in a choice", () => {
  it("syncEnableBreak over a send event with an aborted signal sends nothing", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    const ac = new AbortController();
    ac.abort();
    await rejects(
      syncEnableBreak(ac.signal, udpSendToEvt(s, "127.0.0.1", peer.port, bytes("x"))),
      ExnBreak,
    );
    await sleep(30);
    expect(peer.got.length).toBe(0);
    expect(isUdpBound(s)).toBe(false);
    udpClose(s);
    await peer.close();
  });
});
