// Exactly-once accepts under pressure: 10,000 loopback connections accepted through accept events
// that race alarms, aborts and polls in four concurrent accept loops. Every client is accepted
// exactly once (counts in, counts out), none is lost, and no descriptor is left open.
import { describe, it, expect } from "vitest";
import * as net from "node:net";
import {
  tcpAcceptEvt,
  tcpAcceptEnableBreak,
  tcpClose,
  isTcpAcceptReady,
  type TcpInputPort,
  type TcpOutputPort,
} from "@rendezvous/tcp";
import {
  sync,
  syncTimeout,
  syncEnableBreak,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
  makePseudoRandomGenerator,
  readBytes,
  writeBytes,
  flushOutput,
  closeInputPort,
  closeOutputPort,
  isEofObject,
  ExnBreak,
} from "@rendezvous/core";
import { expectFdsBackTo, fdCount, listenLoopback, sleep } from "./tcp-helpers.js";

type Ports = [TcpInputPort, TcpOutputPort];
const N = 10_000;
const IN_FLIGHT = 64;

describe("stress: accept events racing alarms and aborts", () => {
  it(`accepts each of ${N} connections exactly once`, async () => {
    const [l, port] = await listenLoopback(IN_FLIGHT);
    await sleep(20);
    const baseline = fdCount();
    const rnd = makePseudoRandomGenerator(2024);
    const seen = new Uint8Array(N);
    const clientErrors: string[] = [];
    const serverErrors: unknown[] = [];
    let accepted = 0;
    let handled = 0;
    const outcomes = { alarm: 0, abort: 0, pollMiss: 0, won: 0 };

    // Clients: at most IN_FLIGHT at once; each sends its id, waits for the 1-byte ack, then
    // resets (no TIME_WAIT piles up on either side).
    let next = 0;
    let finished = 0;
    const launch = () => {
      while (next - finished < IN_FLIGHT && next < N) {
        const id = next++;
        const s = net.connect({ host: "127.0.0.1", port });
        s.on("connect", () => {
          const b = Buffer.alloc(4);
          b.writeUInt32BE(id);
          s.write(b);
        });
        s.on("data", () => s.resetAndDestroy());
        s.on("error", (e: NodeJS.ErrnoException) => clientErrors.push(`${id}:${e.code}`));
        s.on("close", () => {
          finished++;
          launch();
        });
      }
    };

    const serve = async ([inp, out]: Ports) => {
      try {
        const b = await readBytes(4, inp);
        if (isEofObject(b)) throw new Error("eof before id");
        const id = Buffer.from(b as Uint8Array).readUInt32BE(0);
        seen[id]!++;
        await writeBytes(new Uint8Array([1]), out);
        await flushOutput(out);
      } catch (e) {
        serverErrors.push(e);
      } finally {
        closeInputPort(inp);
        closeOutputPort(out);
        handled++;
      }
    };

    const take = (r: unknown) => {
      if (Array.isArray(r)) {
        accepted++;
        outcomes.won++;
        void serve(r as Ports);
        return true;
      }
      return false;
    };

    const acceptLoop = async () => {
      while (accepted < N) {
        const mode = rnd();
        if (mode < 0.35) {
          const r = await sync(
            wrapEvt(tcpAcceptEvt(l), (p) => p),
            wrapEvt(alarmEvt(currentInexactMilliseconds() + rnd() * 2), () => "alarm"),
          );
          if (!take(r)) outcomes.alarm++;
        } else if (mode < 0.65) {
          const ac = new AbortController();
          const t = setTimeout(() => ac.abort(), rnd() * 2);
          const r = await syncEnableBreak(ac.signal, tcpAcceptEvt(l)).catch((e: unknown) => {
            if (e instanceof ExnBreak) return "abort";
            throw e;
          });
          clearTimeout(t);
          if (!take(r)) outcomes.abort++;
        } else if (mode < 0.8) {
          const ac = new AbortController();
          const t = setTimeout(() => ac.abort(), rnd() * 2);
          const r = await tcpAcceptEnableBreak(ac.signal, l).catch((e: unknown) => {
            if (e instanceof ExnBreak) return "abort";
            throw e;
          });
          clearTimeout(t);
          if (!take(r)) outcomes.abort++;
        } else {
          const r = await syncTimeout(0, tcpAcceptEvt(l));
          if (!take(r)) {
            outcomes.pollMiss++;
            await new Promise((res) => setImmediate(res));
          }
        }
      }
    };

    const t0 = Date.now();
    launch();
    await Promise.all([acceptLoop(), acceptLoop(), acceptLoop(), acceptLoop()]);
    const deadline = Date.now() + 20_000;
    while ((handled < N || finished < N) && Date.now() < deadline) await sleep(10);
    const elapsed = Date.now() - t0;

    expect(clientErrors).toEqual([]);
    expect(serverErrors).toEqual([]);
    expect(accepted).toBe(N);
    expect(handled).toBe(N);
    let once = 0;
    for (let i = 0; i < N; i++) if (seen[i] === 1) once++;
    expect(once).toBe(N);
    // The races really happened: accepts lost to alarms, aborts and empty polls.
    expect(outcomes.alarm + outcomes.abort + outcomes.pollMiss).toBeGreaterThan(0);
    await sleep(50);
    expect(isTcpAcceptReady(l)).toBe(false);
    tcpClose(l);
    await expectFdsBackTo(baseline - 1);
    console.log(`stress: ${N} accepts in ${elapsed} ms`, outcomes);
  }, 90_000);
});
