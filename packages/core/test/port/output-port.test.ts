import { describe, it, expect } from "vitest";
import { makeOutputPort, abandonOutputPort } from "../../src/port/output-port.js";
import type { OutputPortOptions } from "../../src/port/byte-sink.js";
import {
  closeOutputPort,
  fileStreamBufferMode,
  isPortClosed,
  portClosedEvt,
} from "../../src/port/port-ops.js";
import {
  flushOutput,
  writeByte,
  writeBytes,
  writeBytesAvail,
  writeBytesAvailEvt,
  writeBytesAvailStar,
  writeString,
} from "../../src/port/write.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { makeCustodian, custodianShutdownAll } from "../../src/custodian/custodian.js";
import { ExnFail, ExnFailContract } from "../../src/errors/exn.js";
import { fixedOffset, rejection, track, turn, withGenerator } from "../helpers.js";
import { FakeSink } from "./fakes.js";

const enc = (s: string) => new TextEncoder().encode(s);

function port(options: OutputPortOptions = {}, sink = new FakeSink()) {
  const out = makeOutputPort("fake", sink, { custodian: false, ...options });
  return { out, sink };
}

describe("buffer modes", () => {
  it("block (the default) keeps bytes until the buffer is full or flushed", async () => {
    const { out, sink } = port({ bufferSize: 8 });
    expect(fileStreamBufferMode(out)).toBe("block");
    await writeString("abc", out);
    await writeString("def", out);
    expect(sink.chunks).toEqual([]);
    await writeString("ghi", out); // fills the 8-byte buffer: "abcdefgh" leaves
    expect(sink.chunks).toEqual(["abcdefgh"]);
    await flushOutput(out);
    expect(sink.chunks).toEqual(["abcdefgh", "i"]);
  });

  it("block mode sends a write larger than the buffer straight to the sink", async () => {
    const { out, sink } = port({ bufferSize: 4 });
    await writeString("0123456789", out);
    expect(sink.chunks).toEqual(["0123456789"]);
  });

  it("line mode also flushes after a write containing a newline or a return (as Racket)", async () => {
    const { out, sink } = port();
    fileStreamBufferMode(out, "line");
    await writeString("abc", out);
    expect(sink.text).toBe("");
    await writeString("\r", out);
    expect(sink.text).toBe("abc\r");
    await writeString("x", out);
    expect(sink.text).toBe("abc\r");
    await writeString("y\nz", out);
    expect(sink.text).toBe("abc\rxy\nz");
  });

  it("none hands every write over at once; switching to it sends what was buffered first", async () => {
    const { out, sink } = port();
    await writeString("buffered ", out);
    fileStreamBufferMode(out, "none");
    expect(sink.text).toBe("buffered ");
    await writeString("direct", out);
    expect(sink.chunks).toEqual(["buffered ", "direct"]);
  });

  it("rejects a bad mode", () => {
    const { out } = port();
    expect(() => fileStreamBufferMode(out, "full" as never)).toThrow(ExnFailContract);
  });
});

describe("backpressure", () => {
  it("never gives the sink more than its capacity; writers wait for ready()", async () => {
    const { out, sink } = port({ bufferMode: "none" });
    sink.room = 3;
    const w = track(writeBytes(enc("0123456789"), out));
    await turn();
    expect(w.status).toBe("pending");
    expect(sink.text).toBe("012");
    sink.grant(4);
    await turn();
    expect(sink.text).toBe("0123456");
    sink.grant(100);
    await turn();
    expect(w.value).toBe(10);
    expect(sink.chunks).toEqual(["012", "3456", "789"]);
    expect(sink.overruns).toBe(0);
  });

  it("a waiting write keeps its own copy of the caller's bytes", async () => {
    const { out, sink } = port({ bufferMode: "none" });
    sink.room = 1;
    const bytes = enc("abc");
    const w = writeBytes(bytes, out);
    bytes.fill(0x3f);
    sink.grant(10);
    await w;
    expect(sink.text).toBe("abc");
  });

  it("the port is an event ready when a write would not wait; its result is the port", async () => {
    const { out, sink } = port({ bufferSize: 2 });
    sink.room = 0;
    expect(await sync(out)).toBe(out);
    await writeString("ab", out); // fills the buffer; the sink has no room
    expect(await syncTimeout(0, out)).toBe(false);
    const r = track(sync(out));
    await turn();
    expect(r.status).toBe("pending");
    sink.grant(2);
    await turn();
    expect(r.value).toBe(out);
    expect(sink.text).toBe("ab");
  });

  it("flushOutput waits until every chunk handed over is done", async () => {
    const { out, sink } = port();
    sink.autoDone = false;
    await writeString("abc", out);
    const f = track(flushOutput(out));
    await turn();
    expect(sink.text).toBe("abc");
    expect(f.status).toBe("pending");
    sink.complete();
    await turn();
    expect(f.status).toBe("ok");
  });
});

describe("writeBytesAvailEvt", () => {
  it("flushes the buffer, then writes its bytes unbuffered; the result is the count", async () => {
    const { out, sink } = port();
    await writeString("ab", out);
    expect(await sync(writeBytesAvailEvt(enc("xyz"), out))).toBe(3);
    expect(sink.chunks).toEqual(["ab", "xyz"]);
  });

  it("writes at most what the sink has room for", async () => {
    const { out, sink } = port();
    sink.room = 2;
    expect(await sync(writeBytesAvailEvt(enc("xyz"), out, 1))).toBe(2);
    expect(sink.text).toBe("yz");
  });

  it("writes nothing when not chosen", async () => {
    const { out, sink } = port();
    const r = await withGenerator(fixedOffset(1, 2), () =>
      sync(writeBytesAvailEvt(enc("no"), out), alwaysEvt),
    );
    expect(r).toBe(alwaysEvt);
    sink.room = 0;
    expect(await syncTimeout(0.01, writeBytesAvailEvt(enc("no"), out))).toBe(false);
    expect(sink.text).toBe("");
    const w = track(sync(writeBytesAvailEvt(enc("yes"), out)));
    sink.grant(5);
    await turn();
    expect(w.value).toBe(3);
    expect(sink.text).toBe("yes");
  });

  it("an empty range gives 0 once the buffer is flushed", async () => {
    const { out, sink } = port();
    await writeString("q", out);
    sink.room = 0;
    expect(await syncTimeout(0, writeBytesAvailEvt(new Uint8Array(0), out))).toBe(false);
    sink.grant(1);
    expect(await sync(writeBytesAvailEvt(new Uint8Array(0), out))).toBe(0);
    expect(sink.text).toBe("q");
  });

  it("raises at creation on a closed port, and when chosen if the port closes later", async () => {
    const { out, sink } = port();
    sink.room = 0;
    const e = writeBytesAvailEvt(enc("x"), out);
    const r = track(sync(e));
    await turn();
    closeOutputPort(out);
    await turn();
    expect((r.error as Error).message).toBe(
      "write-bytes-avail-evt: output port is closed\n  output port: #<output-port:fake>",
    );
    expect(() => writeBytesAvailEvt(enc("x"), out)).toThrow(ExnFail);
  });
});

describe("writeBytesAvail and writeBytesAvailStar", () => {
  it("writeBytesAvail waits for room for one byte, then writes what fits", async () => {
    const { out, sink } = port();
    sink.room = 0;
    const w = track(writeBytesAvail(enc("hello"), out));
    await turn();
    expect(w.status).toBe("pending");
    sink.grant(2);
    await turn();
    expect(w.value).toBe(2);
    expect(sink.text).toBe("he");
  });

  it("writeBytesAvailStar: false when the buffer cannot be flushed, 0 without room", async () => {
    const { out, sink } = port();
    await writeString("buf", out);
    sink.room = 2;
    expect(writeBytesAvailStar(enc("xy"), out)).toBe(false);
    expect(sink.text).toBe("bu"); // what fitted left
    sink.room = 1;
    expect(writeBytesAvailStar(enc("xy"), out)).toBe(0); // "f" flushed, no room left
    sink.room = 5;
    expect(writeBytesAvailStar(enc("xy"), out)).toBe(2);
    expect(sink.text).toBe("bufxy");
  });
});

describe("writing and closing", () => {
  it("writeString encodes UTF-8 and returns the count of string units", async () => {
    const { out, sink } = port({ bufferMode: "none" });
    expect(await writeString("aλ😀b", out, 1, 4)).toBe(3);
    expect(sink.text).toBe("λ😀");
  });

  it("writeByte checks its byte", async () => {
    const { out } = port();
    const e = (await rejection(writeByte(256, out))) as Error;
    expect(e.message).toMatch(/^write-byte: contract violation\n {2}expected: byte\?/);
  });

  it("closing flushes everything (whatever the room), then ends the sink", () => {
    const { out, sink } = port();
    void writeString("tail", out);
    sink.room = 0;
    closeOutputPort(out);
    closeOutputPort(out);
    expect(sink.chunks).toEqual(["tail"]);
    expect(sink.overruns).toBe(1);
    expect(sink.log.slice(-1)).toEqual(["end"]);
    expect(sink.ended).toBe(1);
    expect(isPortClosed(out)).toBe(true);
  });

  it("abandonOutputPort flushes, then abandons instead of ending", () => {
    const { out, sink } = port();
    void writeString("x", out);
    abandonOutputPort(out);
    expect(sink.log).toEqual(["write 1", "abandon"]);
  });

  it("every write to a closed port raises ExnFail naming the function; an empty one returns 0", async () => {
    const { out } = port();
    closeOutputPort(out);
    const cases: [string, () => unknown][] = [
      ["write-bytes", () => writeBytes(enc("x"), out)],
      ["write-string", () => writeString("x", out)],
      ["write-byte", () => writeByte(1, out)],
      ["write-bytes-avail", () => writeBytesAvail(enc("x"), out)],
      ["flush-output", () => flushOutput(out)],
    ];
    for (const [who, f] of cases) {
      const e = (await rejection(f() as Promise<unknown>)) as Error;
      expect(e).toBeInstanceOf(ExnFail);
      expect(e.message).toBe(`${who}: output port is closed\n  output port: #<output-port:fake>`);
    }
    expect(() => writeBytesAvailStar(enc("x"), out)).toThrow(
      /^write-bytes-avail\*: output port is closed/,
    );
    expect(await writeBytes(new Uint8Array(0), out)).toBe(0);
  });

  it("a custodian shutdown closes without flushing (as Racket)", async () => {
    const c = makeCustodian();
    const sink = new FakeSink();
    const out = makeOutputPort("managed", sink, { custodian: c });
    await writeString("lost", out);
    custodianShutdownAll(c);
    expect(isPortClosed(out)).toBe(true);
    expect(sink.log).toEqual(["end"]);
  });

  it("portClosedEvt becomes ready when the port closes; its result is itself", async () => {
    const { out } = port();
    const e = portClosedEvt(out);
    const r = track(sync(e));
    await turn();
    expect(r.status).toBe("pending");
    closeOutputPort(out);
    await turn();
    expect(r.value).toBe(e);
  });
});

describe("sink failures", () => {
  it("a failed write makes later writes and flushes raise the sink's error", async () => {
    const { out, sink } = port({ bufferMode: "none" });
    sink.autoDone = false;
    await writeString("a", out);
    const boom = new Error("EPIPE");
    sink.complete(boom);
    expect(await rejection(writeString("b", out))).toBe(boom);
    expect(await rejection(flushOutput(out))).toBe(boom);
    expect(() => writeBytesAvailStar(enc("c"), out)).toThrow(boom);
    expect(sink.text).toBe("a");
  });

  it("feed.error drops the buffer and wakes a waiting flush with the error", async () => {
    const { out, sink } = port();
    sink.room = 0;
    await writeString("stuck", out);
    const f = track(flushOutput(out));
    await turn();
    const boom = new Error("reset");
    sink.feed.error(boom);
    await turn();
    expect(f.error).toBe(boom);
    closeOutputPort(out); // does not raise, and hands nothing over
    expect(sink.chunks).toEqual([]);
  });
});
