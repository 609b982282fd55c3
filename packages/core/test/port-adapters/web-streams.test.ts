import { describe, it, expect } from "vitest";
import { inputPortFromReadableStream } from "../../src/port-adapters/input-port-from-readable-stream.js";
import { outputPortToWritableStream } from "../../src/port-adapters/output-port-to-writable-stream.js";
import { readableStreamFromInputPort } from "../../src/port-adapters/readable-from-input-port.js";
import { writableStreamFromOutputPort } from "../../src/port-adapters/writable-from-output-port.js";
import { makePipe } from "../../src/port/pipe.js";
import { eof } from "../../src/port/eof.js";
import { abandonOutputPort } from "../../src/port/output-port.js";
import { closeInputPort, closeOutputPort, isPortClosed } from "../../src/port/port-ops.js";
import {
  readBytes,
  readBytesAvail,
  readBytesAvailStar,
  readLine,
  readString,
} from "../../src/port/read.js";
import { flushOutput, writeBytes, writeString } from "../../src/port/write.js";
import { ExnFail } from "../../src/errors/exn.js";
import { rejection, track, turn } from "../helpers.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: unknown) => new TextDecoder().decode(b as Uint8Array);

async function settle(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await turn();
}

describe("inputPortFromReadableStream", () => {
  it("reads the stream's chunks, then eof", async () => {
    const inp = inputPortFromReadableStream(new Blob(["λ and ", "more\n"]).stream(), "blob", {
      custodian: false,
    });
    expect(await readString(5, inp)).toBe("λ and");
    expect(await readLine(inp)).toBe(" more");
    expect(await readLine(inp)).toBe(eof);
  });

  it("pulls no further than the port's high-water mark unless a reader waits", async () => {
    let pulls = 0;
    const stream = new ReadableStream<Uint8Array>(
      {
        pull(controller) {
          pulls++;
          controller.enqueue(enc("ab"));
        },
      },
      { highWaterMark: 0 },
    );
    const inp = inputPortFromReadableStream(stream, "endless", {
      highWaterMark: 6,
      custodian: false,
    });
    await settle(10);
    expect(pulls).toBeLessThanOrEqual(4);
    const before = pulls;
    expect(dec(await readBytes(10, inp))).toBe("ababababab");
    expect(pulls).toBeGreaterThan(before);
    closeInputPort(inp);
  });

  it("raises the stream's error, as the cause of an ExnFail, after the bytes before it", async () => {
    const boom = new Error("network gone");
    let ctl!: ReadableStreamDefaultController<Uint8Array>;
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        ctl = c;
      },
    });
    const inp = inputPortFromReadableStream(stream, "flaky", { custodian: false });
    ctl.enqueue(enc("ok"));
    await settle();
    ctl.error(boom);
    await settle();
    const buf = new Uint8Array(4);
    expect(await readBytesAvail(buf, inp)).toBe(2);
    const e = (await rejection(readBytesAvail(buf, inp))) as ExnFail;
    expect(e).toBeInstanceOf(ExnFail);
    expect(e.cause).toBe(boom);
  });

  it("closing the port cancels the stream", async () => {
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      cancel() {
        cancelled = true;
      },
    });
    const inp = inputPortFromReadableStream(stream, "c", { custodian: false });
    closeInputPort(inp);
    await settle();
    expect(cancelled).toBe(true);
  });
});

describe("outputPortToWritableStream", () => {
  it("writes through; closing flushes and closes the stream", async () => {
    const parts: string[] = [];
    let closed = false;
    const out = outputPortToWritableStream(
      new WritableStream<Uint8Array>({
        write: (c) => void parts.push(dec(c)),
        close: () => void (closed = true),
      }),
      "web",
      { custodian: false },
    );
    await writeString("to the ", out);
    await writeString("web", out);
    closeOutputPort(out);
    await settle();
    expect(parts.join("")).toBe("to the web");
    expect(closed).toBe(true);
  });

  it("waits while the stream's queue is full; flushOutput waits for the writes to settle", async () => {
    const resolvers: (() => void)[] = [];
    const out = outputPortToWritableStream(
      new WritableStream<Uint8Array>(
        { write: () => new Promise<void>((resolve) => resolvers.push(resolve)) },
        { highWaterMark: 1 },
      ),
      "slow",
      { bufferMode: "none", custodian: false },
    );
    await writeString("a", out);
    const w = track(writeString("b", out));
    await settle();
    expect(w.status).toBe("pending");
    resolvers.shift()!();
    await settle();
    expect(w.status).toBe("ok");
    const f = track(flushOutput(out));
    await settle();
    expect(f.status).toBe("pending");
    while (resolvers.length) resolvers.shift()!();
    await settle();
    expect(f.status).toBe("ok");
  });

  it("a failed write makes later writes raise ExnFail with the error as cause", async () => {
    const boom = new Error("quota");
    const out = outputPortToWritableStream(
      new WritableStream<Uint8Array>({
        write() {
          throw boom;
        },
      }),
      "bad",
      { bufferMode: "none", custodian: false },
    );
    await writeString("x", out);
    await settle();
    const e = (await rejection(writeString("y", out))) as ExnFail;
    expect(e).toBeInstanceOf(ExnFail);
    expect(e.cause).toBe(boom);
  });

  it("abandonOutputPort aborts the stream", async () => {
    let aborted = false;
    const out = outputPortToWritableStream(
      new WritableStream<Uint8Array>({ abort: () => void (aborted = true) }),
      "a",
      {
        custodian: false,
      },
    );
    abandonOutputPort(out);
    await settle();
    expect(aborted).toBe(true);
  });
});

describe("readableStreamFromInputPort", () => {
  it("reads the port to its end, then closes it", async () => {
    const [inp, out] = makePipe();
    await writeString("via web streams", out);
    closeOutputPort(out);
    expect(await new Response(readableStreamFromInputPort(inp)).text()).toBe("via web streams");
    expect(isPortClosed(inp)).toBe(true);
  });

  it("cancelled mid-read with close: false, it takes nothing from the port", async () => {
    const [inp, out] = makePipe();
    const stream = readableStreamFromInputPort(inp, { close: false });
    const reader = stream.getReader();
    const pending = reader.read();
    await settle();
    await reader.cancel();
    await pending;
    await writeString("untouched", out);
    const buf = new Uint8Array(20);
    expect(dec(buf.subarray(0, readBytesAvailStar(buf, inp) as number))).toBe("untouched");
  });
});

describe("writableStreamFromOutputPort", () => {
  it("pipes a web stream into the port; closing flushes and closes the port", async () => {
    const [inp, out] = makePipe();
    await new Blob(["from a web stream\n"]).stream().pipeTo(writableStreamFromOutputPort(out));
    expect(await readLine(inp)).toBe("from a web stream");
    expect(await readLine(inp)).toBe(eof);
  });

  it("follows the port's backpressure", async () => {
    const [inp, out] = makePipe(3);
    const writer = writableStreamFromOutputPort(out, { highWaterMark: 1 }).getWriter();
    const w = track(writer.write(enc("0123456789")));
    await settle();
    expect(w.status).toBe("pending");
    expect(dec(await readBytes(10, inp))).toBe("0123456789");
    await settle();
    expect(w.status).toBe("ok");
    await writer.close();
    expect(await readBytes(1, inp)).toBe(eof);
  });
});

describe("round trip through web streams", () => {
  it("bytes written to a port come out of a web stream intact", async () => {
    const [inp, out] = makePipe(64);
    const data = new Uint8Array(50_000).map((_, i) => (i * 7) % 251);
    const writing = (async () => {
      await writeBytes(data, out);
      closeOutputPort(out);
    })();
    const got = new Uint8Array(await new Response(readableStreamFromInputPort(inp)).arrayBuffer());
    await writing;
    expect(got).toEqual(data);
  });
});
