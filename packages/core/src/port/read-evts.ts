// The primitive events behind every read and peek. Each `attempt` tests readiness and, when ready,
// takes its bytes in the same synchronous step: a poll that succeeds is the commit, so a read event
// consumes iff it is chosen, and only a complete result (Racket's port events, without 8.7's helper
// threads). The waiting bindings (`readBytes`, `readLine`, …) sync on these same events.
import { NOT_READY, PrimitiveEvt, RaiseResult, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { eof, type Eof } from "./eof.js";
import type { InputPort, PortWaiter } from "./input-port.js";
import { scanLine, scanSepLength, type LineMode } from "./line-scan.js";
import { decodeUtf8, utf8Step } from "./utf8.js";
import type { ProgressEvt } from "./progress-evt.js";

/** Where a read looks: `skip` bytes in; `peek` leaves the bytes; a ready `progress` cancels it. */
export interface ReadPlace {
  readonly skip: number;
  readonly peek: boolean;
  readonly progress: ProgressEvt | null;
  /** Result when `progress` cancels the read: `peekBytesAvail` returns 0; events never become ready. */
  readonly onCancel: number | NotReady;
}

/** @internal */
export const READ: ReadPlace = { skip: 0, peek: false, progress: null, onCancel: NOT_READY };

/** The common part of every input-port event: registration with the port, cancellation, closed. @internal */
export abstract class InputEvt<T> extends PrimitiveEvt<T> implements PortWaiter {
  constructor(
    /** @internal */ readonly port: InputPort,
    /** @internal the Racket name errors are reported under */ readonly who: string,
    /** @internal */ readonly place: ReadPlace,
  ) {
    super();
  }

  /** Tests and commits; returns the result, a {@link RaiseResult}, or {@link NOT_READY}. @internal */
  abstract attempt(): T | RaiseResult | NotReady;

  /** Racket checks a progress event even before checking whether the port is open. @internal */
  protected cancelled(): boolean {
    return this.place.progress !== null && this.place.progress.isReady();
  }

  poll(_c: Candidate): T | NotReady {
    this.port.need = 0;
    return this.attempt() as T | NotReady;
  }
  block(c: Candidate): void {
    this.port.addWaiter(c);
  }
  abandon(c: Candidate): void {
    this.port.removeWaiter(c);
  }
}

/** What a fixed-size read produces: a fresh byte string, a count written into the caller's, or one byte. */
export type BytesResult =
  | { readonly kind: "bytes" }
  | { readonly kind: "into"; readonly bstr: Uint8Array; readonly start: number }
  | { readonly kind: "byte" };

/**
 * `k` bytes, fewer only at eof; eof if none. Behind `readBytesEvt`, `readBytesIntoEvt`,
 * `peekBytesEvt`, `readBytes`, `readBytesInto`, `readByte`, `peekBytes`, `peekByte`.
 * @internal
 */
export class ReadBytesEvt<T = Uint8Array | number | Eof> extends InputEvt<T> {
  constructor(
    port: InputPort,
    who: string,
    place: ReadPlace,
    private readonly k: number,
    private readonly out: BytesResult,
  ) {
    super(port, who, place);
  }

  attempt(): T | RaiseResult | NotReady {
    if (this.cancelled()) return this.place.onCancel as T | NotReady;
    const p = this.port;
    const { k } = this;
    if (k === 0) return this.result(0);
    if (p.closed) return new RaiseResult(p.closedError(this.who));
    const { skip } = this.place;
    const have = p.q.length - skip;
    let n: number;
    if (have >= k) n = k;
    else if (p.failure) return new RaiseResult(p.failure.error);
    else if (p.ended) {
      if (have <= 0) return eof as T;
      n = have;
    } else {
      p.need = skip + k;
      return NOT_READY;
    }
    const r = this.result(n);
    if (!this.place.peek) p.consume(n);
    return r;
  }

  private result(n: number): T {
    const { q } = this.port;
    const { skip } = this.place;
    switch (this.out.kind) {
      case "bytes":
        return q.copy(skip, n) as T;
      case "into":
        q.copyTo(this.out.bstr, this.out.start, skip, n);
        return n as T;
      case "byte":
        return q.byteAt(skip) as T;
    }
  }
}

/**
 * At least one byte, as many as are there (up to the room in `bstr[start, end)`); eof at eof.
 * Behind `readBytesAvailEvt`, `peekBytesAvailEvt`, `readBytesAvail`, `peekBytesAvail`,
 * `readBytesAvailStar`.
 * @internal
 */
export class ReadAvailEvt extends InputEvt<number | Eof> {
  constructor(
    port: InputPort,
    who: string,
    place: ReadPlace,
    private readonly bstr: Uint8Array,
    private readonly start: number,
    private readonly end: number,
  ) {
    super(port, who, place);
  }

  attempt(): number | Eof | RaiseResult | NotReady {
    if (this.cancelled()) return this.place.onCancel;
    const p = this.port;
    const room = this.end - this.start;
    if (room === 0) return 0;
    if (p.closed) return new RaiseResult(p.closedError(this.who));
    const { skip } = this.place;
    const have = p.q.length - skip;
    if (have > 0) {
      const n = Math.min(room, have);
      p.q.copyTo(this.bstr, this.start, skip, n);
      if (!this.place.peek) p.consume(n);
      return n;
    }
    if (p.failure) return new RaiseResult(p.failure.error);
    if (p.ended) return eof;
    p.need = skip + 1;
    return NOT_READY;
  }
}

/**
 * `k` characters decoded from UTF-8 as Racket decodes them, fewer only at eof; eof if none.
 * Behind `readStringEvt`, `readString`, `readChar`.
 * @internal
 */
export class ReadCharsEvt extends InputEvt<string | Eof> {
  constructor(
    port: InputPort,
    who: string,
    place: ReadPlace,
    private readonly k: number,
  ) {
    super(port, who, place);
  }

  attempt(): string | Eof | RaiseResult | NotReady {
    if (this.cancelled()) return this.place.onCancel as NotReady;
    const p = this.port;
    const { k } = this;
    if (k === 0) return "";
    if (p.closed) return new RaiseResult(p.closedError(this.who));
    const { skip } = this.place;
    const have = p.q.length - skip;
    const atEnd = p.ended || p.failure !== null;
    if (have <= 0) {
      if (p.failure) return new RaiseResult(p.failure.error);
      if (p.ended) return eof;
      p.need = skip + 1;
      return NOT_READY;
    }
    // k characters take at most 4k bytes: look no further.
    const len = Math.min(have, 4 * k);
    const bytes = p.q.copy(skip, len);
    const get = (i: number) => bytes[i]!;
    const end = atEnd && len === have;
    let i = 0;
    let count = 0;
    while (count < k && i < len) {
      const n = utf8Step(get, i, len, end);
      if (n === 0) break;
      i += n;
      count++;
    }
    if (count < k) {
      if (!atEnd) {
        p.need = skip + have + 1;
        return NOT_READY;
      }
      // A short result is for a clean end of file only; after an error the bytes stay unread.
      if (p.failure) return new RaiseResult(p.failure.error);
    }
    const s = decodeUtf8(bytes, 0, i);
    if (!this.place.peek) p.consume(i);
    return s;
  }
}

/**
 * A line without its separator, complete only: not ready while the line may still grow.
 * Behind `readLineEvt`, `readBytesLineEvt`, `readLine`, `readBytesLine`.
 * @internal
 */
export class ReadLineEvt<T extends string | Uint8Array> extends InputEvt<T | Eof> {
  constructor(
    port: InputPort,
    who: string,
    private readonly mode: LineMode,
    private readonly asBytes: boolean,
  ) {
    super(port, who, { skip: 0, peek: false, progress: null, onCancel: NOT_READY });
  }

  attempt(): T | Eof | RaiseResult | NotReady {
    const p = this.port;
    if (p.closed) return new RaiseResult(p.closedError(this.who));
    const n = scanLine(p.q, this.mode, p.ended || p.failure !== null);
    if (n < 0) {
      p.need = p.q.length + 1;
      return NOT_READY;
    }
    const sep = scanSepLength;
    if (sep === 0) {
      if (p.failure) return new RaiseResult(p.failure.error);
      if (n === 0) return eof;
    }
    const bytes = p.q.copy(0, n);
    p.consume(n + sep);
    return (this.asBytes ? bytes : decodeUtf8(bytes)) as T;
  }
}

/** Ready only at end of file (not merely when nothing is there); result {@link eof}. @internal */
export class EofEvt extends InputEvt<Eof> {
  constructor(port: InputPort) {
    super(port, "eof-evt", READ);
  }

  attempt(): Eof | RaiseResult | NotReady {
    const p = this.port;
    if (p.closed) return new RaiseResult(p.closedError(this.who));
    if (p.q.length === 0) {
      if (p.ended) return eof;
      if (p.failure) return new RaiseResult(p.failure.error);
    }
    return NOT_READY;
  }
}
