// Racket's progress events: ready once something has been read from the port (or it is closed).
// Peeks take one to be cancelled by a concurrent read instead of peeking at bytes that are gone.
import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { InputPort } from "./input-port.js";
import { checkInputPort } from "./port-errors.js";
import { check } from "../errors/contract.js";
import { ExnFailContract } from "../errors/exn.js";

/**
 * The class of {@link portProgressEvt}'s events.
 *
 * @example
 * ```ts
 * import { makePipe, portProgressEvt, ProgressEvt } from "@rendezvous/core";
 * const [inp] = makePipe();
 * portProgressEvt(inp) instanceof ProgressEvt; // true
 * ```
 */
export class ProgressEvt extends PrimitiveEvt<ProgressEvt> {
  /** @internal */
  constructor(
    /** The port whose reads this event watches. */
    readonly port: InputPort,
    private readonly mark: number,
  ) {
    super();
  }

  /** `true` once bytes were consumed from the port after this event was made, or it was closed. @internal */
  isReady(): boolean {
    return this.port.closed || this.port.progress !== this.mark;
  }

  /** @internal */
  attempt(): ProgressEvt | NotReady {
    return this.isReady() ? this : NOT_READY;
  }
  poll(_c: Candidate): ProgressEvt | NotReady {
    this.port.need = 0;
    return this.attempt();
  }
  block(c: Candidate): void {
    this.port.addWaiter(c);
  }
  abandon(c: Candidate): void {
    this.port.removeWaiter(c);
  }
}

/**
 * An event that becomes ready (result: itself) once bytes have been read from `in` after this call,
 * or `in` is closed (Racket's `port-progress-evt`). Give it to {@link peekBytesEvt},
 * {@link peekBytesAvailEvt}, {@link peekBytesAvail} or {@link readBytesIntoEvt}: once it is ready,
 * the peek is cancelled, so a peek never reports bytes that another reader has taken meanwhile.
 *
 * @example
 * ```ts
 * import { makePipe, writeString, portProgressEvt, peekBytesAvail, readByte, syncTimeout } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("abc", out);
 * const progress = portProgressEvt(inp);
 * await syncTimeout(0, progress); // false: nothing read yet
 * await readByte(inp);
 * await peekBytesAvail(new Uint8Array(3), 0, progress, inp); // 0: cancelled by the read
 * ```
 */
export function portProgressEvt(inp: InputPort): ProgressEvt {
  checkInputPort("port-progress-evt", inp, 1);
  return new ProgressEvt(inp, inp.progress);
}

/**
 * `true` if `v` is a progress event (Racket's `progress-evt?`); with `inp`, one made for `inp`.
 *
 * @example
 * ```ts
 * import { makePipe, portProgressEvt, isProgressEvt } from "@rendezvous/core";
 * const [inp] = makePipe();
 * isProgressEvt(portProgressEvt(inp), inp); // true
 * ```
 */
export function isProgressEvt(v: unknown, inp?: InputPort): v is ProgressEvt {
  return v instanceof ProgressEvt && (inp === undefined || v.port === inp);
}

/** Checks an optional progress argument: `false`/`undefined`, or a progress event of `inp`. @internal */
export function checkProgress(
  who: string,
  v: unknown,
  inp: InputPort,
  pos: number,
): ProgressEvt | null {
  if (v === false || v === undefined) return null;
  check(v instanceof ProgressEvt, who, "(or/c #f progress-evt?)", v, pos);
  if ((v as ProgressEvt).port !== inp)
    throw new ExnFailContract(
      `${who}: evt is not a progress evt for the given port\n  evt: #<progress-evt>\n  port: ${inp.toString()}`,
    );
  return v as ProgressEvt;
}
