import { ExnFailContract } from "./exn.js";

/**
 * Formats a value the way Racket prints it in error messages (`#f`, `#t`, `"str"`,
 * `#<procedure:f>`), so our messages read like Racket's.
 *
 * @example
 * ```ts
 * import { racketValueString } from "@rendezvous/core/protocol";
 * racketValueString(false); // "#f"
 * ```
 */
export function racketValueString(v: unknown): string {
  if (v === false) return "#f";
  if (v === true) return "#t";
  if (v === undefined) return "#<void>";
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number" || typeof v === "bigint") return String(v);
  if (typeof v === "symbol") return `'${v.description ?? ""}`;
  if (typeof v === "function") return v.name ? `#<procedure:${v.name}>` : "#<procedure>";
  if (v instanceof Uint8Array) {
    const s = Buffer.from(v.buffer, v.byteOffset, Math.min(v.byteLength, 40)).toString("latin1");
    return `#"${s}${v.byteLength > 40 ? "..." : ""}"`;
  }
  if (Array.isArray(v)) return `'(${v.slice(0, 8).map(racketValueString).join(" ")})`;
  const name = (v as object).constructor?.name;
  return name && name !== "Object" ? `#<${racketName(name)}>` : "#<object>";
}

function racketName(className: string): string {
  return className.replace(/([a-z0-9])([A-Z])/g, "$1-$2").toLowerCase();
}

const ORDINALS = ["1st", "2nd", "3rd"];
function ordinal(n: number): string {
  return ORDINALS[n - 1] ?? `${n}th`;
}

/**
 * Builds Racket's standard contract-violation error:
 * `who: contract violation\n  expected: …\n  given: …`.
 * @internal
 *
 * @example
 * ```ts
 * import { contractViolation } from "@rendezvous/core/protocol";
 * contractViolation("my-fn", "string?", 5, 1).message; // "my-fn: contract violation\n  expected: string?\n  given: 5\n  argument position: 1st"
 * ```
 */
export function contractViolation(
  who: string,
  expected: string,
  given: unknown,
  position?: number,
): ExnFailContract {
  let msg = `${who}: contract violation\n  expected: ${expected}\n  given: ${racketValueString(given)}`;
  if (position !== undefined) msg += `\n  argument position: ${ordinal(position)}`;
  return new ExnFailContract(msg);
}

/**
 * Throws a contract violation unless `ok`. @internal
 *
 * @example
 * ```ts
 * import { check } from "@rendezvous/core/protocol";
 * check(typeof 5 === "number", "my-fn", "number?", 5, 1); // passes
 * ```
 */
export function check(
  ok: boolean,
  who: string,
  expected: string,
  given: unknown,
  position?: number,
): void {
  if (!ok) throw contractViolation(who, expected, given, position);
}

/**
 * Throws unless `f` is a function. @internal
 *
 * @example
 * ```ts
 * import { checkProcedure } from "@rendezvous/core/protocol";
 * checkProcedure("my-fn", () => 1, 1); // passes
 * ```
 */
export function checkProcedure(who: string, f: unknown, position?: number): void {
  if (typeof f !== "function") throw contractViolation(who, "procedure?", f, position);
}

/** Exact non-negative integer (Racket's `exact-nonnegative-integer?`). @internal */
export function isExactNonnegativeInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** Exact positive integer (Racket's `exact-positive-integer?`). @internal */
export function isExactPositiveInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v > 0;
}
