import { describe, it, expect } from "vitest";
import {
  tcpConnect,
  tcpAccept,
  tcpAddresses,
  tcpAbandonPort,
  tcpClose,
  isTcpPort,
} from "@rendezvous/tcp";
import {
  syncTimeout,
  readBytes,
  readLine,
  writeBytes,
  writeString,
  flushOutput,
  fileStreamBufferMode,
  closeInputPort,
  closeOutputPort,
  isPortClosed,
  isEofObject,
  eofEvt,
  makePipe,
  ExnFailContract,
  ExnFailNetworkErrno,
} from "@rendezvous/core";
import {
  connected,
  closePorts,
  expectFdsBackAfterFile,
  type Ports,
  listenLoopback,
  rawClient,
  sleep,
  until,
} from "./tcp-helpers.js";

// Every descriptor this file opens must be closed again by its end.
expectFdsBackAfterFile();

/** A connected pair: [client ports, server ports]. */
async function pair(): Promise<{ c: Ports; s: Ports; done: () => void }> {
  const [l, port] = await listenLoopback();
  const c = await tcpConnect("127.0.0.1", port);
  const s = await tcpAccept(l);
  tcpClose(l);
  return {
    c,
    s,
    done: () => {
      closePorts(c);
      closePorts(s);
    },
  };
}

describe("connection ports", () => {
  it("are TCP ports; other ports are not", async () => {
    const { c, s, done } = await pair();
    for (const p of [...c, ...s]) expect(isTcpPort(p)).toBe(true);
    const [pin, pout] = makePipe();
    expect(isTcpPort(pin) || isTcpPort(pout) || isTcpPort(5)).toBe(false);
    done();
  });

  it("output is block-buffered: nothing is sent before a flush", async () => {
    const { c, s, done } = await pair();
    expect(fileStreamBufferMode(c[1])).toBe("block");
    await writeString("held back\n", c[1]);
    expect(await syncTimeout(0.15, s[0])).toBe(false);
    await flushOutput(c[1]);
    expect(await readLine(s[0])).toBe("held back");
    done();
  });

  it("carry bytes both ways intact", async () => {
    const { c, s, done } = await pair();
    const data = new Uint8Array(300_000).map((_, i) => (i * 7) & 0xff);
    const w = (async () => {
      await writeBytes(data, c[1]);
      await flushOutput(c[1]);
    })();
    const got = await readBytes(data.length, s[0]);
    await w;
    // Buffer.compare: vitest's deep equality is slow on large typed arrays.
    expect(Buffer.compare(got as Uint8Array, data)).toBe(0);
    await writeString("back\n", s[1]);
    await flushOutput(s[1]);
    expect(await readLine(c[0])).toBe("back");
    done();
  });

  it("closing the output port sends FIN; the input side stays readable", async () => {
    const { c, s, done } = await pair();
    await writeString("last words\n", c[1]);
    closeOutputPort(c[1]);
    expect(await readLine(s[0])).toBe("last words");
    expect(isEofObject(await readLine(s[0]))).toBe(true);
    await writeString("reply after your FIN\n", s[1]);
    await flushOutput(s[1]);
    expect(await readLine(c[0])).toBe("reply after your FIN");
    done();
  });

  it("tcpAbandonPort on the output sends no FIN until the input port is closed too", async () => {
    const { c, s, done } = await pair();
    await writeString("before abandon\n", c[1]);
    tcpAbandonPort(c[1]);
    expect(isPortClosed(c[1])).toBe(true);
    expect(await readLine(s[0])).toBe("before abandon");
    expect(await syncTimeout(0.2, eofEvt(s[0]))).toBe(false);
    // The client still reads.
    await writeString("still reading?\n", s[1]);
    await flushOutput(s[1]);
    expect(await readLine(c[0])).toBe("still reading?");
    closeInputPort(c[0]);
    expect(await syncTimeout(3, eofEvt(s[0]))).not.toBe(false);
    done();
  });

  it("tcpAbandonPort on the input is closeInputPort; a non-TCP port is a contract error", async () => {
    const { c, s, done } = await pair();
    tcpAbandonPort(c[0]);
    expect(isPortClosed(c[0])).toBe(true);
    expect(() => tcpAbandonPort(5)).toThrow(
      "tcp-abandon-port: contract violation\n  expected: tcp-port?\n  given: 5",
    );
    expect(() => tcpAbandonPort(makePipe()[0])).toThrow(ExnFailContract);
    done();
    void s;
  });

  it("tcpAddresses raises on a closed port, answers for the other one", async () => {
    const { c, s, done } = await pair();
    const both = tcpAddresses(c[0], true);
    closeInputPort(c[0]);
    expect(() => tcpAddresses(c[0])).toThrow(
      /^tcp-addresses: port is closed\n {2}port: #<input-port:127.0.0.1>/,
    );
    expect(tcpAddresses(c[1], true)).toEqual(both);
    expect(() => tcpAddresses(5 as never)).toThrow(
      "tcp-addresses: contract violation\n  expected: (or/c tcp-port? tcp-listener?)\n  given: 5",
    );
    done();
    void s;
  });

  it("reading stops above a bound: a writer stalls until the reader reads (backpressure)", async () => {
    const [l, port] = await listenLoopback();
    const raw = await connected(rawClient(port));
    const [sin, sout] = await tcpAccept(l);
    tcpClose(l);
    const size = 48 * 1024 * 1024;
    const chunk = Buffer.alloc(64 * 1024, 42);
    let sent = 0; // bytes Node's socket took (it refuses more once the kernel buffers are full)
    const writer = (async () => {
      while (sent < size) {
        const more = raw.sock.write(chunk);
        sent += chunk.length;
        if (!more) await new Promise((r) => raw.sock.once("drain", r));
      }
    })();
    // Wait until the writer makes no more progress (bounded): nobody reads on the server side.
    let last = -1;
    for (let i = 0; i < 50 && sent !== last && sent < size; i++) {
      last = sent;
      await sleep(200);
    }
    // Without backpressure the server would read all 48 MiB into memory and the writer would
    // finish; with it, the writer stalls once the kernel buffers (a few MiB) are full.
    expect(sent).toBeLessThan(size / 2);
    let total = 0;
    while (total < size) {
      const b = await readBytes(Math.min(4 * 1024 * 1024, size - total), sin);
      if (isEofObject(b)) break;
      total += (b as Uint8Array).length;
    }
    await writer;
    expect(total).toBe(size);
    closeInputPort(sin);
    closeOutputPort(sout);
    raw.sock.destroy();
  }, 20_000);

  it("a reset connection: reads raise ECONNRESET, then writes raise EPIPE", async () => {
    const [l, port] = await listenLoopback();
    const raw = await connected(rawClient(port));
    const s = await tcpAccept(l);
    tcpClose(l);
    raw.sock.resetAndDestroy();
    const rerr = await readBytes(1, s[0]).catch((e: unknown) => e);
    expect(rerr).toBeInstanceOf(ExnFailNetworkErrno);
    expect((rerr as ExnFailNetworkErrno).errno).toEqual([104, "posix"]);
    expect((rerr as Error).message).toBe(
      "error reading from stream port\n  system error: Connection reset by peer; errno=104",
    );
    const werr = await (async () => {
      await writeString("x", s[1]);
      await flushOutput(s[1]);
    })().catch((e: unknown) => e);
    expect(werr).toBeInstanceOf(ExnFailNetworkErrno);
    expect((werr as ExnFailNetworkErrno).errno).toEqual([32, "posix"]);
    closePorts(s);
  });

  it("a write to a peer that has gone fails with a network error, never an unhandled 'error'", async () => {
    const { c, s, done } = await pair();
    closePorts(s);
    let err: unknown = null;
    for (let i = 0; i < 200 && !err; i++) {
      try {
        await writeString("ping\n", c[1]);
        await flushOutput(c[1]);
        await sleep(5);
      } catch (e) {
        err = e;
      }
    }
    expect(err).toBeInstanceOf(ExnFailNetworkErrno);
    expect([32, 104]).toContain((err as ExnFailNetworkErrno).errno[0]);
    done();
  });

  it("await using closes both ports", async () => {
    const [l, port] = await listenLoopback();
    const raw = await connected(rawClient(port));
    {
      const [sin, sout] = await tcpAccept(l);
      await using _i = sin;
      await using _o = sout;
    }
    await until(() => raw.events.includes("end"), 3000, "FIN after disposal");
    raw.sock.destroy();
    tcpClose(l);
  });
});
