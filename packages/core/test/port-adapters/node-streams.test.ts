import { describe, it, expect } from "vitest";
import { PassThrough, Readable, Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { randomBytes } from "node:crypto";
import { inputPortFromReadable } from "../../src/port-adapters/input-port-from-readable.js";
import { outputPortToWritable } from "../../src/port-adapters/output-port-to-writable.js";
import { readableFromInputPort } from "../../src/port-adapters/readable-from-input-port.js";
import { writableFromOutputPort } from "../../src/port-adapters/writable-from-output-port.js";
import { makePipe } from "../../src/port/pipe.js";
import { eof } from "../../src/port/eof.js";
import { abandonOutputPort } from "../../src/port/output-port.js";
import { closeInputPort, closeOutputPort, isPortClosed } from "../../src/port/port-ops.js";
import { readBytes, readBytesAvail, readBytesAvailStar, readLine } from "../../src/port/read.js";
import { flushOutput, writeBytes, writeString } from "../../src/port/write.js";
import { ExnFail } from "../../src/errors/exn.js";
import { rejection, track, turn } from "../helpers.js";

const dec = (b: unknown) => new TextDecoder().decode(b as Uint8Array);

describe("inputPortFromReadable", () => {
  it("reads the stream's bytes, then eof", async () => {
    const inp = inputPortFromReadable(Readable.from([Buffer.from("one\ntw"), "o\n"]), "lines", {
      custodian: false,
    });
    expect(await readLine(inp)).toBe("one");
    expect(await readLine(inp)).toBe("two");
    expect(await readLine(inp)).toBe(eof);
  });

  it("pauses the stream at the port's high-water mark and resumes it for a reader", async () => {
    const r = new Readable({ read() {} });
    const inp = inputPortFromReadable(r, "paced", { highWaterMark: 4, custodian: false });
    r.push(Buffer.from("abcdef"));
    await turn();
    expect(r.isPaused()).toBe(true);
    expect(dec(await readBytes(3, inp))).toBe("abc");
    // Below the mark again: flowing.
    expect(r.isPaused()).toBe(false);
    const big = track(readBytes(10, inp));
    r.push(Buffer.from("ghijklm"));
    await turn();
    expect(dec(big.value)).toBe("defghijklm");
    closeInputPort(inp);
  });

  it("delivers the bytes before a stream error, then raises ExnFail with the error as cause", async () => {
    const r = new Readable({ read() {} });
    const inp = inputPortFromReadable(r, "failing", { custodian: false });
    r.push(Buffer.from("ok"));
    const boom = new Error("disk on fire");
    await turn();
    r.destroy(boom);
    await turn();
    const buf = new Uint8Array(8);
    expect(await readBytesAvail(buf, inp)).toBe(2);
    const e = (await rejection(readBytesAvail(buf, inp))) as ExnFail;
    expect(e).toBeInstanceOf(ExnFail);
    expect(e.message).toMatch(
      /^error reading from stream port\n {2}port: #<input-port:failing>\n {2}system error: disk on fire/,
    );
    expect(e.cause).toBe(boom);
  });

  it("closing the port destroys the stream", async () => {
    const r = new Readable({ read() {} });
    const inp = inputPortFromReadable(r, "x", { custodian: false });
    closeInputPort(inp);
    await turn();
    expect(r.destroyed).toBe(true);
  });
});

describe("outputPortToWritable", () => {
  it("writes through, and closing ends the stream", async () => {
    const sink = new PassThrough();
    const out = outputPortToWritable(sink, "pt", { custodian: false });
    await writeString("hello ", out);
    await writeString("world", out);
    closeOutputPort(out);
    expect(Buffer.concat(await sink.toArray()).toString()).toBe("hello world");
  });

  it("never hands the stream more than its high-water mark, and waits for it to drain", async () => {
    const pending: (() => void)[] = [];
    let maxQueued = 0;
    const slow = new Writable({
      highWaterMark: 8,
      write(chunk: Buffer, _enc, cb) {
        pending.push(cb);
      },
    });
    const out = outputPortToWritable(slow, "slow", { bufferMode: "none", custodian: false });
    const w = track(writeBytes(new Uint8Array(40).fill(120), out));
    for (let i = 0; i < 200 && w.status === "pending"; i++) {
      await turn();
      maxQueued = Math.max(maxQueued, slow.writableLength);
      pending.shift()?.();
    }
    expect(w.value).toBe(40);
    expect(maxQueued).toBeLessThanOrEqual(8);
    const f = track(flushOutput(out));
    await turn();
    while (pending.length) {
      expect(f.status).toBe("pending");
      pending.shift()!();
      await turn();
    }
    await turn();
    expect(f.status).toBe("ok");
  });

  it("a stream error makes later writes raise ExnFail with the error as cause", async () => {
    const boom = new Error("EPIPE");
    const failing = new Writable({
      write(_c, _e, cb) {
        cb(boom);
      },
    });
    const out = outputPortToWritable(failing, "bad", { bufferMode: "none", custodian: false });
    await writeString("x", out);
    await turn();
    const e = (await rejection(writeString("y", out))) as ExnFail;
    expect(e).toBeInstanceOf(ExnFail);
    expect(e.message).toMatch(/^error writing to stream port\n {2}port: #<output-port:bad>/);
    expect(e.cause).toBe(boom);
  });

  it("abandonOutputPort destroys the stream instead of ending it", async () => {
    const sink = new PassThrough();
    const out = outputPortToWritable(sink, "pt", { custodian: false });
    abandonOutputPort(out);
    expect(sink.destroyed).toBe(true);
    expect(sink.writableEnded).toBe(false);
  });
});

describe("readableFromInputPort", () => {
  it("reads the port to its end", async () => {
    const [inp, out] = makePipe();
    await writeString("via node streams", out);
    closeOutputPort(out);
    expect(Buffer.concat(await readableFromInputPort(inp).toArray()).toString()).toBe(
      "via node streams",
    );
    expect(isPortClosed(inp)).toBe(true);
  });

  it("reads only as the consumer wants: a limited pipe's writer waits", async () => {
    const [inp, out] = makePipe(4);
    const r = readableFromInputPort(inp, { highWaterMark: 4, chunkSize: 4 });
    r.pause();
    const w = track(writeBytes(new Uint8Array(64), out));
    for (let i = 0; i < 5; i++) await turn();
    expect(w.status).toBe("pending");
    r.resume();
    r.on("data", () => {});
    for (let i = 0; i < 100 && w.status === "pending"; i++) await turn();
    expect(w.value).toBe(64);
    r.destroy();
  });

  it("destroyed mid-read with close: false, it takes nothing from the port", async () => {
    const [inp, out] = makePipe();
    const r = readableFromInputPort(inp, { close: false });
    r.on("data", () => {
      throw new Error("no data expected");
    });
    await turn();
    r.destroy();
    await turn();
    await writeString("still here", out);
    expect(isPortClosed(inp)).toBe(false);
    const buf = new Uint8Array(20);
    expect(dec(buf.subarray(0, readBytesAvailStar(buf, inp) as number))).toBe("still here");
  });

  it("is destroyed with the port's error", async () => {
    const [inp] = makePipe();
    const r = readableFromInputPort(inp, { close: false });
    const errored = new Promise<unknown>((resolve) => r.on("error", resolve));
    r.resume();
    await turn();
    closeInputPort(inp);
    expect(await errored).toBeInstanceOf(ExnFail);
  });
});

describe("writableFromOutputPort", () => {
  it("writes a pipeline into the port; end flushes and closes it", async () => {
    const [inp, out] = makePipe();
    await pipeline(Readable.from(["from a ", "Node stream\n"]), writableFromOutputPort(out));
    expect(await readLine(inp)).toBe("from a Node stream");
    expect(await readLine(inp)).toBe(eof);
  });

  it("close: false flushes at end but leaves the port open", async () => {
    const chunks: string[] = [];
    const sinkStream = new Writable({
      write(c: Buffer, _e, cb) {
        chunks.push(c.toString());
        cb();
      },
    });
    const out = outputPortToWritable(sinkStream, "buffered", { custodian: false });
    await pipeline(
      Readable.from(["buffered bytes"]),
      writableFromOutputPort(out, { close: false }),
    );
    expect(chunks.join("")).toBe("buffered bytes");
    expect(isPortClosed(out)).toBe(false);
  });

  it("a closed port fails the stream", async () => {
    const [, out] = makePipe();
    closeOutputPort(out);
    const w = writableFromOutputPort(out, { close: false });
    const err = new Promise<unknown>((resolve) => w.on("error", resolve));
    w.write("x");
    expect(((await err) as Error).message).toMatch(/^write-bytes: output port is closed/);
  });
});

describe("round trip", () => {
  it("a megabyte through Node stream → port → limited pipe → port → Node stream arrives intact", async () => {
    const data = randomBytes(1 << 20);
    const [inp, out] = makePipe(1000);
    const source = inputPortFromReadable(
      Readable.from([data.subarray(0, 300_000), data.subarray(300_000)]),
      "src",
      {
        custodian: false,
        highWaterMark: 5000,
      },
    );
    const pump = (async () => {
      const buf = new Uint8Array(7000);
      for (;;) {
        const n = await readBytesAvail(buf, source);
        if (n === eof) break;
        await writeBytes(buf, out, 0, n as number);
      }
      closeOutputPort(out);
    })();
    const got = Buffer.concat(await readableFromInputPort(inp).toArray());
    await pump;
    expect(got.equals(data)).toBe(true);
  });
});
