import { describe, it, expect } from "vitest";
import { makePipe } from "../../src/port/pipe.js";
import { eof } from "../../src/port/eof.js";
import { closeInputPort, closeOutputPort } from "../../src/port/port-ops.js";
import {
  peekByte,
  peekBytes,
  peekBytesAvail,
  readByte,
  readBytes,
  readBytesAvail,
  readBytesAvailStar,
  readBytesInto,
  readBytesLine,
  readChar,
  readLine,
  readString,
} from "../../src/port/read.js";
import { writeBytes, writeString } from "../../src/port/write.js";
import { portProgressEvt } from "../../src/port/progress-evt.js";
import { ExnFail, ExnFailContract } from "../../src/errors/exn.js";
import { rejection, track, turn } from "../helpers.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | typeof eof) =>
  b === eof ? b : new TextDecoder().decode(b as Uint8Array);

async function filled(s: string | Uint8Array, end = false) {
  const [inp, out] = makePipe();
  await writeBytes(typeof s === "string" ? enc(s) : s, out);
  if (end) closeOutputPort(out);
  return { inp, out };
}

describe("readBytes", () => {
  it("waits for exactly amt bytes and takes them all at once", async () => {
    const { inp, out } = await filled("ab");
    const r = track(readBytes(4, inp));
    await turn();
    expect(r.status).toBe("pending");
    expect(readBytesAvailStar(new Uint8Array(0), inp)).toBe(0);
    await writeString("cdef", out);
    await turn();
    expect(dec(r.value as Uint8Array)).toBe("abcd");
    expect(dec(await readBytes(2, inp))).toBe("ef");
  });

  it("returns fewer bytes only at eof, then eof", async () => {
    const { inp } = await filled("xyz", true);
    expect(dec(await readBytes(5, inp))).toBe("xyz");
    expect(await readBytes(5, inp)).toBe(eof);
    expect(await readBytes(5, inp)).toBe(eof);
  });

  it("returns an empty byte string for 0, even at eof or closed (as Racket)", async () => {
    const { inp } = await filled("", true);
    expect((await readBytes(0, inp)) as Uint8Array).toHaveLength(0);
    closeInputPort(inp);
    expect((await readBytes(0, inp)) as Uint8Array).toHaveLength(0);
  });

  it("rejects bad arguments with Racket's contract messages", async () => {
    const [inp] = makePipe();
    const e = (await rejection(readBytes(-1, inp))) as Error;
    expect(e).toBeInstanceOf(ExnFailContract);
    expect(e.message).toMatch(
      /^read-bytes: contract violation\n {2}expected: exact-nonnegative-integer\?/,
    );
    expect(await rejection(readBytes(1, 5 as never))).toBeInstanceOf(ExnFailContract);
  });
});

describe("readBytesInto", () => {
  it("fills the range, leaving the rest of the buffer alone", async () => {
    const { inp } = await filled("cketRa", true);
    const buf = enc("__________");
    expect(await readBytesInto(buf, inp, 2, 6)).toBe(4);
    expect(dec(buf)).toBe("__cket____");
    expect(await readBytesInto(buf, inp, 0, 2)).toBe(2);
    expect(dec(buf)).toBe("Racket____");
    expect(await readBytesInto(buf, inp)).toBe(eof);
    expect(await readBytesInto(buf, inp, 3, 3)).toBe(0);
  });

  it("checks the range as Racket does", async () => {
    const [inp] = makePipe();
    const e1 = (await rejection(readBytesInto(new Uint8Array(3), inp, 4))) as Error;
    expect(e1.message).toMatch(
      /^read-bytes!: starting index is out of range\n {2}starting index: 4\n {2}valid range: \[0, 3\]/,
    );
    const e2 = (await rejection(readBytesInto(new Uint8Array(3), inp, 1, 0))) as Error;
    expect(e2.message).toMatch(/^read-bytes!: ending index is smaller than starting index/);
    const e3 = (await rejection(readBytesInto(new Uint8Array(3), inp, 0, 9))) as Error;
    expect(e3.message).toMatch(/^read-bytes!: ending index is out of range/);
  });
});

describe("readBytesAvail and readBytesAvailStar", () => {
  it("readBytesAvail waits for one byte, then takes what is there", async () => {
    const [inp, out] = makePipe();
    const buf = new Uint8Array(10);
    const r = track(readBytesAvail(buf, inp));
    await turn();
    expect(r.status).toBe("pending");
    await writeString("hey", out);
    await turn();
    expect(r.value).toBe(3);
    expect(dec(buf.subarray(0, 3))).toBe("hey");
  });

  it("readBytesAvail respects the range and returns eof at eof", async () => {
    const { inp } = await filled("abcdef", true);
    const buf = new Uint8Array(6);
    expect(await readBytesAvail(buf, inp, 1, 3)).toBe(2);
    expect(dec(buf.subarray(1, 3))).toBe("ab");
    expect(await readBytesAvail(buf, inp)).toBe(4);
    expect(await readBytesAvail(buf, inp)).toBe(eof);
  });

  it("readBytesAvailStar never waits: 0 when empty, eof at eof", async () => {
    const [inp, out] = makePipe();
    const buf = new Uint8Array(4);
    expect(readBytesAvailStar(buf, inp)).toBe(0);
    await writeString("abcdef", out);
    expect(readBytesAvailStar(buf, inp)).toBe(4);
    expect(readBytesAvailStar(buf, inp)).toBe(2);
    expect(readBytesAvailStar(buf, inp)).toBe(0);
    closeOutputPort(out);
    expect(readBytesAvailStar(buf, inp)).toBe(eof);
  });

  it("an empty range gives 0 even on a closed port (as Racket)", async () => {
    const [inp] = makePipe();
    closeInputPort(inp);
    expect(readBytesAvailStar(new Uint8Array(0), inp)).toBe(0);
    expect(await readBytesAvail(new Uint8Array(0), inp)).toBe(0);
  });

  it("a closed port raises ExnFail naming the function", async () => {
    const [inp] = makePipe();
    closeInputPort(inp);
    expect(() => readBytesAvailStar(new Uint8Array(2), inp)).toThrow(
      new ExnFail("read-bytes-avail!*: input port is closed\n  input port: #<input-port:pipe>"),
    );
  });
});

describe("readByte, readChar, readString", () => {
  it("readByte returns byte values, then eof", async () => {
    const { inp } = await filled(Uint8Array.of(0, 255), true);
    expect(await readByte(inp)).toBe(0);
    expect(await readByte(inp)).toBe(255);
    expect(await readByte(inp)).toBe(eof);
  });

  it("readChar waits for the rest of a split character", async () => {
    const [inp, out] = makePipe();
    await writeBytes(Uint8Array.of(0xf0, 0x9f), out);
    const c = track(readChar(inp));
    await turn();
    expect(c.status).toBe("pending");
    await writeBytes(Uint8Array.of(0x98, 0x80, 0x41), out);
    await turn();
    expect(c.value).toBe("😀");
    expect(await readChar(inp)).toBe("A");
  });

  it("readChar decodes a truncated sequence at eof byte by byte (as Racket)", async () => {
    const { inp } = await filled(Uint8Array.of(0xe2, 0x82), true);
    expect(await readChar(inp)).toBe("\uFFFD");
    expect(await readChar(inp)).toBe("\uFFFD");
    expect(await readChar(inp)).toBe(eof);
  });

  it("readString counts characters, not bytes or UTF-16 units", async () => {
    const { inp } = await filled("λx😀yz", true);
    expect(await readString(3, inp)).toBe("λx😀");
    expect(await readString(0, inp)).toBe("");
    expect(await readString(10, inp)).toBe("yz");
    expect(await readString(1, inp)).toBe(eof);
  });
});

describe("readLine and readBytesLine", () => {
  const text = "a\nb\rc\r\nd\n\re\r\r\nf";
  // Measured with Racket CS 8.7 (read-line on this byte string, each mode).
  const expected: Record<string, string[]> = {
    linefeed: ["a", "b\rc\r", "d", "\re\r\r", "f"],
    return: ["a\nb", "c", "\nd\n", "e", "", "\nf"],
    "return-linefeed": ["a\nb\rc", "d\n\re\r", "f"],
    any: ["a", "b", "c", "d", "", "e", "", "f"],
    "any-one": ["a", "b", "c", "", "d", "", "e", "", "", "f"],
  };

  for (const mode of Object.keys(expected)) {
    it(`splits lines in "${mode}" mode as Racket does`, async () => {
      const { inp } = await filled(text, true);
      const lines: string[] = [];
      for (;;) {
        const l = await readLine(inp, mode as never);
        if (l === eof) break;
        lines.push(l as string);
      }
      expect(lines).toEqual(expected[mode]);
    });
  }

  it("an empty port gives eof; a lone newline an empty line", async () => {
    expect(await readLine((await filled("", true)).inp)).toBe(eof);
    const { inp } = await filled("\n", true);
    expect(await readLine(inp)).toBe("");
    expect(await readLine(inp)).toBe(eof);
  });

  it("in any mode, a final return waits for the next byte", async () => {
    const [inp, out] = makePipe();
    await writeString("x\r", out);
    const l = track(readLine(inp, "any"));
    await turn();
    expect(l.status).toBe("pending");
    await writeString("\ny\n", out);
    await turn();
    expect(l.value).toBe("x");
    expect(await readLine(inp, "any")).toBe("y"); // the \r\n was one separator
  });

  it("decodes invalid UTF-8 as U+FFFD; readBytesLine keeps the bytes", async () => {
    const { inp } = await filled(Uint8Array.of(0x61, 0xff, 0x62, 0x0a, 0x61, 0xff, 0x0a), true);
    expect(await readLine(inp)).toBe("a\uFFFDb");
    expect(await readBytesLine(inp)).toEqual(Uint8Array.of(0x61, 0xff));
  });

  it("rejects an unknown mode", async () => {
    const [inp] = makePipe();
    const e = (await rejection(readLine(inp, "foo" as never))) as Error;
    expect(e.message).toMatch(/^read-line: contract violation\n {2}expected: \(or\/c 'linefeed/);
  });
});

describe("peeks", () => {
  it("peekBytes and peekByte never consume; skip counts bytes", async () => {
    const { inp } = await filled("abc", true);
    expect(dec(await peekBytes(2, 1, inp))).toBe("bc");
    expect(await peekByte(inp, 1)).toBe(98);
    expect(await peekByte(inp)).toBe(97);
    expect(dec(await peekBytes(5, 1, inp))).toBe("bc"); // eof after 2
    expect(await peekBytes(2, 3, inp)).toBe(eof);
    expect(await peekByte(inp, 7)).toBe(eof);
    expect(dec(await readBytes(3, inp))).toBe("abc");
  });

  it("peekBytes waits for skip + amt bytes", async () => {
    const [inp, out] = makePipe();
    await writeString("ab", out);
    const p = track(peekBytes(1, 5, inp));
    await turn();
    expect(p.status).toBe("pending");
    await writeString("cdef", out);
    await turn();
    expect(dec(p.value as Uint8Array)).toBe("f");
  });

  it("peekBytesAvail returns 0 once its progress event is ready, checked before closedness", async () => {
    const { inp } = await filled("abc");
    const progress = portProgressEvt(inp);
    const buf = new Uint8Array(3);
    expect(await peekBytesAvail(buf, 0, progress, inp)).toBe(3);
    await readByte(inp);
    expect(await peekBytesAvail(buf, 0, progress, inp)).toBe(0);
    expect(await peekBytesAvail(buf, 0, false, inp)).toBe(2);
    closeInputPort(inp);
    expect(await peekBytesAvail(buf, 0, progress, inp)).toBe(0);
    expect(await rejection(peekBytesAvail(buf, 0, false, inp))).toBeInstanceOf(ExnFail);
  });

  it("a waiting peekBytesAvail is cut short by a read", async () => {
    const [inp, out] = makePipe();
    await writeString("a", out);
    const progress = portProgressEvt(inp);
    const p = track(peekBytesAvail(new Uint8Array(2), 1, progress, inp));
    await turn();
    expect(p.status).toBe("pending");
    await readByte(inp);
    await turn();
    expect(p.value).toBe(0);
  });

  it("a progress event of another port is refused", async () => {
    const [a] = makePipe();
    const [b] = makePipe();
    const e = (await rejection(
      peekBytesAvail(new Uint8Array(1), 0, portProgressEvt(b), a),
    )) as Error;
    expect(e).toBeInstanceOf(ExnFailContract);
    expect(e.message).toMatch(/^peek-bytes-avail!: evt is not a progress evt for the given port/);
  });
});

describe("a closed input port", () => {
  it("makes every read raise ExnFail naming the function", async () => {
    const [inp] = makePipe();
    closeInputPort(inp);
    const cases: [string, Promise<unknown>][] = [
      ["read-byte", readByte(inp)],
      ["read-bytes", readBytes(2, inp)],
      ["read-bytes!", readBytesInto(new Uint8Array(2), inp)],
      ["read-line", readLine(inp)],
      ["read-bytes-line", readBytesLine(inp)],
      ["read-string", readString(2, inp)],
      ["read-char", readChar(inp)],
      ["peek-byte", peekByte(inp)],
      ["peek-bytes", peekBytes(1, 0, inp)],
    ];
    for (const [who, p] of cases) {
      const e = (await rejection(p)) as Error;
      expect(e).toBeInstanceOf(ExnFail);
      expect(e).not.toBeInstanceOf(ExnFailContract);
      expect(e.message).toBe(`${who}: input port is closed\n  input port: #<input-port:pipe>`);
    }
  });

  it("wakes a waiting reader with the error and drops unread bytes", async () => {
    const { inp } = await filled("ab");
    const r = track(readBytes(5, inp));
    await turn();
    closeInputPort(inp);
    await turn();
    expect(r.status).toBe("err");
    expect((r.error as Error).message).toMatch(/^read-bytes: input port is closed/);
  });
});
