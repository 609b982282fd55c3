// Racket's racket/udp errors: socket-state failures ("who: udp socket is closed\n  socket: #<udp>"),
// and exn:fail:network:errno for refusals by the kernel or the resolver, laid out as Racket lays them
// out ("who: what\n  field: value\n  system error: Text; errno=N" or "…; gai_err=N").
import { getSystemErrorMap } from "node:util";
import { constants } from "node:os";
import { ExnFailContract, ExnFailNetwork, ExnFailNetworkErrno } from "@rendezvous/core";
import type { ErrnoKind } from "@rendezvous/core";
import { racketValueString } from "@rendezvous/core/protocol";

/** A system or resolver error reduced to what Racket reports: the errno pair and its text. @internal */
export interface SystemError {
  readonly errno: [number, ErrnoKind];
  readonly text: string;
}

// libuv reports getaddrinfo failures in its own EAI range; Racket reports glibc's values and texts.
const GAI: ReadonlyMap<number, SystemError> = new Map(
  (
    [
      [-3000, -9, "Address family for hostname not supported"],
      [-3001, -3, "Temporary failure in name resolution"],
      [-3002, -1, "Bad value for ai_flags"],
      [-3003, -101, "Request canceled"],
      [-3004, -4, "Non-recoverable failure in name resolution"],
      [-3005, -6, "ai_family not supported"],
      [-3006, -10, "Memory allocation failure"],
      [-3007, -5, "No address associated with hostname"],
      [-3008, -2, "Name or service not known"],
      [-3009, -12, "Argument buffer overflow"],
      [-3010, -8, "Servname not supported for ai_socktype"],
      [-3011, -7, "ai_socktype not supported"],
    ] as const
  ).map(([uv, code, text]) => [uv, { errno: [code, "gai"], text }]),
);

let uvErrors: Map<number, [string, string]> | null = null;

function capitalized(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/** The POSIX errno and text of a code name such as `"EMSGSIZE"`. @internal */
export function posixError(code: string): SystemError {
  const n = (constants.errno as Record<string, number | undefined>)[code] ?? 0;
  uvErrors ??= getSystemErrorMap();
  const text = uvErrors.get(-n)?.[1];
  return { errno: [n, "posix"], text: text ? capitalized(text) : code };
}

/** A resolver error of glibc's numbering, e.g. `-9` (address family not supported). @internal */
export function gaiError(code: number): SystemError {
  for (const e of GAI.values()) if (e.errno[0] === code) return e;
  return { errno: [code, "gai"], text: `gai error ${code}` };
}

/** Reduces a Node/libuv error (from a callback, an `'error'` event or a throw) to a {@link SystemError}. @internal */
export function systemErrorOf(err: unknown): SystemError {
  const e = err as (NodeJS.ErrnoException & { info?: { errno?: number; code?: string } }) | null;
  // ERR_SOCKET_BUFFER_SIZE and friends carry the system error in `info`.
  const uv = typeof e?.errno === "number" ? e.errno : e?.info?.errno;
  if (typeof uv === "number") {
    const gai = GAI.get(uv);
    if (gai) return gai;
    uvErrors ??= getSystemErrorMap();
    const known = uvErrors.get(uv);
    // On Unix, libuv's codes are negated errno values.
    return { errno: [-uv, "posix"], text: known ? capitalized(known[1]) : `errno ${-uv}` };
  }
  const code = typeof e?.code === "string" ? e.code : e?.info?.code;
  if (code && code.startsWith("E") && !code.startsWith("ERR_")) return posixError(code);
  return { errno: [0, "posix"], text: String((e as Error | null)?.message ?? err) };
}

/**
 * Racket's `exn:fail:network:errno`: `"<who>: <what>\n  <field>: <value>…\n  system error: <text>;
 * errno=<n>"` (`gai_err=<n>` for a resolver failure).
 * @internal
 */
export function networkError(
  who: string,
  what: string,
  cause: unknown,
  fields: ReadonlyArray<readonly [string, unknown]> = [],
): ExnFailNetworkErrno {
  const sys = isSystemError(cause) ? cause : systemErrorOf(cause);
  let msg = `${who}: ${what}`;
  for (const [k, v] of fields) msg += `\n  ${k}: ${String(v)}`;
  msg += `\n  system error: ${sys.text}; ${sys.errno[1] === "gai" ? "gai_err" : "errno"}=${sys.errno[0]}`;
  return new ExnFailNetworkErrno(
    msg,
    [sys.errno[0], sys.errno[1]],
    isSystemError(cause) ? undefined : { cause },
  );
}

function isSystemError(v: unknown): v is SystemError {
  return (
    typeof v === "object" && v !== null && "errno" in v && "text" in v && Array.isArray(v.errno)
  );
}

/** `"<who>: udp socket is <state>\n  socket: #<udp>"`, an `exn:fail:network`. @internal */
export function socketStateError(
  who: string,
  state: "closed" | "not bound" | "connected" | "not connected",
): ExnFailNetwork {
  return new ExnFailNetwork(`${who}: udp socket is ${state}\n  socket: #<udp>`);
}

/** A contract violation without an argument position, as racket/udp words them. @internal */
export function udpContract(who: string, expected: string, given: unknown): ExnFailContract {
  return new ExnFailContract(
    `${who}: contract violation\n  expected: ${expected}\n  given: ${racketValueString(given)}`,
  );
}
