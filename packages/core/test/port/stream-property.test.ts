// Property: whatever the split of the writes (UTF-8 sequences and CRLF pairs cut in half included)
// and whatever mix of read events races against alarms, other ready events and each other, the
// results reassemble exactly the bytes written: nothing lost, duplicated or reordered, and every
// result is the complete one a reference reading of the whole stream gives at that position.
import { describe, it, expect } from "vitest";
import fc from "fast-check";
import { makePipe } from "../../src/port/pipe.js";
import { makeInputPort, type InputPort } from "../../src/port/input-port.js";
import { eof } from "../../src/port/eof.js";
import { closeOutputPort } from "../../src/port/port-ops.js";
import type { LineMode } from "../../src/port/line-scan.js";
import {
  eofEvt,
  peekBytesEvt,
  readBytesAvailEvt,
  readBytesEvt,
  readBytesLineEvt,
  readLineEvt,
  readStringEvt,
} from "../../src/port/read.js";
import { writeBytes } from "../../src/port/write.js";
import type { Evt } from "../../src/protocol/evt.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { alwaysEvt } from "../../src/combinators/always.js";
import { wrapEvt } from "../../src/combinators/wrap.js";
import { alarmEvt } from "../../src/primitives/alarm.js";
import { currentInexactMilliseconds } from "../../src/time/clock.js";
import { makePseudoRandomGenerator } from "../../src/engine/random.js";
import { turn, useVirtualTime, withGenerator } from "../helpers.js";
import { decodeUtf8, utf8Step } from "../../src/port/utf8.js";
import { FakeSource } from "./fakes.js";

const LF = 10;
const CR = 13;
const MODES: LineMode[] = ["linefeed", "return", "return-linefeed", "any", "any-one"];

type Op =
  | { kind: "bytes"; k: number }
  | { kind: "avail"; size: number }
  | { kind: "string"; k: number }
  | { kind: "line"; mode: LineMode; asBytes: boolean }
  | { kind: "peek"; k: number }
  | { kind: "eof" };

type Race = "alarm" | "always" | "poll" | "twin";

const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant("bytes" as const), k: fc.integer({ min: 0, max: 9 }) }),
  fc.record({ kind: fc.constant("avail" as const), size: fc.integer({ min: 1, max: 9 }) }),
  fc.record({ kind: fc.constant("string" as const), k: fc.integer({ min: 1, max: 5 }) }),
  fc.record({
    kind: fc.constant("line" as const),
    mode: fc.constantFrom(...MODES),
    asBytes: fc.boolean(),
  }),
  fc.record({ kind: fc.constant("peek" as const), k: fc.integer({ min: 1, max: 6 }) }),
  fc.record({ kind: fc.constant("eof" as const) }),
);

const textArb = fc
  .array(fc.constantFrom("a", "bc", "λ", "€", "😀", "\r", "\n", "\r\n", " ", "xyz"), {
    maxLength: 40,
  })
  .map((parts) => parts.join(""));

// -- the reference reading of the whole stream -----------------------------------------------------

interface Expected {
  /** What the event must return when it commits at this position. */
  readonly value: unknown;
  /** Bytes it consumes. */
  readonly consumed: number;
}

function refLine(b: Uint8Array, pos: number, mode: LineMode): { end: number; sep: number } {
  for (let i = pos; i < b.length; i++) {
    const x = b[i];
    const next = b[i + 1];
    if (mode === "linefeed" && x === LF) return { end: i, sep: 1 };
    if (mode === "return" && x === CR) return { end: i, sep: 1 };
    if (mode === "any-one" && (x === CR || x === LF)) return { end: i, sep: 1 };
    if (mode === "return-linefeed" && x === CR && next === LF) return { end: i, sep: 2 };
    if (mode === "any" && x === LF) return { end: i, sep: 1 };
    if (mode === "any" && x === CR) return { end: i, sep: next === LF ? 2 : 1 };
  }
  return { end: b.length, sep: 0 };
}

function expected(op: Op, b: Uint8Array, pos: number): Expected | "partial" {
  const left = b.length - pos;
  const text = (u: Uint8Array) => decodeUtf8(u);
  switch (op.kind) {
    case "bytes":
      if (op.k === 0) return { value: "", consumed: 0 };
      if (left === 0) return { value: eof, consumed: 0 };
      return {
        value: text(b.subarray(pos, pos + Math.min(op.k, left))),
        consumed: Math.min(op.k, left),
      };
    case "peek":
      if (left === 0) return { value: eof, consumed: 0 };
      return { value: text(b.subarray(pos, pos + Math.min(op.k, left))), consumed: 0 };
    case "avail":
      return left === 0 ? { value: eof, consumed: 0 } : "partial";
    case "string": {
      if (left === 0) return { value: eof, consumed: 0 };
      // Byte reads may have cut a character: count bytes with the decoder Racket's fixtures check.
      let i = pos;
      for (let n = 0; n < op.k && i < b.length; n++) i += utf8Step((j) => b[j]!, i, b.length, true);
      return { value: decodeUtf8(b, pos, i), consumed: i - pos };
    }
    case "line": {
      if (left === 0) return { value: eof, consumed: 0 };
      const { end, sep } = refLine(b, pos, op.mode);
      return { value: text(b.subarray(pos, end)), consumed: end - pos + sep };
    }
    case "eof":
      return left === 0 ? { value: eof, consumed: 0 } : { value: "never", consumed: 0 };
  }
}

function evtFor(op: Op, inp: InputPort, scratch: Uint8Array[]): Evt<unknown> {
  const asText = (v: unknown) => (v === eof ? eof : decodeUtf8(v as Uint8Array));
  switch (op.kind) {
    case "bytes":
      return wrapEvt(readBytesEvt(op.k, inp), asText);
    case "peek":
      return wrapEvt(peekBytesEvt(op.k, 0, false, inp), asText);
    case "avail": {
      const buf = new Uint8Array(op.size);
      scratch.push(buf);
      return wrapEvt(readBytesAvailEvt(buf, inp), (n) =>
        n === eof ? eof : { avail: buf.slice(0, n as number) },
      );
    }
    case "string":
      return readStringEvt(op.k, inp);
    case "line":
      return op.asBytes
        ? wrapEvt(readBytesLineEvt(inp, op.mode), asText)
        : readLineEvt(inp, op.mode);
    case "eof":
      return eofEvt(inp);
  }
}

const LOST = Symbol("lost");

describe("reading a stream through racing read events", () => {
  const vt = useVirtualTime();

  it("reassembles exactly the bytes written", async () => {
    await fc.assert(
      fc.asyncProperty(
        textArb,
        fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 12 }),
        fc.array(fc.tuple(opArb, fc.constantFrom<Race>("alarm", "always", "poll", "twin"), opArb), {
          minLength: 1,
          maxLength: 16,
        }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 8 }),
        fc.boolean(),
        fc.integer({ min: 0, max: 1000 }),
        async (text, sizes, plan, writesPerStep, viaSource, seed) => {
          const bytes = new TextEncoder().encode(text);
          // The writes, cut at the generated sizes: anywhere, mid-character and mid-CRLF included.
          const chunks: Uint8Array[] = [];
          for (let at = 0, i = 0; at < bytes.length; i++) {
            const n = sizes[i % sizes.length]!;
            chunks.push(bytes.slice(at, at + n));
            at += n;
          }
          let inp: InputPort;
          let write: (c: Uint8Array) => Promise<void>;
          let finish: () => void;
          if (viaSource) {
            const source = new FakeSource();
            inp = makeInputPort("source", source, { custodian: false, highWaterMark: 4 });
            write = async (c) => source.feed.push(c);
            finish = () => source.feed.end();
          } else {
            const [i, out] = makePipe();
            inp = i;
            write = async (c) => void (await writeBytes(c, out));
            finish = () => closeOutputPort(out);
          }

          let written = 0;
          const writeSome = async (n: number) => {
            for (let j = 0; j < n && written < chunks.length; j++) await write(chunks[written++]!);
            if (written === chunks.length) finish();
          };

          const got: number[] = [];
          let pos = 0;
          let sawEof = false;
          await withGenerator(makePseudoRandomGenerator(seed), async () => {
            for (let step = 0; step < 4 * plan.length + 2 * chunks.length && !sawEof; step++) {
              const [op, race, twinOp] = plan[step % plan.length]!;
              const scratch: Uint8Array[] = [];
              const main = wrapEvt(evtFor(op, inp, scratch), (v) => ({ who: "main", v }));
              let p: Promise<unknown>;
              if (race === "poll") p = syncTimeout(0, main);
              else if (race === "always")
                p = sync(
                  main,
                  wrapEvt(alwaysEvt, () => LOST),
                );
              else {
                const alarm = wrapEvt(alarmEvt(currentInexactMilliseconds() + 1), () => LOST);
                const twin = wrapEvt(evtFor(twinOp, inp, scratch), (v) => ({ who: "twin", v }));
                p = race === "twin" ? sync(main, twin, alarm) : sync(main, alarm);
              }
              // Let bytes arrive while the sync may be waiting, then let virtual time run out.
              await writeSome(writesPerStep[step % writesPerStep.length]!);
              await turn();
              vt.vts.flush();
              const r = await p;
              if (r === false || r === LOST) continue; // nothing may have been consumed
              const { who, v } = r as { who: string; v: unknown };
              const exp = expected(who === "main" ? op : twinOp, bytes, pos);
              if (exp === "partial") {
                // readBytesAvailEvt: some prefix of what is left, at least one byte.
                const chunk = (v as { avail: Uint8Array }).avail;
                expect(chunk.length).toBeGreaterThan(0);
                expect([...chunk]).toEqual([...bytes.subarray(pos, pos + chunk.length)]);
                got.push(...chunk);
                pos += chunk.length;
                continue;
              }
              expect(v).toEqual(exp.value);
              if (v === eof) sawEof = true;
              got.push(...bytes.subarray(pos, pos + exp.consumed));
              pos += exp.consumed;
            }
          });
          // Whatever the plan left unread is still there, in order, followed by eof.
          await writeSome(chunks.length);
          const restOf = await sync(readBytesEvt(bytes.length + 1, inp));
          if (restOf !== eof) got.push(...(restOf as Uint8Array));
          else expect(pos).toBe(bytes.length);
          expect(await sync(readBytesEvt(1, inp))).toBe(eof);
          expect(got).toEqual([...bytes]);
        },
      ),
      { numRuns: 150 },
    );
  });
});
