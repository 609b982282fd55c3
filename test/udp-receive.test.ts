// Receiving: the receive event takes a datagram iff chosen (a losing event takes nothing and writes
// nothing), truncation, zero-length datagrams, the never-waiting and breakable variants, the ready
// event, state errors raised when chosen, and the bounded queue with its drop count.
import { describe, it, expect } from "vitest";
import {
  udpOpenSocket,
  udpClose,
  udpSendTo,
  udpReceive,
  udpReceiveStar,
  udpReceiveEnableBreak,
  udpReceiveEvt,
  udpReceiveReadyEvt,
  udpReceiveDropCount,
  udpSetReceiveBufferSize,
  udpConnect,
  udpAddresses,
  udpSend,
  type UdpSocket,
} from "@rendezvous/udp";
import {
  sync,
  syncTimeout,
  syncEnableBreak,
  choiceEvt,
  wrapEvt,
  alwaysEvt,
  alarmEvt,
  currentInexactMilliseconds,
  makeSemaphore,
  semaphorePost,
  ExnBreak,
  ExnFailContract,
  ExnFailNetwork,
} from "@rendezvous/core";
import {
  bound,
  bytes,
  rawPeer,
  rawSend,
  rejects,
  sleep,
  text,
  throws,
  until,
} from "./udp-helpers.js";

async function withQueued(
  n: number,
): Promise<[UdpSocket, number, Awaited<ReturnType<typeof rawPeer>>]> {
  const [s, port] = await bound();
  const peer = await rawPeer();
  for (let i = 0; i < n; i++) await rawSend(peer.sock, bytes(`d${i}`), port);
  // Loopback delivers at once; Node reads them on its next loop turn.
  if (n > 0) await sync(udpReceiveReadyEvt(s));
  await sleep(10);
  return [s, port, peer];
}

describe("udpReceiveEvt", () => {
  it("takes a datagram iff chosen: a losing event takes nothing and leaves its buffer untouched", async () => {
    const [s, port] = await bound();
    const peer = await rawPeer();
    await rawSend(peer.sock, bytes("only one"), port);
    const ready = udpReceiveReadyEvt(s);
    expect(await sync(ready)).toBe(ready);
    // alwaysEvt and the receive are both ready: run until the receive loses at least once.
    let lost = 0;
    for (let i = 0; i < 200 && lost === 0; i++) {
      const buf = new Uint8Array(16).fill(0xee);
      const r = await sync(
        wrapEvt(udpReceiveEvt(s, buf), (x) => x),
        wrapEvt(alwaysEvt, () => "always" as const),
      );
      if (r === "always") {
        lost++;
        expect(buf.every((b) => b === 0xee)).toBe(true);
      } else {
        // The receive won this round (a fair 1/2): it took exactly that datagram; send another.
        expect(new TextDecoder().decode(buf.subarray(0, (r as [number, string, number])[0]))).toBe(
          "only one",
        );
        await rawSend(peer.sock, bytes("only one"), port);
        await sync(ready);
      }
    }
    expect(lost).toBe(1);
    // The datagram is still there.
    const buf = new Uint8Array(16);
    const [n, host, from] = udpReceiveStar(s, buf) as [number, string, number];
    expect([text(buf.subarray(0, n)), host, from]).toEqual(["only one", "127.0.0.1", peer.port]);
    udpClose(s);
    await peer.close();
  });

  it("two receive events of one socket in one sync take one datagram", async () => {
    const [s, , peer] = await withQueued(2);
    const a = new Uint8Array(8).fill(1);
    const b = new Uint8Array(8).fill(2);
    const r = await sync(
      wrapEvt(udpReceiveEvt(s, a), () => "a"),
      wrapEvt(udpReceiveEvt(s, b), () => "b"),
    );
    const [winner, loser] = r === "a" ? [a, b] : [b, a];
    expect(text(winner.subarray(0, 2))).toBe("d0");
    expect(loser.every((x) => x === (r === "a" ? 2 : 1))).toBe(true);
    const rest = new Uint8Array(8);
    expect(udpReceiveStar(s, rest)[0]).toBe(2);
    expect(text(rest.subarray(0, 2))).toBe("d1");
    udpClose(s);
    await peer.close();
  });

  it("a blocked receive that loses to an alarm takes nothing; the next datagram goes to the next receive", async () => {
    const [s, port] = await bound();
    const buf = new Uint8Array(8).fill(0xee);
    const r = await sync(
      udpReceiveEvt(s, buf),
      wrapEvt(alarmEvt(currentInexactMilliseconds() + 30), () => "alarm"),
    );
    expect(r).toBe("alarm");
    expect(buf.every((x) => x === 0xee)).toBe(true);
    const peer = await rawPeer();
    const got = udpReceive(s, buf);
    await rawSend(peer.sock, bytes("late"), port);
    const [n] = await got;
    expect(text(buf.subarray(0, n))).toBe("late");
    udpClose(s);
    await peer.close();
  });

  it("truncates into [start, end) and discards the rest of the datagram", async () => {
    const [s, port, peer] = await withQueued(0);
    await rawSend(peer.sock, bytes("abcdefgh"), port);
    await rawSend(peer.sock, bytes("next"), port);
    const buf = new Uint8Array(10).fill(0x2e);
    const [n, host, from] = await sync(udpReceiveEvt(s, buf, 2, 5));
    expect([n, host, from]).toEqual([3, "127.0.0.1", peer.port]);
    expect(text(buf)).toBe("..abc.....");
    // The rest ("defgh") was discarded: the next receive gets the next datagram.
    const [m] = await udpReceive(s, buf);
    expect(text(buf.subarray(0, m))).toBe("next");
    udpClose(s);
    await peer.close();
  });

  it("receives a zero-length datagram as count 0", async () => {
    const [s, port] = await bound();
    const t = udpOpenSocket();
    await udpSendTo(t, "127.0.0.1", port, new Uint8Array(0));
    const buf = new Uint8Array(4).fill(7);
    const [n, , from] = await udpReceive(s, buf);
    expect(n).toBe(0);
    expect(from).toBeGreaterThan(0);
    expect([...buf]).toEqual([7, 7, 7, 7]);
    udpClose(s);
    udpClose(t);
  });

  it("an event can be synced again and again, one datagram each time, in arrival order", async () => {
    const [s, , peer] = await withQueued(3);
    const buf = new Uint8Array(4);
    const e = udpReceiveEvt(s, buf);
    const seen: string[] = [];
    for (let i = 0; i < 3; i++) {
      const [n] = await sync(e);
      seen.push(text(buf.subarray(0, n)));
    }
    expect(seen).toEqual(["d0", "d1", "d2"]);
    expect(await syncTimeout(0, e)).toBe(false);
    udpClose(s);
    await peer.close();
  });

  it("checks the range at creation; state errors are raised when the event is chosen", async () => {
    const s = udpOpenSocket();
    throws(
      () => udpReceiveEvt(s, new Uint8Array(10), 11),
      ExnFailContract,
      /^udp-receive!-evt: starting index is out of range\n {2}starting index: 11\n {2}valid range: \[0, 10\]/,
    );
    throws(
      () => udpReceiveEvt(s, new Uint8Array(10), 3, 2),
      ExnFailContract,
      /ending index is out of range\n {2}ending index: 2\n {2}valid range: \[3, 10\]/,
    );
    throws(() => udpReceiveEvt(s, "abc" as never), ExnFailContract, /expected: bytes\?/);
    throws(
      () => udpReceiveEvt(s, new Uint8Array(1), -1),
      ExnFailContract,
      /exact-nonnegative-integer\?/,
    );
    throws(() => udpReceiveEvt(5 as never, new Uint8Array(1)), ExnFailContract, /expected: udp\?/);
    // Not bound: ready, and raises when chosen (also in a poll).
    const e = udpReceiveEvt(s, new Uint8Array(4));
    await rejects(
      syncTimeout(0, e),
      ExnFailNetwork,
      /^udp-receive!-evt: udp socket is not bound\n {2}socket: #<udp>$/,
    );
    throws(
      () => udpReceiveStar(s, new Uint8Array(4)),
      ExnFailNetwork,
      /^udp-receive!\*: udp socket is not bound/,
    );
    await rejects(
      udpReceive(s, new Uint8Array(4)),
      ExnFailNetwork,
      /^udp-receive!: udp socket is not bound/,
    );
    // The ready event of an unbound socket is just not ready.
    expect(await syncTimeout(0.01, udpReceiveReadyEvt(s))).toBe(false);
    udpClose(s);
    await rejects(syncTimeout(0, e), ExnFailNetwork, /^udp-receive!-evt: udp socket is closed/);
    const ready = udpReceiveReadyEvt(s);
    expect(await syncTimeout(0, ready)).toBe(ready);
  });

  it("wakes a blocked receive with 'closed' when the socket closes; a blocked ready event becomes ready", async () => {
    const [s] = await bound();
    const p = sync(udpReceiveEvt(s, new Uint8Array(4)));
    const ready = udpReceiveReadyEvt(s);
    const q = sync(ready);
    await sleep(5);
    udpClose(s);
    await rejects(p, ExnFailNetwork, /^udp-receive!-evt: udp socket is closed/);
    expect(await q).toBe(ready);
  });
});

describe("udpReceiveReadyEvt", () => {
  it("becomes ready when a datagram arrives and takes nothing", async () => {
    const [s, port] = await bound();
    const ready = udpReceiveReadyEvt(s);
    const p = sync(ready);
    const peer = await rawPeer();
    await rawSend(peer.sock, bytes("hi"), port);
    expect(await p).toBe(ready);
    expect(await sync(ready)).toBe(ready);
    const buf = new Uint8Array(4);
    expect(udpReceiveStar(s, buf)).toEqual([2, "127.0.0.1", peer.port]);
    expect(udpReceiveStar(s, buf)).toEqual([false, false, false]);
    udpClose(s);
    await peer.close();
  });

  it("serves waiters in order: a ready waiter ahead of a receive does not take the datagram from it", async () => {
    const [s, port] = await bound();
    const ready = udpReceiveReadyEvt(s);
    const p1 = sync(ready);
    const buf = new Uint8Array(4);
    const p2 = udpReceive(s, buf);
    const peer = await rawPeer();
    await rawSend(peer.sock, bytes("x"), port);
    expect(await p1).toBe(ready);
    expect((await p2)[0]).toBe(1);
    udpClose(s);
    await peer.close();
  });
});

describe("udpReceiveStar and udpReceiveEnableBreak", () => {
  it("udpReceiveStar returns [false, false, false] when nothing is queued", async () => {
    const [s] = await bound();
    expect(udpReceiveStar(s, new Uint8Array(4))).toEqual([false, false, false]);
    udpClose(s);
  });

  it("an abort while waiting breaks it: ExnBreak, nothing taken", async () => {
    const [s, port] = await bound();
    const ac = new AbortController();
    const buf = new Uint8Array(4).fill(9);
    const p = udpReceiveEnableBreak(ac.signal, s, buf);
    await sleep(5);
    ac.abort();
    await rejects(p, ExnBreak);
    const peer = await rawPeer();
    await rawSend(peer.sock, bytes("kept"), port);
    const [n] = await udpReceive(s, buf);
    expect(text(buf.subarray(0, n))).toBe("kept");
    udpClose(s);
    await peer.close();
  });

  it("an already aborted signal takes nothing even when a datagram is queued; a live one takes it", async () => {
    const [s, port] = await bound();
    const peer = await rawPeer();
    await rawSend(peer.sock, bytes("data"), port);
    await sync(udpReceiveReadyEvt(s));
    const ac = new AbortController();
    ac.abort();
    const buf = new Uint8Array(4).fill(0);
    await rejects(udpReceiveEnableBreak(ac.signal, s, buf), ExnBreak);
    expect([...buf]).toEqual([0, 0, 0, 0]);
    const [n] = await udpReceiveEnableBreak(new AbortController().signal, s, buf);
    expect(text(buf.subarray(0, n))).toBe("data");
    await rejects(udpReceiveEnableBreak("no" as never, s, buf), ExnFailContract, /AbortSignal/);
    udpClose(s);
    await peer.close();
  });

  it("settles exactly once when a datagram and the abort race", async () => {
    const [s, port] = await bound();
    const peer = await rawPeer();
    let got = 0;
    let broke = 0;
    for (let i = 0; i < 50; i++) {
      const ac = new AbortController();
      const p = udpReceiveEnableBreak(ac.signal, s, new Uint8Array(4)).then(
        () => got++,
        (e) => {
          expect(e).toBeInstanceOf(ExnBreak);
          broke++;
        },
      );
      peer.sock.send(bytes("r"), port, "127.0.0.1");
      setImmediate(() => ac.abort());
      await p;
    }
    // Every datagram was either received by one call or is still queued: nothing lost or doubled.
    await sleep(20);
    let left = 0;
    while (udpReceiveStar(s, new Uint8Array(4))[0] !== false) left++;
    expect(got + left).toBe(50);
    expect(got + broke).toBe(50);
    udpClose(s);
    await peer.close();
  });
});

describe("the bounded receive queue", () => {
  it("drops new datagrams when full and counts them; the queued ones stay", async () => {
    const [s, port] = await bound();
    udpSetReceiveBufferSize(s, 1); // the floor: 2304 bytes, 8 datagrams of up to 32 bytes
    const peer = await rawPeer();
    for (let i = 0; i < 20; i++) await rawSend(peer.sock, bytes(`m${i}`.padEnd(32, ".")), port);
    await until(() => udpReceiveDropCount(s) + 8 >= 20, 2000, "drops");
    expect(udpReceiveDropCount(s)).toBe(12);
    const seen: string[] = [];
    const buf = new Uint8Array(40);
    for (;;) {
      const [n] = udpReceiveStar(s, buf);
      if (n === false) break;
      seen.push(text(buf.subarray(0, n)).replace(/\.+$/, ""));
    }
    // The oldest ones were kept: new arrivals are what a full queue drops.
    expect(seen).toEqual(["m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7"]);
    // Room again: the next datagram is queued.
    await rawSend(peer.sock, bytes("after"), port);
    const [n] = await udpReceive(s, buf);
    expect(text(buf.subarray(0, n))).toBe("after");
    expect(udpReceiveDropCount(s)).toBe(12);
    udpClose(s);
    await peer.close();
  });

  it("hands a datagram straight to a blocked receiver even when the queue has no room to spare", async () => {
    const [s, port] = await bound();
    udpSetReceiveBufferSize(s, 1);
    const peer = await rawPeer();
    const sem = makeSemaphore(0);
    const buf = new Uint8Array(8);
    const p = sync(
      udpReceiveEvt(s, buf),
      wrapEvt(sem, () => "never" as const),
    );
    await rawSend(peer.sock, bytes("direct"), port);
    expect((await p) as unknown).toEqual([6, "127.0.0.1", peer.port]);
    semaphorePost(sem);
    expect(udpReceiveDropCount(s)).toBe(0);
    udpClose(s);
    await peer.close();
  });

  it("the connected-only socket queues its peer's datagrams until it is bound by a send", async () => {
    const peer = await rawPeer();
    const s = udpOpenSocket();
    await udpConnect(s, "127.0.0.1", peer.port);
    await rawSend(peer.sock, bytes("early"), udpAddresses(s, true)[1]);
    await sleep(20);
    // A send binds (Racket's flag); then the queued datagram can be taken.
    await udpSend(s, bytes("x"));
    const buf = new Uint8Array(8);
    const [n] = await udpReceive(s, buf);
    expect(text(buf.subarray(0, n))).toBe("early");
    udpClose(s);
    await peer.close();
  });
});

describe("choices across sockets", () => {
  it("one sync over several sockets takes exactly one datagram, from the socket it reports", async () => {
    const socks = await Promise.all([bound(), bound(), bound()]);
    const peer = await rawPeer();
    for (const [, port] of socks) await rawSend(peer.sock, bytes(`p${port}`), port);
    for (const [s] of socks) await sync(udpReceiveReadyEvt(s));
    const bufs = socks.map(() => new Uint8Array(8).fill(0));
    const evts = socks.map(([s], i) => wrapEvt(udpReceiveEvt(s, bufs[i]!), (r) => [i, r] as const));
    const taken: number[] = [];
    for (let k = 0; k < 3; k++) {
      for (const b of bufs) b.fill(0);
      const [i, [n]] = await sync(choiceEvt(...evts));
      taken.push(i);
      expect(text(bufs[i]!.subarray(0, n))).toBe(`p${socks[i]![1]}`);
      bufs.forEach((b, j) => j !== i && expect(b.every((x) => x === 0)).toBe(true));
    }
    expect(taken.sort()).toEqual([0, 1, 2]);
    expect(await syncTimeout(0, choiceEvt(...evts))).toBe(false);
    for (const [s] of socks) udpClose(s);
    await peer.close();
  });

  it("an aborted sync over receive events takes nothing", async () => {
    const [s, , peer] = await withQueued(1);
    await sync(udpReceiveReadyEvt(s));
    const ac = new AbortController();
    ac.abort();
    await rejects(syncEnableBreak(ac.signal, udpReceiveEvt(s, new Uint8Array(4))), ExnBreak);
    expect(udpReceiveStar(s, new Uint8Array(4))[0]).toBe(2);
    udpClose(s);
    await peer.close();
  });
});
