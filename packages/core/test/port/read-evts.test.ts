import { describe, it, expect } from "vitest";
import { makePipe } from "../../src/port/pipe.js";
import { eof } from "../../src/port/eof.js";
import { closeInputPort, closeOutputPort } from "../../src/port/port-ops.js";
import {
  eofEvt,
  peekBytesAvailEvt,
  peekBytesEvt,
  readBytes,
  readBytesAvailEvt,
  readBytesAvailStar,
  readBytesEvt,
  readBytesIntoEvt,
  readBytesLineEvt,
  readByte,
  readLineEvt,
  readStringEvt,
} from "../../src/port/read.js";
import { writeBytes, writeString } from "../../src/port/write.js";
import { portProgressEvt } from "../../src/port/progress-evt.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { choiceEvt } from "../../src/combinators/choice.js";
import { alarmEvt } from "../../src/primitives/alarm.js";
import { makeSemaphore, semaphorePost } from "../../src/primitives/semaphore.js";
import { currentInexactMilliseconds } from "../../src/time/clock.js";
import { makePseudoRandomGenerator } from "../../src/engine/random.js";
import { ExnFail } from "../../src/errors/exn.js";
import { fixedOffset, rejection, track, turn, withGenerator, useVirtualTime } from "../helpers.js";

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: unknown) => (b === eof ? "<eof>" : new TextDecoder().decode(b as Uint8Array));

async function filled(s: string, end = false) {
  const [inp, out] = makePipe();
  await writeString(s, out);
  if (end) closeOutputPort(out);
  return { inp, out };
}

/** Everything still unread, without waiting. */
function rest(inp: ReturnType<typeof makePipe>[0]): string {
  const buf = new Uint8Array(1 << 16);
  const n = readBytesAvailStar(buf, inp);
  return n === eof ? "<eof>" : dec(buf.subarray(0, n as number));
}

describe("read events commit iff chosen", () => {
  it("a ready read that loses the rotation consumes nothing", async () => {
    const { inp } = await filled("abcd");
    // Offset 1 of [read, always]: always is polled first and wins.
    const r = await withGenerator(fixedOffset(1, 2), () => sync(readBytesEvt(2, inp), alwaysEvt));
    expect(r).toBe(alwaysEvt);
    expect(rest(inp)).toBe("abcd");
  });

  it("a ready read competes fairly with other ready events (unlike Racket 8.7's helper threads)", async () => {
    const { inp, out } = await filled("");
    let reads = 0;
    let others = 0;
    await withGenerator(makePseudoRandomGenerator(7), async () => {
      for (let i = 0; i < 200; i++) {
        await writeString("x", out);
        const r = await sync(readBytesEvt(1, inp), alwaysEvt);
        if (r === alwaysEvt) {
          others++;
          expect(readBytesAvailStar(new Uint8Array(1), inp)).toBe(1); // the byte was still there
        } else {
          reads++;
          expect(dec(r)).toBe("x");
        }
      }
    });
    expect(reads + others).toBe(200);
    expect(reads).toBeGreaterThan(60);
    expect(others).toBeGreaterThan(60);
  });

  it("two read events on one port in one sync consume exactly one result (ready at once)", async () => {
    const { inp } = await filled("abcdef");
    const r = await sync(readBytesEvt(2, inp), readBytesEvt(3, inp));
    expect(["ab", "abc"]).toContain(dec(r));
    expect(rest(inp)).toBe(dec(r) === "ab" ? "cdef" : "def");
  });

  it("two blocked read events on one port in one sync consume exactly one result", async () => {
    const [inp, out] = makePipe();
    const r = track(sync(readBytesEvt(2, inp), readLineEvt(inp)));
    await turn();
    expect(r.status).toBe("pending");
    await writeString("ab\ncd", out);
    await turn();
    expect(r.status).toBe("ok");
    // Whichever won (the FIFO order of blocking follows the rotation), the other took nothing.
    if (typeof r.value === "string") {
      expect(r.value).toBe("ab");
      expect(rest(inp)).toBe("cd");
    } else {
      expect(dec(r.value)).toBe("ab");
      expect(rest(inp)).toBe("\ncd");
    }
  });

  it("a blocked read that loses to an alarm consumes nothing", async () => {
    const { inp, out } = await filled("partial ");
    const r = await sync(
      readLineEvt(inp),
      wrapEvt(alarmEvt(currentInexactMilliseconds() + 5), () => "timeout"),
    );
    expect(r).toBe("timeout");
    await writeString("line\nnext", out);
    expect(await sync(readLineEvt(inp))).toBe("partial line");
    expect(rest(inp)).toBe("next");
  });

  it("a losing readBytesIntoEvt leaves the buffer untouched; a winning one fills it", async () => {
    const { inp } = await filled("xy");
    const buf = enc("____");
    await withGenerator(fixedOffset(1, 2), () =>
      sync(readBytesIntoEvt(buf.subarray(0, 2), inp), alwaysEvt),
    );
    expect(dec(buf)).toBe("____");
    expect(await sync(readBytesIntoEvt(buf.subarray(1, 3), inp))).toBe(2);
    expect(dec(buf)).toBe("_xy_");
    closeInputPort(inp);
  });

  it("the winner among readers blocked on one port is the first to have blocked", async () => {
    const [inp, out] = makePipe();
    const a = track(sync(readBytesEvt(2, inp)));
    const b = track(sync(readBytesEvt(2, inp)));
    await turn();
    await writeString("abcd", out);
    await turn();
    expect(dec(a.value)).toBe("ab");
    expect(dec(b.value)).toBe("cd");
  });

  it("one arrival serves every blocked sync it can, each with one of its events", async () => {
    const [inp, out] = makePipe();
    const a = track(sync(readBytesEvt(2, inp), readBytesEvt(2, inp)));
    const b = track(sync(readBytesEvt(2, inp), readBytesEvt(2, inp)));
    await turn();
    await writeString("abcd", out);
    await turn();
    expect([dec(a.value), dec(b.value)]).toEqual(["ab", "cd"]);
  });

  it("the same event synced concurrently makes distinct reads", async () => {
    const { inp } = await filled("112233");
    const e = readBytesEvt(2, inp);
    const got = await Promise.all([sync(e), sync(e), sync(e)]);
    expect(got.map(dec)).toEqual(["11", "22", "33"]);
  });

  it("wraps see the committed bytes; a choice of two ports reads from one", async () => {
    const { inp: a } = await filled("A");
    const [b] = makePipe();
    const r = await sync(
      choiceEvt(
        wrapEvt(readBytesEvt(1, a), (x) => `a:${dec(x)}`),
        readBytesEvt(1, b),
      ),
    );
    expect(r).toBe("a:A");
  });
});

describe("complete results only", () => {
  it("readBytesEvt waits for k bytes, or eof", async () => {
    const { inp, out } = await filled("abc");
    expect(await syncTimeout(0, readBytesEvt(4, inp))).toBe(false);
    const r = track(sync(readBytesEvt(4, inp)));
    await turn();
    expect(r.status).toBe("pending");
    closeOutputPort(out);
    await turn();
    expect(dec(r.value)).toBe("abc");
    expect(await sync(readBytesEvt(4, inp))).toBe(eof);
  });

  it("readBytesEvt(0) is ready at once with an empty string", async () => {
    const [inp] = makePipe();
    expect(((await syncTimeout(0, readBytesEvt(0, inp))) as Uint8Array).length).toBe(0);
  });

  it("readLineEvt is not ready while the line may still grow", async () => {
    const [inp, out] = makePipe();
    await writeString("abc", out);
    expect(await syncTimeout(0, readLineEvt(inp))).toBe(false);
    await writeString("\r", out);
    expect(await syncTimeout(0, readLineEvt(inp, "return-linefeed"))).toBe(false); // LF may follow
    expect(await syncTimeout(0, readLineEvt(inp, "any"))).toBe(false);
    await writeString("\nd", out);
    expect(await syncTimeout(0, readLineEvt(inp, "any"))).toBe("abc");
    closeOutputPort(out);
    expect(await syncTimeout(0, readLineEvt(inp))).toBe("d");
    expect(await syncTimeout(0, readLineEvt(inp))).toBe(eof);
  });

  it("readBytesLineEvt returns the line's bytes", async () => {
    const { inp } = await filled("a\r\nb", true);
    expect(dec(await sync(readBytesLineEvt(inp, "return-linefeed")))).toBe("a");
    expect(dec(await sync(readBytesLineEvt(inp, "return-linefeed")))).toBe("b");
  });

  it("readStringEvt waits for a character split across writes", async () => {
    const [inp, out] = makePipe();
    await writeBytes(Uint8Array.of(0x78, 0xce), out);
    expect(await syncTimeout(0, readStringEvt(2, inp))).toBe(false);
    await writeBytes(Uint8Array.of(0xbb), out);
    expect(await syncTimeout(0, readStringEvt(2, inp))).toBe("xλ");
  });

  it("readBytesAvailEvt takes what is there, at least one byte", async () => {
    const [inp, out] = makePipe();
    const buf = new Uint8Array(8);
    expect(await syncTimeout(0, readBytesAvailEvt(buf, inp))).toBe(false);
    await writeString("hey", out);
    expect(await sync(readBytesAvailEvt(buf, inp))).toBe(3);
    expect(await sync(readBytesAvailEvt(new Uint8Array(0), inp))).toBe(0);
    closeOutputPort(out);
    expect(await sync(readBytesAvailEvt(buf, inp))).toBe(eof);
  });
});

describe("eofEvt", () => {
  it("is ready only at eof, not merely when the port is empty", async () => {
    const [inp, out] = makePipe();
    expect(await syncTimeout(0, eofEvt(inp))).toBe(false);
    await writeString("z", out);
    closeOutputPort(out);
    expect(await syncTimeout(0, eofEvt(inp))).toBe(false); // a byte comes first
    expect(await readByte(inp)).toBe(122);
    expect(await syncTimeout(0, eofEvt(inp))).toBe(eof);
  });

  it("wakes a blocked sync when the writer closes", async () => {
    const [inp, out] = makePipe();
    const r = track(sync(eofEvt(inp)));
    await turn();
    expect(r.status).toBe("pending");
    closeOutputPort(out);
    await turn();
    expect(r.value).toBe(eof);
  });
});

describe("peek events", () => {
  it("never consume", async () => {
    const { inp } = await filled("abc");
    expect(dec(await sync(peekBytesEvt(2, 1, false, inp)))).toBe("bc");
    const buf = new Uint8Array(5);
    expect(await sync(peekBytesAvailEvt(buf, 0, false, inp))).toBe(3);
    expect(rest(inp)).toBe("abc");
  });

  it("a ready progress event cancels them for good", async () => {
    const { inp, out } = await filled("abc");
    const progress = portProgressEvt(inp);
    const peek = peekBytesEvt(1, 0, progress, inp);
    expect(dec(await syncTimeout(0, peek))).toBe("a");
    await readByte(inp);
    expect(await syncTimeout(0, peek)).toBe(false);
    expect(await syncTimeout(0, peekBytesAvailEvt(new Uint8Array(2), 0, progress, inp))).toBe(
      false,
    );
    expect(await syncTimeout(0, readBytesIntoEvt(new Uint8Array(1), inp, progress))).toBe(false);
    await writeString("more", out);
    expect(await syncTimeout(0, peek)).toBe(false);
  });

  it("a blocked peek is cancelled by a read", async () => {
    const { inp } = await filled("a");
    const progress = portProgressEvt(inp);
    const r = track(syncTimeout(0.05, peekBytesEvt(1, 1, progress, inp), progress));
    await turn();
    await readByte(inp);
    await turn();
    expect(r.value).toBe(progress);
  });
});

describe("errors surface when the event is chosen", () => {
  it("a read event on a closed port is ready and raises when chosen", async () => {
    const [inp] = makePipe();
    closeInputPort(inp);
    const e = (await rejection(sync(readBytesEvt(1, inp)))) as Error;
    expect(e).toBeInstanceOf(ExnFail);
    expect(e.message).toBe(
      "read-bytes-evt: input port is closed\n  input port: #<input-port:pipe>",
    );
    expect(((await rejection(sync(readLineEvt(inp)))) as Error).message).toMatch(
      /^read-line-evt: input port is closed/,
    );
    expect(((await rejection(sync(eofEvt(inp)))) as Error).message).toMatch(
      /^eof-evt: input port is closed/,
    );
  });

  it("a closed port's event raises nothing when another event is chosen", async () => {
    const [inp] = makePipe();
    closeInputPort(inp);
    const r = await withGenerator(fixedOffset(1, 2), () => sync(readBytesEvt(1, inp), alwaysEvt));
    expect(r).toBe(alwaysEvt);
  });

  it("closing the port wakes a blocked read event with the error", async () => {
    const [inp] = makePipe();
    const r = track(sync(readStringEvt(1, inp)));
    await turn();
    closeInputPort(inp);
    await turn();
    expect(r.status).toBe("err");
    expect((r.error as Error).message).toMatch(/^read-string-evt: input port is closed/);
  });
});

describe("the input port as an event", () => {
  it("is ready with data, eof or closed; its result is the port; nothing is read", async () => {
    const [inp, out] = makePipe();
    expect(await syncTimeout(0, inp)).toBe(false);
    await writeString("q", out);
    expect(await sync(inp)).toBe(inp);
    expect(await sync(inp)).toBe(inp);
    expect(rest(inp)).toBe("q");
    closeOutputPort(out);
    expect(await sync(inp)).toBe(inp);
    const [i2] = makePipe();
    closeInputPort(i2);
    expect(await sync(i2)).toBe(i2);
  });
});

describe("in virtual time", () => {
  const vt = useVirtualTime();

  it("a read raced against an alarm: whichever is ready first wins, and only it commits", async () => {
    const [inp, out] = makePipe();
    const sem = makeSemaphore(0);
    const r = track(
      sync(
        wrapEvt(readBytesEvt(3, inp), (b) => dec(b)),
        wrapEvt(alarmEvt(currentInexactMilliseconds() + 100), () => "alarm"),
        wrapEvt(sem, () => "sem"),
      ),
    );
    await writeString("ab", out);
    vt.vts.flush();
    await turn();
    expect(r.value).toBe("alarm");
    semaphorePost(sem);
    await writeString("c", out);
    expect(dec(await readBytes(3, inp))).toBe("abc");
  });
});
