// Argument checks shared by the bindings, with racket/udp's contracts and messages. They run at
// call time (or event-creation time), before any I/O.
import { ExnFailContract } from "@rendezvous/core";
import { racketValueString } from "@rendezvous/core/protocol";
import { UdpSocket } from "./socket.js";
import { udpContract } from "./errors.js";

/** Throws unless `s` is a UDP socket (`udp?`). @internal */
export function checkSocket(who: string, s: unknown): asserts s is UdpSocket {
  if (!(s instanceof UdpSocket)) throw udpContract(who, "udp?", s);
}

function isIndex(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/**
 * Checks a byte string and its `[start, end)` range as Racket's `check-bstr` does, and returns the
 * range with its defaults (`0`, the length) filled in.
 * @internal
 */
export function checkRange(
  who: string,
  bytes: unknown,
  start: unknown,
  end: unknown,
): [Uint8Array, number, number] {
  if (!(bytes instanceof Uint8Array)) throw udpContract(who, "bytes?", bytes);
  const s = start === undefined ? 0 : start;
  const e = end === undefined ? bytes.length : end;
  if (!isIndex(s)) throw udpContract(who, "exact-nonnegative-integer?", s);
  if (!isIndex(e)) throw udpContract(who, "exact-nonnegative-integer?", e);
  const shown = racketValueString(bytes);
  if (s > bytes.length)
    throw new ExnFailContract(
      `${who}: starting index is out of range\n  starting index: ${s}\n  valid range: [0, ${bytes.length}]\n  byte string: ${shown}`,
    );
  if (e < s || e > bytes.length)
    throw new ExnFailContract(
      `${who}: ending index is out of range\n  ending index: ${e}\n  valid range: [${s}, ${bytes.length}]\n  byte string: ${shown}`,
    );
  return [bytes, s, e];
}

/** `(or/c string? #f)`: returns the string, or `false` for `false`/`undefined`. @internal */
export function checkOptionalHost(who: string, host: unknown): string | false {
  if (host === false || host === undefined) return false;
  if (typeof host !== "string") throw udpContract(who, "(or/c string? #f)", host);
  return host;
}

/** `string?` @internal */
export function checkHost(who: string, host: unknown): string {
  if (typeof host !== "string") throw udpContract(who, "string?", host);
  return host;
}

function isPort(v: unknown, min: number): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= min && v <= 65535;
}

/** `port-number?` (1 to 65535). @internal */
export function checkPort(who: string, port: unknown): number {
  if (!isPort(port, 1)) throw udpContract(who, "port-number?", port);
  return port;
}

/** `listen-port-number?` (0 to 65535). @internal */
export function checkListenPort(who: string, port: unknown): number {
  if (!isPort(port, 0)) throw udpContract(who, "listen-port-number?", port);
  return port;
}

/** `(or/c port-number? #f)`: returns the port, or `false` for `false`/`undefined`. @internal */
export function checkOptionalPort(who: string, port: unknown): number | false {
  if (port === false || port === undefined) return false;
  if (!isPort(port, 1)) throw udpContract(who, "(or/c port-number? #f)", port);
  return port;
}

/** `byte?` (0 to 255). @internal */
export function checkByte(who: string, v: unknown): number {
  if (!(typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 255))
    throw udpContract(who, "byte?", v);
  return v;
}

/** An `AbortSignal`, the break of an `…EnableBreak` binding. @internal */
export function checkSignal(who: string, signal: unknown): AbortSignal {
  if (!(signal instanceof AbortSignal)) throw udpContract(who, "AbortSignal", signal);
  return signal;
}

/** `false`/`undefined` are Racket's `#f`; anything else is true. @internal */
export function truthy(v: unknown): boolean {
  return v !== false && v !== undefined;
}
