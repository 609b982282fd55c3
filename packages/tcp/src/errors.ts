// Node's socket and resolver errors → Racket's exn:fail:network:errno, with Racket's message layout
// ("who: what\n  field: value\n  system error: Text; errno=N") and its errno pairs: a positive POSIX
// code with "posix", or glibc's negative getaddrinfo code with "gai".
import { getSystemErrorMap } from "node:util";
import { ExnFailContract, ExnFailNetworkErrno } from "@rendezvous/core";
import type { ErrnoKind } from "@rendezvous/core";
import { racketValueString } from "@rendezvous/core/protocol";

/** libuv's resolver codes (what Node reports in `err.errno`) → glibc's EAI_* values and texts. */
const GAI: ReadonlyMap<number, readonly [number, string]> = new Map([
  [-3000, [-9, "Address family for hostname not supported"]],
  [-3001, [-3, "Temporary failure in name resolution"]],
  [-3002, [-1, "Bad value for ai_flags"]],
  [-3003, [-101, "Request canceled"]],
  [-3004, [-4, "Non-recoverable failure in name resolution"]],
  [-3005, [-6, "ai_family not supported"]],
  [-3006, [-10, "Memory allocation failure"]],
  [-3007, [-5, "No address associated with hostname"]],
  [-3008, [-2, "Name or service not known"]],
  [-3009, [-12, "Argument buffer overflow"]],
  [-3010, [-8, "Servname not supported for ai_socktype"]],
  [-3011, [-7, "ai_socktype not supported"]],
]);

let systemErrors: Map<number, [string, string]> | null = null;

/** The `[code, kind]` pair and strerror-like text of a Node/libuv error. @internal */
export function errnoOf(err: unknown): { errno: [number, ErrnoKind]; text: string } {
  const e = err as NodeJS.ErrnoException | null;
  const uv = typeof e?.errno === "number" ? e.errno : undefined;
  if (uv !== undefined) {
    const gai = GAI.get(uv);
    if (gai) return { errno: [gai[0], "gai"], text: gai[1] };
    systemErrors ??= getSystemErrorMap();
    const known = systemErrors.get(uv);
    // On Unix libuv's codes are negated errno values.
    const text = known ? known[1].charAt(0).toUpperCase() + known[1].slice(1) : `errno ${-uv}`;
    return { errno: [-uv, "posix"], text };
  }
  // A code without a number (Node sometimes builds these itself): look the name up.
  if (typeof e?.code === "string") {
    systemErrors ??= getSystemErrorMap();
    for (const [n, [name, msg]] of systemErrors) {
      if (name === e.code) {
        return { errno: [-n, "posix"], text: msg.charAt(0).toUpperCase() + msg.slice(1) };
      }
    }
  }
  return { errno: [0, "posix"], text: String((e as Error | null)?.message ?? err) };
}

/**
 * Builds Racket's `exn:fail:network:errno` for a failed network call:
 * `"<who>: <what>\n  <field>: <value>…\n  system error: <text>; errno=<n>"` (or `gai_err=<n>`).
 * @internal
 */
export function networkError(
  who: string | null,
  what: string,
  err: unknown,
  fields: ReadonlyArray<readonly [string, unknown]> = [],
): ExnFailNetworkErrno {
  const { errno, text } = errnoOf(err);
  let msg = who ? `${who}: ${what}` : what;
  for (const [k, v] of fields) msg += `\n  ${k}: ${String(v)}`;
  msg += `\n  system error: ${text}; ${errno[1] === "gai" ? "gai_err" : "errno"}=${errno[0]}`;
  return new ExnFailNetworkErrno(msg, errno, { cause: err });
}

/** `"<who>: listener is closed\n  listener: #<tcp-listener>"` (Racket 8.7 raises a contract error). @internal */
export function listenerClosed(who: string): ExnFailContract {
  return new ExnFailContract(`${who}: listener is closed\n  listener: #<tcp-listener>`);
}

/** A Racket contract violation without an argument position (racket/tcp's messages have none). @internal */
export function tcpContract(who: string, expected: string, given: unknown): ExnFailContract {
  return new ExnFailContract(
    `${who}: contract violation\n  expected: ${expected}\n  given: ${racketValueString(given)}`,
  );
}
