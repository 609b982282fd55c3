// A listener, a port, a UDP socket or a custodian is closed while syncs are blocked on it: every
// blocked call settles at once (within the same turn of the event loop) with the right error, or
// with the documented result; nothing is consumed; and the process keeps serving.
import { describe, expect, it } from "vitest";
import {
  closeInputPort,
  closeOutputPort,
  custodianShutdownAll,
  isPortClosed,
  isThreadDead,
  makeCustodian,
  makePipe,
  portClosedEvt,
  readBytes,
  readBytesEvt,
  readLine,
  sync,
  thread,
  withCustodian,
  writeBytes,
  ExnFail,
  ExnFailContract,
  ExnFailNetwork,
  ThreadKilledError,
} from "@rendezvous/core";
import { tcpAccept, tcpAcceptEvt, tcpClose, tcpListen, tcpAddresses } from "@rendezvous/tcp";
import {
  udpBind,
  udpClose,
  udpOpenSocket,
  udpReceive,
  udpReceiveEvt,
  udpReceiveReadyEvt,
  udpSendTo,
  udpAddresses,
} from "@rendezvous/udp";
import { errorOf, expectFail, listen, peer, stillServes, turn, until, watch } from "./helpers.js";

describe("faults: closed while syncs are blocked on it", () => {
  it("a TCP listener: blocked accepts fail with 'listener is closed', its event is ready; waiting clients are reset", async () => {
    const [l, port] = await listen(4);
    const accept = watch(tcpAccept(l));
    const acceptEvt = watch(sync(tcpAcceptEvt(l)));
    const ready = watch(sync(l));
    await turn();
    for (const w of [accept, acceptEvt, ready]) expect(w.now().state).toBe("pending");
    tcpClose(l);
    await turn();
    expectFail(errorOf(accept.now()), ExnFailContract, "tcp-accept: listener is closed");
    expectFail(errorOf(acceptEvt.now()), ExnFailContract, "tcp-accept-evt: listener is closed");
    expect(ready.now()).toEqual({ state: "ok", value: l });
    // A client connecting now is refused.
    const late = peer(port);
    await until(() => late.closed, "the late client to be refused");
    expect(late.events).toContain("error:ECONNREFUSED");
    await stillServes();
  });

  it("a TCP connection's input port: blocked reads fail with 'input port is closed', the peer sees the end", async () => {
    const [l, port] = await listen();
    const c = peer(port);
    const [sin, sout] = await tcpAccept(l);
    c.sock.write("no newline yet");
    const line = watch(readLine(sin));
    const bytes = watch(sync(readBytesEvt(100, sin)));
    const closed = watch(sync(portClosedEvt(sin)));
    await turn();
    for (const w of [line, bytes, closed]) expect(w.now().state).toBe("pending");
    closeInputPort(sin);
    await turn();
    expectFail(errorOf(line.now()), ExnFail, "read-line: input port is closed");
    expectFail(errorOf(bytes.now()), ExnFail, "read-bytes-evt: input port is closed");
    expect(closed.now().state).toBe("ok");
    closeOutputPort(sout);
    await until(() => c.closed, "the peer to see the connection end");
    tcpClose(l);
    await stillServes();
  });

  it("a pipe's ports: a blocked write fails when its port closes; a blocked read when its own does", async () => {
    const [inp, out] = makePipe(4);
    const write = watch(writeBytes(new Uint8Array(10).fill(7), out));
    await turn();
    expect(write.now().state).toBe("pending");
    closeOutputPort(out);
    await turn();
    expectFail(errorOf(write.now()), ExnFail, "write-bytes: output port is closed");
    // What was written before the close is still there, once: 4 bytes, then eof.
    expect(Array.from((await readBytes(100, inp)) as Uint8Array)).toEqual([7, 7, 7, 7]);
    const [inp2] = makePipe();
    const read = watch(readBytes(3, inp2));
    await turn();
    closeInputPort(inp2);
    await turn();
    expectFail(errorOf(read.now()), ExnFail, "read-bytes: input port is closed");
    closeInputPort(inp);
    await stillServes();
  });

  it("a UDP socket: blocked receives fail with 'udp socket is closed', its ready event wakes", async () => {
    const s = udpOpenSocket();
    await udpBind(s, "127.0.0.1", 0);
    const buf = new Uint8Array(8).fill(0xee);
    const receive = watch(udpReceive(s, buf));
    const receiveEvt = watch(sync(udpReceiveEvt(s, buf)));
    const ready = watch(sync(udpReceiveReadyEvt(s)));
    await turn();
    udpClose(s);
    await turn();
    expectFail(errorOf(receive.now()), ExnFailNetwork, "udp-receive!: udp socket is closed");
    expectFail(errorOf(receiveEvt.now()), ExnFailNetwork, "udp-receive!-evt: udp socket is closed");
    expect(ready.now().state).toBe("ok");
    expect(Array.from(buf)).toEqual(new Array(8).fill(0xee));
    // A fresh socket works.
    const a = udpOpenSocket();
    const b = udpOpenSocket();
    await udpBind(a, "127.0.0.1", 0);
    await udpBind(b, "127.0.0.1", 0);
    await udpSendTo(a, "127.0.0.1", udpAddresses(b, true)[1], Uint8Array.of(1, 2, 3));
    expect((await udpReceive(b, buf))[0]).toBe(3);
    udpClose(a);
    udpClose(b);
  });

  it("a custodian: its listener, connections, UDP socket and threads all close at once; another custodian's keep working", async () => {
    const doomed = makeCustodian();
    const kept = makeCustodian();
    const [l, port] = await withCustodian(doomed, async () => {
      const l = await tcpListen(0, 4, true, "127.0.0.1");
      return [l, tcpAddresses(l, true)[1]] as const;
    });
    const c1 = peer(port);
    const c2 = peer(port);
    // One connection accepted under each custodian.
    const [din, dout] = await withCustodian(doomed, () => tcpAccept(l));
    const [kin, kout] = await withCustodian(kept, () => tcpAccept(l));
    const s = withCustodian(doomed, () => udpOpenSocket());
    await udpBind(s, "127.0.0.1", 0);
    let threadSaw: unknown = null;
    const t = withCustodian(doomed, () =>
      thread(async () => {
        try {
          await readLine(kin); // blocked on a port of the other custodian
        } catch (e) {
          threadSaw = e;
        }
      }),
    );
    const accept = watch(tcpAccept(l));
    const read = watch(readLine(din));
    const receive = watch(udpReceive(s, new Uint8Array(4)));
    await turn();
    for (const w of [accept, read, receive]) expect(w.now().state).toBe("pending");

    custodianShutdownAll(doomed);
    await turn();
    expectFail(errorOf(accept.now()), ExnFailContract, "tcp-accept: listener is closed");
    expectFail(errorOf(read.now()), ExnFail, "read-line: input port is closed");
    expectFail(errorOf(receive.now()), ExnFailNetwork, "udp-receive!: udp socket is closed");
    expect(isThreadDead(t)).toBe(true);
    expect(threadSaw).toBeInstanceOf(ThreadKilledError);
    expect(isPortClosed(din) && isPortClosed(dout)).toBe(true);
    // The doomed connection's peer sees it end; the kept one still carries a line.
    await until(() => c1.closed || c2.closed, "the doomed connection's peer to see it end");
    expect(isPortClosed(kin)).toBe(false);
    const keptPeer = c1.closed ? c2 : c1;
    keptPeer.sock.write("still here\n");
    expect(await readLine(kin)).toBe("still here");
    // Nothing new can be made under the shut-down custodian.
    expect(() => withCustodian(doomed, () => udpOpenSocket())).toThrow(ExnFail);
    closeOutputPort(kout);
    closeInputPort(kin);
    keptPeer.sock.end();
    await until(() => keptPeer.closed, "the kept peer to close");
    custodianShutdownAll(kept);
    await stillServes();
  });
});
