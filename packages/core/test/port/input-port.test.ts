import { describe, it, expect } from "vitest";
import { makeInputPort } from "../../src/port/input-port.js";
import { eof } from "../../src/port/eof.js";
import { closeInputPort, fileStreamBufferMode, isPortClosed } from "../../src/port/port-ops.js";
import {
  readBytes,
  readBytesAvail,
  readBytesAvailStar,
  readLine,
  readBytesEvt,
} from "../../src/port/read.js";
import { syncTimeout } from "../../src/engine/sync.js";
import {
  makeCustodian,
  custodianShutdownAll,
  custodianManagedList,
} from "../../src/custodian/custodian.js";
import { currentCustodian } from "../../src/custodian/custodian.js";
import { ExnFail, ExnFailContract } from "../../src/errors/exn.js";
import { rejection, track, turn } from "../helpers.js";
import { FakeSource } from "./fakes.js";

const dec = (b: unknown) => new TextDecoder().decode(b as Uint8Array);

function port(highWaterMark = 65536, source = new FakeSource()) {
  const inp = makeInputPort("fake", source, { highWaterMark, custodian: false });
  return { inp, source };
}

describe("makeInputPort", () => {
  it("starts the source before returning, and reads what it pushes", async () => {
    const source = new FakeSource();
    const inp = makeInputPort("fake", source, { custodian: false });
    expect(source.log).toEqual(["start"]);
    source.push("hello\nworld");
    source.feed.end();
    expect(await readLine(inp)).toBe("hello");
    expect(await readLine(inp)).toBe("world");
    expect(await readLine(inp)).toBe(eof);
    expect(inp.toString()).toBe("#<input-port:fake>");
  });

  it("checks its arguments", () => {
    expect(() => makeInputPort(5 as never, new FakeSource())).toThrow(ExnFailContract);
    expect(() => makeInputPort("x", {} as never)).toThrow(/^make-input-port: contract violation/);
  });

  it("is managed by the current custodian by default", () => {
    const c = makeCustodian();
    const source = new FakeSource();
    const inp = makeInputPort("managed", source, { custodian: c });
    expect(custodianManagedList(c, currentCustodian())).toContain(inp);
    custodianShutdownAll(c);
    expect(isPortClosed(inp)).toBe(true);
    expect(source.closed).toBe(1);
    expect(custodianManagedList(c, currentCustodian())).not.toContain(inp);
  });

  it("refuses a shut-down custodian without starting the source", () => {
    const c = makeCustodian();
    custodianShutdownAll(c);
    const source = new FakeSource();
    expect(() => makeInputPort("late", source, { custodian: c })).toThrow(ExnFail);
    expect(source.log).toEqual([]);
  });
});

describe("backpressure", () => {
  it("pauses the source at the high-water mark and resumes it below", async () => {
    const { inp, source } = port(4);
    source.push("ab");
    expect(source.paused).toBe(false);
    source.push("cd");
    expect(source.log).toEqual(["start", "pause"]);
    expect(dec(await readBytes(1, inp))).toBe("a");
    expect(source.log).toEqual(["start", "pause", "resume"]);
  });

  it("resumes for a reader that needs more than the mark, and pauses again once served", async () => {
    const { inp, source } = port(2);
    source.push("abc");
    expect(source.paused).toBe(true);
    const r = track(readBytes(6, inp));
    await turn();
    expect(source.paused).toBe(false);
    source.push("def");
    await turn();
    expect(dec(r.value)).toBe("abcdef");
    source.push("gh");
    expect(source.paused).toBe(true);
  });

  it("a losing read event withdraws its demand", async () => {
    const { inp, source } = port(2);
    source.push("ab");
    expect(source.paused).toBe(true);
    expect(await syncTimeout(0.01, readBytesEvt(5, inp))).toBe(false);
    expect(source.paused).toBe(true);
    expect(source.log).toEqual(["start", "pause", "resume", "pause"]);
  });

  it('in "none" mode nothing is read ahead of a waiting reader', async () => {
    const { inp, source } = port();
    expect(fileStreamBufferMode(inp)).toBe("block");
    fileStreamBufferMode(inp, "none");
    expect(source.paused).toBe(true);
    const r = track(readBytesAvail(new Uint8Array(4), inp));
    await turn();
    expect(source.paused).toBe(false);
    source.push("x");
    await turn();
    expect(r.value).toBe(1);
    expect(source.paused).toBe(true);
    expect(() => fileStreamBufferMode(inp, "line")).toThrow(ExnFailContract);
  });
});

describe("source errors", () => {
  it("deliver the bytes before the error first, then raise the source's error on every read", async () => {
    const { inp, source } = port();
    source.push("ab");
    const boom = new Error("ECONNRESET");
    source.feed.error(boom);
    const buf = new Uint8Array(8);
    expect(await readBytesAvail(buf, inp)).toBe(2);
    expect(await rejection(readBytesAvail(buf, inp))).toBe(boom);
    expect(() => readBytesAvailStar(buf, inp)).toThrow(boom);
    expect(await rejection(readLine(inp))).toBe(boom);
  });

  it("a complete-result read that cannot complete raises, leaving the partial bytes unread", async () => {
    const { inp, source } = port();
    source.push("partial line");
    const l = track(readLine(inp));
    await turn();
    const boom = new Error("reset");
    source.feed.error(boom);
    await turn();
    expect(l.error).toBe(boom);
    expect(await rejection(readBytes(20, inp))).toBe(boom);
    const buf = new Uint8Array(20);
    expect(readBytesAvailStar(buf, inp)).toBe(12);
    expect(dec(buf.subarray(0, 12))).toBe("partial line");
  });

  it("end and error after end are ignored; pushes after end too", async () => {
    const { inp, source } = port();
    source.push("z");
    source.feed.end();
    source.feed.error(new Error("late"));
    source.push("ignored");
    expect(dec(await readBytes(5, inp))).toBe("z");
    expect(await readBytes(5, inp)).toBe(eof);
  });
});

describe("closing", () => {
  it("releases the source exactly once and ignores later pushes", async () => {
    const { inp, source } = port();
    source.push("unread");
    closeInputPort(inp);
    closeInputPort(inp);
    expect(source.closed).toBe(1);
    expect(source.feed.closed).toBe(true);
    source.push("more");
    expect(await rejection(readBytes(1, inp))).toBeInstanceOf(ExnFail);
  });

  it("await using closes the port", async () => {
    const source = new FakeSource();
    {
      await using inp = makeInputPort("scoped", source, { custodian: false });
      expect(isPortClosed(inp)).toBe(false);
    }
    expect(source.closed).toBe(1);
  });
});
