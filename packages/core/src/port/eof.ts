/**
 * The class of the one {@link eof} value.
 *
 * @example
 * ```ts
 * import { eof, EofObject } from "@rendezvous/core";
 * eof instanceof EofObject; // true
 * ```
 */
export class EofObject {
  /** @internal */
  constructor() {}
  toString(): string {
    return "#<eof>";
  }
}

/**
 * The end-of-file value (Racket's `eof`): what reads return once an input port has no more bytes
 * and its source has ended. There is exactly one; compare with `===` or {@link isEofObject}.
 *
 * @example
 * ```ts
 * import { eof, makePipe, readByte, closeOutputPort } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * closeOutputPort(out);
 * (await readByte(inp)) === eof; // true
 * ```
 */
export const eof: EofObject = Object.freeze(new EofObject());

/** The type of {@link eof}. */
export type Eof = typeof eof;

/**
 * `true` if `v` is {@link eof} (Racket's `eof-object?`).
 *
 * @example
 * ```ts
 * import { isEofObject, eof } from "@rendezvous/core";
 * isEofObject(eof); // true
 * isEofObject(0); // false
 * ```
 */
export function isEofObject(v: unknown): v is Eof {
  return v === eof;
}
