import { describe, it, expect } from "vitest";
import { makePipe } from "../../src/port/pipe.js";
import { eof } from "../../src/port/eof.js";
import {
  closeInputPort,
  closeOutputPort,
  fileStreamBufferMode,
  isInputPort,
  isOutputPort,
} from "../../src/port/port-ops.js";
import { readBytes, readBytesAvailStar, readLineEvt, readLine } from "../../src/port/read.js";
import {
  writeBytes,
  writeBytesAvail,
  writeBytesAvailStar,
  writeString,
} from "../../src/port/write.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { makeCustodian, custodianShutdownAll } from "../../src/custodian/custodian.js";
import { withCustodian } from "../../src/custodian/custodian.js";
import { ExnFail, ExnFailContract } from "../../src/errors/exn.js";
import { track, turn } from "../helpers.js";

const dec = (b: unknown) => new TextDecoder().decode(b as Uint8Array);

describe("makePipe", () => {
  it("returns an input port and an output port joined in memory", async () => {
    const [inp, out] = makePipe();
    expect(isInputPort(inp) && isOutputPort(out)).toBe(true);
    await writeString("ping", out);
    expect(dec(await readBytes(4, inp))).toBe("ping");
  });

  it("gives eof after the unread bytes once the output port is closed, and wakes waiting readers", async () => {
    const [inp, out] = makePipe();
    const r = track(readBytes(10, inp));
    await writeString("last", out);
    await turn();
    expect(r.status).toBe("pending");
    closeOutputPort(out);
    await turn();
    expect(dec(r.value)).toBe("last");
    expect(await readBytes(1, inp)).toBe(eof);
  });

  it("checks its limit", () => {
    expect(() => makePipe(0)).toThrow(ExnFailContract);
    expect(() => makePipe(0)).toThrow(
      /^make-pipe: contract violation\n {2}expected: \(or\/c #f exact-positive-integer\?\)/,
    );
    expect(() => makePipe(1.5)).toThrow(ExnFailContract);
    expect(() => makePipe(false)).not.toThrow();
  });

  it("names its ports", () => {
    const [inp, out] = makePipe(false, "in-name", "out-name");
    expect(inp.toString()).toBe("#<input-port:in-name>");
    expect(out.toString()).toBe("#<output-port:out-name>");
  });
});

describe("a limited pipe", () => {
  it("makes writes wait while it holds limit unread bytes", async () => {
    const [inp, out] = makePipe(3);
    const w = track(writeBytes(new TextEncoder().encode("0123456789"), out));
    await turn();
    expect(w.status).toBe("pending");
    const buf = new Uint8Array(20);
    let got = "";
    while (got.length < 10) {
      const n = readBytesAvailStar(buf, inp) as number;
      expect(n).toBeLessThanOrEqual(3);
      got += dec(buf.subarray(0, n));
      await turn();
    }
    expect(got).toBe("0123456789");
    expect(w.value).toBe(10);
  });

  it("the output port is not ready while the pipe is full", async () => {
    const [inp, out] = makePipe(2);
    expect(writeBytesAvailStar(new Uint8Array(5), out)).toBe(2);
    expect(await syncTimeout(0, out)).toBe(false);
    const r = track(sync(out));
    await readBytes(1, inp);
    await turn();
    expect(r.value).toBe(out);
    expect(await writeBytesAvail(new Uint8Array(5), out)).toBe(1);
  });

  it("a reader waiting for more than the limit makes room for what it needs", async () => {
    const [inp, out] = makePipe(3);
    const w = writeString("a long line\n", out);
    expect(await sync(readLineEvt(inp))).toBe("a long line");
    await w;
    const w2 = writeString("0123456789", out);
    expect(dec(await readBytes(10, inp))).toBe("0123456789");
    await w2;
  });

  it("drops bytes written after the input port is closed, without waiting", async () => {
    const [inp, out] = makePipe(2);
    const w = track(writeString("abcdef", out));
    await turn();
    expect(w.status).toBe("pending");
    closeInputPort(inp);
    await turn();
    expect(w.value).toBe(6);
    expect(await writeString("more", out)).toBe(4);
  });
});

describe("pipe ports", () => {
  it("have no buffer mode (as Racket): getting gives false, setting raises ExnFail", () => {
    const [inp, out] = makePipe();
    expect(fileStreamBufferMode(inp)).toBe(false);
    expect(fileStreamBufferMode(out)).toBe(false);
    expect(() => fileStreamBufferMode(out, "block")).toThrow(
      new ExnFail(
        "file-stream-buffer-mode: buffering not supported for output port\n  mode: 'block\n  output port: #<output-port:pipe>",
      ),
    );
    expect(() => fileStreamBufferMode(inp, "none")).toThrow(ExnFail);
  });

  it("are not managed by a custodian (as Racket)", async () => {
    const c = makeCustodian();
    const [inp, out] = withCustodian(c, () => makePipe());
    custodianShutdownAll(c);
    await writeString("still open\n", out);
    expect(await readLine(inp)).toBe("still open");
  });
});
