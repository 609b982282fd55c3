// Exactly-once receives under pressure: 100,000 datagrams sent to 16 sockets while one receiver
// syncs on a choice of their 16 receive events plus an alarm (pending or already expired), an abort
// (before or during the wait) or a poll. Four sockets have the smallest queue, and the receiver
// pauses now and then, so queues overflow and drop.
//
// What it proves: every datagram our sockets were handed is delivered exactly once (no sequence
// number twice, contents intact) or counted by its socket's queue as dropped — per socket,
// received + udpReceiveDropCount = sent — and every buffer of a losing event is untouched.
// Datagrams the kernel drops before Node reads them could not be counted by us; the sender paces
// itself so that does not happen (at most 96 datagrams per event-loop turn, while libuv reads up to
// 32 per socket per turn and the kernel buffers hold hundreds), and any kernel drop would show up as
// a per-socket mismatch, failing the test rather than passing silently.
import { describe, it, expect } from "vitest";
import {
  udpOpenSocket,
  udpBind,
  udpClose,
  udpSendToStar,
  udpReceiveEvt,
  udpReceiveStar,
  udpReceiveDropCount,
  udpSetReceiveBufferSize,
  udpConnect,
  udpAddresses,
  type UdpSocket,
} from "@rendezvous/udp";
import {
  sync,
  syncTimeout,
  syncEnableBreak,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
  makePseudoRandomGenerator,
  ExnBreak,
} from "@rendezvous/core";
import { bound, sleep } from "./udp-helpers.js";

const N = 100_000;
const K = 16;
const SMALL = 4;
const BATCH = 96;
const BUF = 24; // shorter than the longest datagrams (40): those are truncated
const UNTOUCHED = 0xee;

describe("stress: receive events racing alarms, aborts and polls", () => {
  it(`delivers each of ${N} datagrams to ${K} sockets exactly once, or counts it as dropped`, async () => {
    const socks = await Promise.all(Array.from({ length: K }, () => bound()));
    const ports = socks.map(([, p]) => p);
    for (let i = 0; i < SMALL; i++) udpSetReceiveBufferSize(socks[i]![0], 1);
    const sender = udpOpenSocket();
    await udpBind(sender, "127.0.0.1", 0);
    // Receivers accept datagrams from our sender only (the kernel filters connected sockets):
    // tests running in parallel share the loopback, and one may send to a port it just freed that
    // one of ours then took.
    for (const [s] of socks) await udpConnect(s, "127.0.0.1", udpAddresses(sender, true)[1]);

    // -- sender: BATCH datagrams per event-loop turn, never waiting -------------------------------
    const sentTo = new Int32Array(K);
    let sent = 0;
    let wouldWait = 0;
    let senderDone = false;
    const sendRnd = makePseudoRandomGenerator(11);
    const payload = new Uint8Array(40);
    const view = new DataView(payload.buffer);
    const sending = new Promise<void>((resolve) => {
      const turn = () => {
        for (let b = 0; b < BATCH && sent < N; b++) {
          const k = Math.floor(sendRnd() * K);
          const len = 6 + Math.floor(sendRnd() * 35); // 6..40 bytes
          payload[0] = k;
          payload[1] = len;
          view.setUint32(2, sent);
          for (let j = 6; j < len; j++) payload[j] = (sent + j) & 255;
          if (!udpSendToStar(sender, "127.0.0.1", ports[k]!, payload, 0, len)) {
            wouldWait++;
            break; // try again next turn
          }
          sentTo[k]!++;
          sent++;
        }
        if (sent < N) setImmediate(turn);
        else {
          senderDone = true;
          resolve();
        }
      };
      setImmediate(turn);
    });

    // -- receiver ---------------------------------------------------------------------------------
    const bufs = socks.map(() => new Uint8Array(BUF));
    const evts = socks.map(([s], i) =>
      wrapEvt(udpReceiveEvt(s, bufs[i]!), (r) => ({ i, r }) as const),
    );
    const seen = new Uint8Array(N);
    const recvFrom = new Int32Array(K);
    const outcome = { received: 0, alarm: 0, expiredAlarm: 0, break: 0, pollMiss: 0, pauses: 0 };
    const problems: string[] = [];
    const rnd = makePseudoRandomGenerator(13);
    const drops = () => socks.reduce((a, [s]) => a + udpReceiveDropCount(s), 0);
    // Once everything is sent, the rest must arrive (or be counted) within a few seconds; a
    // datagram lost uncounted would leave the books unbalanced, and this ends the wait.
    let doneAt = 0;
    for (;;) {
      const total = outcome.received + drops();
      if (senderDone && total === N) break;
      if (senderDone && doneAt === 0) doneAt = Date.now();
      if (doneAt !== 0 && Date.now() - doneAt > 5000) {
        problems.push(
          `after the last send: ${outcome.received} received + ${drops()} dropped of ${N}`,
        );
        break;
      }
      for (const b of bufs) b.fill(UNTOUCHED);
      const mode = rnd();
      let r: { readonly i: number; readonly r: [number, string, number] } | string | false;
      try {
        if (mode < 0.5) {
          const at = currentInexactMilliseconds() + 1 + rnd() * 2;
          r = await sync(
            ...evts,
            wrapEvt(alarmEvt(at), () => "alarm"),
          );
        } else if (mode < 0.65) {
          // Already expired: ready alongside any queued datagram; the rotation decides.
          r = await sync(
            ...evts,
            wrapEvt(alarmEvt(0), () => "expiredAlarm"),
          );
        } else if (mode < 0.8) {
          const ac = new AbortController();
          if (rnd() < 0.3) ac.abort();
          else setImmediate(() => ac.abort());
          r = await syncEnableBreak(ac.signal, ...evts);
        } else {
          r = await syncTimeout(0, ...evts);
          if (r === false) r = "pollMiss";
        }
      } catch (err) {
        if (!(err instanceof ExnBreak)) throw err;
        r = "break";
      }
      if (typeof r === "object") {
        const { i, r: res } = r;
        const [n] = res;
        const b = bufs[i]!;
        const seq = (b[2]! << 24) | (b[3]! << 16) | (b[4]! << 8) | b[5]!;
        const len = b[1]!;
        if (b[0] !== i) problems.push(`socket ${i} got a datagram for ${b[0]}`);
        if (n !== Math.min(len, BUF)) problems.push(`seq ${seq}: count ${n} for length ${len}`);
        for (let j = 6; j < n; j++)
          if (b[j] !== ((seq + j) & 255)) problems.push(`seq ${seq}: byte ${j} corrupted`);
        for (let j = n; j < BUF; j++)
          if (b[j] !== UNTOUCHED) problems.push(`seq ${seq}: byte ${j} past the count written`);
        if (seen[seq]!++ !== 0) problems.push(`seq ${seq} delivered twice`);
        recvFrom[i]!++;
        outcome.received++;
        bufs.forEach((o, j) => {
          if (j !== i && o.some((x) => x !== UNTOUCHED))
            problems.push(`losing buffer ${j} written`);
        });
      } else {
        outcome[r as "alarm" | "expiredAlarm" | "break" | "pollMiss"]++;
        bufs.forEach((o, j) => {
          if (o.some((x) => x !== UNTOUCHED))
            problems.push(`buffer ${j} written by a losing event`);
        });
      }
      if (problems.length > 20) break;
      // Now and then the receiver pauses while the sender goes on: the queues fill and drop.
      if (rnd() < 0.001) {
        outcome.pauses++;
        await sleep(4);
      }
    }
    await sending;

    expect(problems).toEqual([]);
    const perSocket = socks.map(([s], k) => ({
      k,
      sent: sentTo[k],
      received: recvFrom[k],
      dropped: udpReceiveDropCount(s),
    }));
    // Received + dropped by the queue = sent, per socket: no datagram lost uncounted.
    for (const x of perSocket) expect(x.received! + x.dropped).toBe(x.sent);
    expect(sent).toBe(N);
    expect(seen.reduce((a, x) => a + x, 0)).toBe(outcome.received);
    // The races really happened.
    expect(drops()).toBeGreaterThan(0);
    expect(outcome.alarm + outcome.expiredAlarm).toBeGreaterThan(0);
    expect(outcome.expiredAlarm).toBeGreaterThan(0);
    expect(outcome.break).toBeGreaterThan(0);
    expect(outcome.pollMiss).toBeGreaterThan(0);
    // Nothing left behind.
    for (const [s] of socks) expect(udpReceiveStar(s, new Uint8Array(1))[0]).toBe(false);
    console.log(
      `udp stress: ${N} sent (${wouldWait} would-wait retries), ${outcome.received} received, ` +
        `${drops()} dropped by full queues; losses to alarms ${outcome.alarm}, expired alarms ` +
        `${outcome.expiredAlarm}, breaks ${outcome.break}, poll misses ${outcome.pollMiss}, pauses ${outcome.pauses}`,
    );
    for (const [s] of socks as [UdpSocket, number][]) udpClose(s);
    udpClose(sender);
  }, 40_000);
});
