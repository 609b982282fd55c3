// Argument checks and the errors every port binding shares, worded as Racket words them.
import { ExnFailContract } from "../errors/exn.js";
import { check, isExactNonnegativeInteger, racketValueString } from "../errors/contract.js";
import { InputPort } from "./input-port.js";
import { OutputPort } from "./output-port.js";

/** @internal */
export function checkInputPort(who: string, p: unknown, pos: number): asserts p is InputPort {
  check(p instanceof InputPort, who, "input-port?", p, pos);
}

/** @internal */
export function checkOutputPort(who: string, p: unknown, pos: number): asserts p is OutputPort {
  check(p instanceof OutputPort, who, "output-port?", p, pos);
}

/** @internal */
export function checkBytes(who: string, b: unknown, pos: number): asserts b is Uint8Array {
  check(b instanceof Uint8Array, who, "bytes?", b, pos);
}

/** @internal */
export function checkNat(who: string, n: unknown, pos: number): asserts n is number {
  check(isExactNonnegativeInteger(n), who, "exact-nonnegative-integer?", n, pos);
}

/**
 * Checks optional `start`/`end` indices into a byte string or string of length `len` (Racket's
 * messages) and returns them with their defaults filled in. @internal
 */
export function checkRange(
  who: string,
  seq: Uint8Array | string,
  start: unknown,
  end: unknown,
  startPos: number,
): [number, number] {
  const len = seq.length;
  const s = start === undefined || start === false ? 0 : start;
  const e = end === undefined || end === false ? len : end;
  checkNat(who, s, startPos);
  checkNat(who, e, startPos + 1);
  if (s <= len && e >= s && e <= len) return [s, e];
  // Only a failing check builds its message (this runs on every read and write).
  const what = typeof seq === "string" ? "string" : "byte string";
  const tail = `\n  valid range: [0, ${len}]\n  ${what}: ${racketValueString(seq)}`;
  if (s > len)
    throw new ExnFailContract(
      `${who}: starting index is out of range\n  starting index: ${s}${tail}`,
    );
  if (e < s)
    throw new ExnFailContract(
      `${who}: ending index is smaller than starting index\n  ending index: ${e}\n  starting index: ${s}${tail}`,
    );
  throw new ExnFailContract(`${who}: ending index is out of range\n  ending index: ${e}${tail}`);
}

/** Runs `f`, turning a thrown error into a rejected promise (waiting bindings never throw). @internal */
export function rejecting<T>(f: () => Promise<T>): Promise<T> {
  try {
    return f();
  } catch (err) {
    return Promise.reject(err);
  }
}
