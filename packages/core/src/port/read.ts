// Reading: Racket's read-… procedures and their events. The procedures sync on the same primitive
// events the …Evt constructors return, so both share one meaning of "ready" and "commit".
import type { Evt } from "../protocol/evt.js";
import { NOT_READY, RaiseResult } from "../protocol/evt.js";
import { atomically } from "../engine/atomic.js";
import { sync } from "../engine/sync.js";
import { check } from "../errors/contract.js";
import type { Eof } from "./eof.js";
import type { InputPort } from "./input-port.js";
import { LINE_MODES, type LineMode } from "./line-scan.js";
import { checkBytes, checkInputPort, checkNat, checkRange, rejecting } from "./port-errors.js";
import { checkProgress, type ProgressEvt } from "./progress-evt.js";
import {
  EofEvt,
  READ,
  ReadAvailEvt,
  ReadBytesEvt,
  ReadCharsEvt,
  ReadLineEvt,
} from "./read-evts.js";

const LINE_CONTRACT = "(or/c 'linefeed 'return 'return-linefeed 'any 'any-one)";

function checkMode(who: string, mode: unknown, pos: number): LineMode {
  if (mode === undefined) return "linefeed";
  check(LINE_MODES.includes(mode as LineMode), who, LINE_CONTRACT, mode, pos);
  return mode as LineMode;
}

// -- events ------------------------------------------------------------------------------------

/**
 * An event ready when `k` bytes can be read from `in`, or at end of file (Racket's
 * `read-bytes-evt`). Its result is a byte string of `k` bytes — fewer only when end of file comes
 * first — or {@link eof} if no byte comes before it; `k = 0` is ready at once with an empty string.
 *
 * The bytes are read **if and only if the event is chosen**, all at once: a losing event, or one
 * still waiting for its `k`th byte, consumes nothing. A ready read competes with other ready events
 * like any event (Racket 8.7's helper-thread implementation made it lose to them; we follow the
 * documentation). A closed port makes it ready, raising `ExnFail` when chosen.
 *
 * @throws {@link ExnFailContract} for bad arguments (at once).
 *
 * @example
 * ```ts
 * import { makePipe, readBytesEvt, writeString, alarmEvt, currentInexactMilliseconds, sync, wrapEvt } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("abc", out);
 * const r = await sync(
 *   readBytesEvt(4, inp),
 *   wrapEvt(alarmEvt(currentInexactMilliseconds() + 10), () => "timeout"),
 * ); // "timeout": only 3 bytes, and none were consumed
 * ```
 */
export function readBytesEvt(k: number, inp: InputPort): Evt<Uint8Array | Eof> {
  const who = "read-bytes-evt";
  checkNat(who, k, 1);
  checkInputPort(who, inp, 2);
  return new ReadBytesEvt<Uint8Array | Eof>(inp, who, READ, k, { kind: "bytes" });
}

/**
 * Like {@link readBytesEvt} for `bstr.length` bytes, placed into `bstr`; the result is the count or
 * {@link eof} (Racket's `read-bytes!-evt`). `bstr` is written only when the event is chosen (Racket
 * allows writes before). A ready `progressEvt` (from {@link portProgressEvt}) cancels the event:
 * it never becomes ready.
 *
 * @example
 * ```ts
 * import { makePipe, readBytesIntoEvt, writeString, sync } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("abcd", out);
 * const buf = new Uint8Array(2);
 * await sync(readBytesIntoEvt(buf, inp)); // 2; buf holds "ab"
 * ```
 */
export function readBytesIntoEvt(
  bstr: Uint8Array,
  inp: InputPort,
  progressEvt: ProgressArg = false,
): Evt<number | Eof> {
  const who = "read-bytes!-evt";
  checkBytes(who, bstr, 1);
  checkInputPort(who, inp, 2);
  const progress = checkProgress(who, progressEvt, inp, 3);
  return new ReadBytesEvt<number | Eof>(inp, who, { ...READ, progress }, bstr.length, {
    kind: "into",
    bstr,
    start: 0,
  });
}

/**
 * An event ready when at least one byte (or end of file) is there; when chosen it moves as many
 * bytes as are there, up to `bstr.length`, into `bstr`; its result is the count or {@link eof}
 * (Racket's `read-bytes-avail!-evt`). An empty `bstr` makes it ready at once with 0.
 *
 * @example
 * ```ts
 * import { makePipe, readBytesAvailEvt, writeString, sync } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("hi", out);
 * await sync(readBytesAvailEvt(new Uint8Array(10), inp)); // 2
 * ```
 */
export function readBytesAvailEvt(bstr: Uint8Array, inp: InputPort): Evt<number | Eof> {
  const who = "read-bytes-avail!-evt";
  checkBytes(who, bstr, 1);
  checkInputPort(who, inp, 2);
  return new ReadAvailEvt(inp, who, READ, bstr, 0, bstr.length);
}

/**
 * Like {@link readBytesEvt}, for `k` characters decoded from UTF-8 (Racket's `read-string-evt`):
 * ready when `k` characters can be decoded or at end of file; a character split across writes is
 * waited for. Invalid bytes decode as U+FFFD, one per byte, as in Racket. `k` counts characters
 * (code points): the resulting JS string may be longer where it holds surrogate pairs.
 *
 * @example
 * ```ts
 * import { makePipe, readStringEvt, writeString, sync } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("λx", out);
 * await sync(readStringEvt(2, inp)); // "λx"
 * ```
 */
export function readStringEvt(k: number, inp: InputPort): Evt<string | Eof> {
  const who = "read-string-evt";
  checkNat(who, k, 1);
  checkInputPort(who, inp, 2);
  return new ReadCharsEvt(inp, who, READ, k);
}

/**
 * An event ready when a whole line, or end of file, can be read (Racket's `read-line-evt`): never
 * while the line may still grow (in `"any"` and `"return-linefeed"` modes, a final return waits for
 * the next byte, which may be its linefeed). When chosen it reads the line and its separator; the
 * result is the line without the separator, decoded from UTF-8, or {@link eof}. `mode` is as for
 * {@link readLine}.
 *
 * @example
 * ```ts
 * import { makePipe, readLineEvt, writeString, syncTimeout } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("partial", out);
 * await syncTimeout(0, readLineEvt(inp)); // false: the line may grow
 * await writeString(" line\n", out);
 * await syncTimeout(0, readLineEvt(inp)); // "partial line"
 * ```
 */
export function readLineEvt(inp: InputPort, mode?: LineMode): Evt<string | Eof> {
  const who = "read-line-evt";
  checkInputPort(who, inp, 1);
  return new ReadLineEvt<string>(inp, who, checkMode(who, mode, 2), false);
}

/**
 * Like {@link readLineEvt}, with the line as bytes (Racket's `read-bytes-line-evt`).
 *
 * @example
 * ```ts
 * import { makePipe, readBytesLineEvt, writeString, sync } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("a\r\nb", out);
 * await sync(readBytesLineEvt(inp, "return-linefeed")); // Uint8Array [97]
 * ```
 */
export function readBytesLineEvt(inp: InputPort, mode?: LineMode): Evt<Uint8Array | Eof> {
  const who = "read-bytes-line-evt";
  checkInputPort(who, inp, 1);
  return new ReadLineEvt<Uint8Array>(inp, who, checkMode(who, mode, 2), true);
}

/**
 * Like {@link readBytesEvt}, but peeks: `k` bytes after the first `skip`, left in the port (Racket's
 * `peek-bytes-evt`). A ready `progressEvt` (see {@link portProgressEvt}) cancels the event: it
 * never becomes ready.
 *
 * @example
 * ```ts
 * import { makePipe, peekBytesEvt, readByte, writeString, sync } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("abc", out);
 * await sync(peekBytesEvt(2, 1, false, inp)); // "bc" as bytes
 * await readByte(inp); // 97: nothing was consumed
 * ```
 */
export function peekBytesEvt(
  k: number,
  skip: number,
  progressEvt: ProgressArg,
  inp: InputPort,
): Evt<Uint8Array | Eof> {
  const who = "peek-bytes-evt";
  checkNat(who, k, 1);
  checkNat(who, skip, 2);
  checkInputPort(who, inp, 4);
  const progress = checkProgress(who, progressEvt, inp, 3);
  return new ReadBytesEvt<Uint8Array | Eof>(
    inp,
    who,
    { skip, peek: true, progress, onCancel: NOT_READY },
    k,
    {
      kind: "bytes",
    },
  );
}

/**
 * Like {@link readBytesAvailEvt}, but peeks after `skip` bytes (Racket's `peek-bytes-avail!-evt`). A
 * ready `progressEvt` cancels the event: it never becomes ready.
 *
 * @example
 * ```ts
 * import { makePipe, peekBytesAvailEvt, writeString, sync } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("abc", out);
 * const buf = new Uint8Array(8);
 * await sync(peekBytesAvailEvt(buf, 0, false, inp)); // 3, and the port still holds "abc"
 * ```
 */
export function peekBytesAvailEvt(
  bstr: Uint8Array,
  skip: number,
  progressEvt: ProgressArg,
  inp: InputPort,
): Evt<number | Eof> {
  const who = "peek-bytes-avail!-evt";
  checkBytes(who, bstr, 1);
  checkNat(who, skip, 2);
  checkInputPort(who, inp, 4);
  const progress = checkProgress(who, progressEvt, inp, 3);
  return new ReadAvailEvt(
    inp,
    who,
    { skip, peek: true, progress, onCancel: NOT_READY },
    bstr,
    0,
    bstr.length,
  );
}

/**
 * An event ready when `in` is at end of file — not merely empty — with result {@link eof} (Racket's
 * `eof-evt`). End of file is permanent here (it comes from the source ending), so choosing the
 * event consumes nothing.
 *
 * @example
 * ```ts
 * import { makePipe, eofEvt, closeOutputPort, sync, eof } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * setTimeout(() => closeOutputPort(out), 10);
 * (await sync(eofEvt(inp))) === eof; // true
 * ```
 */
export function eofEvt(inp: InputPort): Evt<Eof> {
  checkInputPort("eof-evt", inp, 1);
  return new EofEvt(inp);
}

// -- procedures that wait ------------------------------------------------------------------------

/**
 * Reads one byte: its value, or {@link eof} (Racket's `read-byte`). Waits until there is one.
 *
 * @example
 * ```ts
 * import { makePipe, readByte, writeByte } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeByte(65, out);
 * await readByte(inp); // 65
 * ```
 */
export function readByte(inp: InputPort): Promise<number | Eof> {
  return rejecting(() => {
    checkInputPort("read-byte", inp, 1);
    return sync(new ReadBytesEvt<number | Eof>(inp, "read-byte", READ, 1, { kind: "byte" }));
  });
}

/**
 * Reads `amt` bytes (Racket's `read-bytes`): waits until `amt` bytes are there or end of file comes;
 * resolves with them (fewer only at end of file) or {@link eof}. The bytes are taken at once when
 * complete, so an error or a break while waiting loses nothing; an error from the source after some
 * bytes arrived rejects and leaves those bytes in the port (Racket drops them).
 *
 * @example
 * ```ts
 * import { makePipe, readBytes, writeString, closeOutputPort } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("abcde", out);
 * closeOutputPort(out);
 * await readBytes(3, inp); // "abc" as bytes
 * await readBytes(3, inp); // "de": end of file came first
 * ```
 */
export function readBytes(amt: number, inp: InputPort): Promise<Uint8Array | Eof> {
  return rejecting(() => {
    checkNat("read-bytes", amt, 1);
    checkInputPort("read-bytes", inp, 2);
    return sync(
      new ReadBytesEvt<Uint8Array | Eof>(inp, "read-bytes", READ, amt, { kind: "bytes" }),
    );
  });
}

/**
 * Reads `end - start` bytes into `bstr[start, end)` like {@link readBytes} (Racket's `read-bytes!`);
 * resolves with the count (less only at end of file) or {@link eof}. An empty range gives 0 at once.
 *
 * @example
 * ```ts
 * import { makePipe, readBytesInto, writeString } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("abcd", out);
 * const buf = new Uint8Array(6);
 * await readBytesInto(buf, inp, 2, 6); // 4; buf is [0, 0, 97, 98, 99, 100]
 * ```
 */
export function readBytesInto(
  bstr: Uint8Array,
  inp: InputPort,
  start?: number,
  end?: number,
): Promise<number | Eof> {
  return rejecting(() => {
    const who = "read-bytes!";
    checkBytes(who, bstr, 1);
    checkInputPort(who, inp, 2);
    const [s, e] = checkRange(who, bstr, start, end, 3);
    return sync(
      new ReadBytesEvt<number | Eof>(inp, who, READ, e - s, { kind: "into", bstr, start: s }),
    );
  });
}

/**
 * Waits until at least one byte (or end of file) is there, then moves as many as are there into
 * `bstr[start, end)` (Racket's `read-bytes-avail!`); resolves with the count or {@link eof}. Bytes
 * that arrived before a source error are delivered first; the error rejects the next read. An
 * empty range gives 0 at once.
 *
 * @example
 * ```ts
 * import { makePipe, readBytesAvail, writeString } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("hey", out);
 * await readBytesAvail(new Uint8Array(100), inp); // 3
 * ```
 */
export function readBytesAvail(
  bstr: Uint8Array,
  inp: InputPort,
  start?: number,
  end?: number,
): Promise<number | Eof> {
  return rejecting(() => {
    const who = "read-bytes-avail!";
    checkBytes(who, bstr, 1);
    checkInputPort(who, inp, 2);
    const [s, e] = checkRange(who, bstr, start, end, 3);
    return sync(new ReadAvailEvt(inp, who, READ, bstr, s, e));
  });
}

/**
 * Like {@link readBytesAvail}, but never waits: returns 0 when nothing is there and the port is not
 * at end of file (Racket's `read-bytes-avail!*`).
 *
 * @throws {@link ExnFailContract} for bad arguments; {@link ExnFail} if the port is closed; the
 * source's error once the bytes before it are read.
 *
 * @example
 * ```ts
 * import { makePipe, readBytesAvailStar } from "@rendezvous/core";
 * const [inp] = makePipe();
 * readBytesAvailStar(new Uint8Array(8), inp); // 0
 * ```
 */
export function readBytesAvailStar(
  bstr: Uint8Array,
  inp: InputPort,
  start?: number,
  end?: number,
): number | Eof {
  const who = "read-bytes-avail!*";
  checkBytes(who, bstr, 1);
  checkInputPort(who, inp, 2);
  const [s, e] = checkRange(who, bstr, start, end, 3);
  const evt = new ReadAvailEvt(inp, who, READ, bstr, s, e);
  const r = atomically(() => evt.attempt());
  if (r === NOT_READY) return 0;
  if (r instanceof RaiseResult) throw r.error;
  return r;
}

/**
 * Reads a line (Racket's `read-line`): waits for a separator or end of file and resolves with the
 * line without its separator, decoded from UTF-8 (invalid bytes → U+FFFD), or {@link eof}. Modes:
 * `"linefeed"` (default) `\n`; `"return"` `\r`; `"return-linefeed"` `\r\n` only; `"any"` `\r\n`,
 * `\r` or `\n`; `"any-one"` `\r` or `\n`, each on its own.
 *
 * @example
 * ```ts
 * import { makePipe, readLine, writeString } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("one\r\ntwo\n", out);
 * await readLine(inp, "any"); // "one"
 * await readLine(inp); // "two"
 * ```
 */
export function readLine(inp: InputPort, mode?: LineMode): Promise<string | Eof> {
  return rejecting(() => {
    const who = "read-line";
    checkInputPort(who, inp, 1);
    return sync(new ReadLineEvt<string>(inp, who, checkMode(who, mode, 2), false));
  });
}

/**
 * Like {@link readLine}, with the line as bytes (Racket's `read-bytes-line`).
 *
 * @example
 * ```ts
 * import { makePipe, readBytesLine, writeString } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("a\rb", out);
 * await readBytesLine(inp, "return"); // Uint8Array [97]
 * ```
 */
export function readBytesLine(inp: InputPort, mode?: LineMode): Promise<Uint8Array | Eof> {
  return rejecting(() => {
    const who = "read-bytes-line";
    checkInputPort(who, inp, 1);
    return sync(new ReadLineEvt<Uint8Array>(inp, who, checkMode(who, mode, 2), true));
  });
}

/**
 * Reads `amt` characters, decoded from UTF-8 (Racket's `read-string`): fewer only at end of file;
 * {@link eof} if none. Invalid bytes decode to U+FFFD, one per byte, as in Racket. `amt` counts code
 * points.
 *
 * @example
 * ```ts
 * import { makePipe, readString, writeString } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("λόγος", out);
 * await readString(2, inp); // "λό"
 * ```
 */
export function readString(amt: number, inp: InputPort): Promise<string | Eof> {
  return rejecting(() => {
    checkNat("read-string", amt, 1);
    checkInputPort("read-string", inp, 2);
    return sync(new ReadCharsEvt(inp, "read-string", READ, amt));
  });
}

/**
 * Reads one character, decoded from UTF-8 (Racket's `read-char`): a string holding one code point
 * (two UTF-16 units outside the BMP), or {@link eof}. Waits for the rest of a split character.
 *
 * @example
 * ```ts
 * import { makePipe, readChar, writeBytes } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeBytes(new Uint8Array([0xce]), out);
 * const c = readChar(inp); // waits: half of "λ"
 * await writeBytes(new Uint8Array([0xbb]), out);
 * await c; // "λ"
 * ```
 */
export function readChar(inp: InputPort): Promise<string | Eof> {
  return rejecting(() => {
    checkInputPort("read-char", inp, 1);
    return sync(new ReadCharsEvt(inp, "read-char", READ, 1));
  });
}

/**
 * Peeks at the byte `skip` bytes in (Racket's `peek-byte`): its value or {@link eof}; waits until
 * it is there. Nothing is consumed.
 *
 * @example
 * ```ts
 * import { makePipe, peekByte, writeString } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("ab", out);
 * await peekByte(inp, 1); // 98
 * ```
 */
export function peekByte(inp: InputPort, skip = 0): Promise<number | Eof> {
  return rejecting(() => {
    const who = "peek-byte";
    checkInputPort(who, inp, 1);
    checkNat(who, skip, 2);
    return sync(
      new ReadBytesEvt<number | Eof>(
        inp,
        who,
        { skip, peek: true, progress: null, onCancel: NOT_READY },
        1,
        {
          kind: "byte",
        },
      ),
    );
  });
}

/**
 * Peeks at `amt` bytes after the first `skip` (Racket's `peek-bytes`), waiting for them like
 * {@link readBytes}; nothing is consumed.
 *
 * @example
 * ```ts
 * import { makePipe, peekBytes, writeString } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("hello", out);
 * await peekBytes(3, 1, inp); // "ell" as bytes
 * ```
 */
export function peekBytes(amt: number, skip: number, inp: InputPort): Promise<Uint8Array | Eof> {
  return rejecting(() => {
    const who = "peek-bytes";
    checkNat(who, amt, 1);
    checkNat(who, skip, 2);
    checkInputPort(who, inp, 3);
    return sync(
      new ReadBytesEvt<Uint8Array | Eof>(
        inp,
        who,
        { skip, peek: true, progress: null, onCancel: NOT_READY },
        amt,
        {
          kind: "bytes",
        },
      ),
    );
  });
}

/**
 * Peeks like {@link readBytesAvail}, after `skip` bytes (Racket's `peek-bytes-avail!`): waits for at
 * least one byte past the skipped ones, or end of file, or `progressEvt` (from
 * {@link portProgressEvt}) becoming ready — then resolves with 0 and peeks nothing. Racket checks
 * the progress event before the port being closed; so do we.
 *
 * @example
 * ```ts
 * import { makePipe, peekBytesAvail, writeString } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("abc", out);
 * const buf = new Uint8Array(2);
 * await peekBytesAvail(buf, 1, false, inp); // 2: "bc"
 * ```
 */
export function peekBytesAvail(
  bstr: Uint8Array,
  skip: number,
  progressEvt: ProgressArg,
  inp: InputPort,
  start?: number,
  end?: number,
): Promise<number | Eof> {
  return rejecting(() => {
    const who = "peek-bytes-avail!";
    checkBytes(who, bstr, 1);
    checkNat(who, skip, 2);
    checkInputPort(who, inp, 4);
    const progress = checkProgress(who, progressEvt, inp, 3);
    const [s, e] = checkRange(who, bstr, start, end, 5);
    return sync(
      new ReadAvailEvt(inp, who, { skip, peek: true, progress, onCancel: 0 }, bstr, s, e),
    );
  });
}

/** A progress argument: Racket's `(or/c progress-evt? #f)`. */
export type ProgressArg = ProgressEvt | false;
