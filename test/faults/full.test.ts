// Full buffers: a pipe at its limit, a UDP receive queue at its limit, a TCP connection whose peer
// stops reading. Writers wait (or, never waiting, write nothing), a write event racing an alarm
// loses and writes nothing, a full UDP queue drops and counts; every byte and datagram is then
// accounted for exactly once, and the process keeps serving.
import { describe, expect, it } from "vitest";
import * as dgram from "node:dgram";
import {
  alarmEvt,
  closeInputPort,
  closeOutputPort,
  currentInexactMilliseconds,
  flushOutput,
  makePipe,
  readBytes,
  sync,
  syncTimeout,
  wrapEvt,
  writeBytes,
  writeBytesAvailEvt,
  writeBytesAvailStar,
} from "@rendezvous/core";
import { tcpAccept, tcpClose } from "@rendezvous/tcp";
import {
  udpAddresses,
  udpBind,
  udpClose,
  udpOpenSocket,
  udpReceive,
  udpReceiveDropCount,
  udpReceiveStar,
  udpSetReceiveBufferSize,
} from "@rendezvous/udp";
import { listen, peer, stillServes, turn, until, watch } from "./helpers.js";

const bytes = (from: number, n: number) =>
  Uint8Array.from({ length: n }, (_, i) => (from + i) & 0xff);

describe("faults: full buffers", () => {
  it("a full pipe: never-waiting writes write nothing, a losing write event writes nothing, a blocked write completes once read", async () => {
    const [inp, out] = makePipe(8);
    expect(writeBytesAvailStar(bytes(0, 12), out)).toBe(8); // fills the pipe
    expect(writeBytesAvailStar(bytes(8, 4), out)).toBe(0);
    expect(await syncTimeout(0, writeBytesAvailEvt(bytes(8, 4), out))).toBe(false);
    // A write event racing an alarm on the full pipe: the alarm wins, nothing is written.
    const lost = await sync(
      wrapEvt(writeBytesAvailEvt(bytes(8, 4), out), () => "wrote"),
      wrapEvt(alarmEvt(currentInexactMilliseconds() + 10), () => "alarm"),
    );
    expect(lost).toBe("alarm");
    const blocked = watch(writeBytes(bytes(8, 12), out));
    await turn();
    expect(blocked.now().state).toBe("pending");
    // Reading makes room: the blocked write completes; the bytes come out once, in order.
    const got = (await readBytes(20, inp)) as Uint8Array;
    await blocked.done;
    expect(blocked.now()).toEqual({ state: "ok", value: 12 });
    expect(Array.from(got)).toEqual(Array.from(bytes(0, 20)));
    closeOutputPort(out);
    closeInputPort(inp);
    await stillServes();
  });

  it("a full UDP receive queue: datagrams beyond it are dropped and counted; received + dropped = sent", async () => {
    const s = udpOpenSocket();
    await udpBind(s, "127.0.0.1", 0);
    udpSetReceiveBufferSize(s, 1); // the smallest queue: a handful of datagrams
    const port = udpAddresses(s, true)[1];
    const raw = dgram.createSocket("udp4");
    await new Promise<void>((r) => raw.bind(0, "127.0.0.1", r));
    const N = 200;
    for (let i = 0; i < N; i++) {
      const d = Buffer.alloc(32);
      d.writeUInt32BE(i);
      await new Promise<void>((r, j) => raw.send(d, port, "127.0.0.1", (e) => (e ? j(e) : r())));
    }
    const seen = new Set<number>();
    const buf = new Uint8Array(64);
    await until(() => {
      for (let [n] = udpReceiveStar(s, buf); n !== false; [n] = udpReceiveStar(s, buf))
        seen.add(Buffer.from(buf).readUInt32BE(0));
      return seen.size + udpReceiveDropCount(s) >= N;
    }, "every datagram to be received or counted");
    expect(udpReceiveDropCount(s)).toBeGreaterThan(0);
    expect(seen.size + udpReceiveDropCount(s)).toBe(N);
    // The queue has room again: the next datagram is received.
    raw.send(Buffer.from("after"), port, "127.0.0.1");
    const [n] = await udpReceive(s, buf);
    expect(Buffer.from(buf.subarray(0, n)).toString()).toBe("after");
    await new Promise<void>((r) => raw.close(() => r()));
    udpClose(s);
    await stillServes();
  });

  it("a TCP peer that stops reading: write events lose to alarms and write nothing; the peer gets exactly what was committed", async () => {
    const [l, port] = await listen();
    const c = peer(port);
    const [sin, sout] = await tcpAccept(l);
    c.sock.pause();
    const chunk = new Uint8Array(64 * 1024).fill(0x61);
    let committed = 0;
    let lostToAlarm = 0;
    // Write until the kernel's and Node's buffers are full and a write event loses (bounded).
    for (let i = 0; i < 1024 && lostToAlarm < 3; i++) {
      const r = await sync(
        writeBytesAvailEvt(chunk, sout),
        wrapEvt(alarmEvt(currentInexactMilliseconds() + 20), () => "alarm" as const),
      );
      if (r === "alarm") lostToAlarm++;
      else committed += r;
    }
    expect(lostToAlarm).toBe(3);
    const flushed = watch(flushOutput(sout));
    c.sock.resume();
    await flushed.done;
    closeOutputPort(sout);
    await until(() => c.closed, "the peer to read everything and see the end", 20_000);
    expect(c.data.reduce((n, b) => n + b.length, 0)).toBe(committed);
    closeInputPort(sin);
    tcpClose(l);
    await stillServes();
  }, 30_000);
});
