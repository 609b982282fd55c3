// Faults caused by the TCP peer: it resets the connection in the middle of a line, it half-closes,
// it disappears while the server writes. Each ends in a settled, correctly classed error (or the
// documented result), nothing read twice, and the process keeps serving.
import { describe, expect, it } from "vitest";
import {
  closeInputPort,
  closeOutputPort,
  eofEvt,
  flushOutput,
  isEofObject,
  readBytes,
  readLine,
  sync,
  syncTimeout,
  writeBytes,
  writeString,
  ExnFailNetworkErrno,
} from "@rendezvous/core";
import { tcpAccept, tcpClose } from "@rendezvous/tcp";
import { errorOf, expectErrno, listen, peer, sleep, stillServes, until, watch } from "./helpers.js";

describe("faults: the TCP peer", () => {
  it("resets mid-line: the pending readLine fails with ECONNRESET, later reads and writes fail too", async () => {
    const [l, port] = await listen();
    const c = peer(port);
    const [sin, sout] = await tcpAccept(l);
    c.sock.write("a whole line\npartial, no newline");
    // The whole line is read; the partial one waits for its newline.
    expect(await readLine(sin)).toBe("a whole line");
    const line = watch(readLine(sin));
    await sleep(20);
    expect(line.now().state).toBe("pending");
    c.sock.resetAndDestroy();
    await line.done;
    expectErrno(errorOf(line.now()), [104, "posix"], "error reading from stream port");
    // The error stays: a later read raises it again, and a write fails with EPIPE.
    await expect(readLine(sin)).rejects.toBeInstanceOf(ExnFailNetworkErrno);
    const w = watch(
      (async () => {
        await writeString("too late\n", sout);
        await flushOutput(sout);
      })(),
    );
    await w.done;
    expectErrno(errorOf(w.now()), [32, "posix"], "error writing to stream port");
    closeOutputPort(sout);
    closeInputPort(sin);
    tcpClose(l);
    await stillServes();
  });

  it("half-closes: the server reads the rest and eof, and can still answer", async () => {
    const [l, port] = await listen();
    const c = peer(port);
    const [sin, sout] = await tcpAccept(l);
    c.sock.end("first\nsecond, unterminated");
    expect(await readLine(sin)).toBe("first");
    expect(await readLine(sin)).toBe("second, unterminated");
    expect(isEofObject(await readLine(sin))).toBe(true);
    // eof stays ready; nothing is consumed by syncing on it.
    expect(await syncTimeout(1, eofEvt(sin))).not.toBe(false);
    expect(isEofObject(await readBytes(10, sin))).toBe(true);
    // The other direction is open: the reply arrives, then the server's FIN.
    await writeString("reply\n", sout);
    closeOutputPort(sout);
    closeInputPort(sin);
    await until(() => c.closed, "the peer to see the end");
    expect(Buffer.concat(c.data).toString()).toBe("reply\n");
    expect(c.events).toContain("end");
    tcpClose(l);
    await stillServes();
  });

  it("vanishes while the server writes: a blocked write fails with a network error, not a hang", async () => {
    const [l, port] = await listen();
    const c = peer(port);
    const [sin, sout] = await tcpAccept(l);
    c.sock.pause(); // reads nothing: the server's writes fill the socket buffers, then block
    const big = new Uint8Array(1 << 20);
    const w = watch(
      (async () => {
        for (let i = 0; i < 64; i++) {
          await writeBytes(big, sout);
          await flushOutput(sout);
        }
      })(),
    );
    await sleep(50);
    expect(w.now().state).toBe("pending");
    c.sock.resetAndDestroy();
    await until(() => w.now().state !== "pending", "the write to fail");
    const e = errorOf(w.now());
    expect(e).toBeInstanceOf(ExnFailNetworkErrno);
    expect([32, 104]).toContain((e as ExnFailNetworkErrno).errno[0]);
    expect((e as Error).message.startsWith("error writing to stream port")).toBe(true);
    closeOutputPort(sout);
    closeInputPort(sin);
    tcpClose(l);
    await stillServes();
  });

  it("a sync waiting on a reset connection's port event wakes (ready, to report the error)", async () => {
    const [l, port] = await listen();
    const c = peer(port);
    const [sin, sout] = await tcpAccept(l);
    const ready = watch(sync(sin));
    await sleep(10);
    expect(ready.now().state).toBe("pending");
    c.sock.resetAndDestroy();
    await until(() => ready.now().state !== "pending", "the sync to wake");
    expect(ready.now()).toEqual({ state: "ok", value: sin });
    await expect(readBytes(1, sin)).rejects.toBeInstanceOf(ExnFailNetworkErrno);
    closeOutputPort(sout);
    closeInputPort(sin);
    tcpClose(l);
    await stillServes();
  });
});
