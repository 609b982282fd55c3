// Host-name resolution. Racket resolves with getaddrinfo and takes the first address; so do we,
// through dns.lookup (getaddrinfo too, in the resolver's own order). Node can only resolve
// asynchronously, so a numeric address is recognised without a lookup, and names go through a
// short-lived cache that lets the never-waiting `udpSendToStar` use a name resolved before.
import { lookup } from "node:dns";
import { isIP } from "node:net";
import { networkInterfaces } from "node:os";
import { clockNow } from "@rendezvous/core/protocol";
import { networkError, gaiError, type SystemError } from "./errors.js";

/** One resolved address. @internal */
export interface Resolved {
  readonly address: string;
  readonly family: 4 | 6;
}

/** `host` itself if it is a numeric address (an IPv6 zone suffix allowed), else `null`. @internal */
export function literal(host: string): Resolved | null {
  const f = isIP(host);
  return f === 4 || f === 6 ? { address: host, family: f } : null;
}

// A resolved name is reused for this long (monotonic ms); a failure is reported once.
const CACHE_MS = 5000;
const cache = new Map<string, { at: number; value: Resolved | Error }>();
const inFlight = new Map<string, Promise<Resolved>>();

function key(host: string, family: 0 | 4 | 6): string {
  return `${family}|${host}`;
}

/**
 * What is known now about `host` without waiting: its address (numeric, or resolved in the last few
 * seconds), a resolver error that has not been reported yet (it is reported once), or `undefined`.
 * @internal
 */
export function resolveNow(host: string, family: 0 | 4 | 6 = 0): Resolved | Error | undefined {
  const lit = literal(host);
  if (lit) return lit;
  const k = key(host, family);
  const hit = cache.get(k);
  if (!hit) return undefined;
  if (hit.value instanceof Error) {
    cache.delete(k);
    return hit.value;
  }
  if (clockNow(true) - hit.at > CACHE_MS) {
    cache.delete(k);
    return undefined;
  }
  return hit.value;
}

/**
 * Resolves `host` to its first address (`family` 0: any). Rejects with Node's resolver error.
 * Concurrent lookups of one name share one request; the outcome is remembered (see
 * {@link resolveNow}).
 * @internal
 */
export function resolveFirst(host: string, family: 0 | 4 | 6 = 0): Promise<Resolved> {
  const lit = literal(host);
  if (lit) return Promise.resolve(lit);
  const k = key(host, family);
  const pending = inFlight.get(k);
  if (pending) return pending;
  const p = new Promise<Resolved>((resolve, reject) => {
    lookup(host, { family, order: "verbatim" }, (err, address, fam) => {
      inFlight.delete(k);
      if (err || (fam !== 4 && fam !== 6)) {
        const e = err ?? Object.assign(new Error("getaddrinfo"), { errno: -3000 });
        cache.set(k, { at: clockNow(true), value: e });
        reject(e);
        return;
      }
      const r: Resolved = { address, family: fam };
      cache.set(k, { at: clockNow(true), value: r });
      resolve(r);
    });
  });
  inFlight.set(k, p);
  return p;
}

/** Racket's "can't resolve address" error: `exn:fail:network:errno` with a `gai` errno. @internal */
export function resolveError(
  who: string,
  host: string,
  port: number | null,
  cause: unknown,
  what = "can't resolve address",
): Error {
  const fields: [string, unknown][] = [["address", host]];
  if (port !== null) fields.push(["port number", port]);
  return networkError(who, what, cause, fields);
}

/** The resolver error glibc gives for a numeric address of the wrong family (`-9`). @internal */
export function wrongFamily(): SystemError {
  return gaiError(-9);
}

/** The wildcard address of a family. @internal */
export function wildcard(family: 4 | 6): string {
  return family === 4 ? "0.0.0.0" : "::";
}

/**
 * An address a socket of `family` can use: IPv4 addresses become IPv4-mapped IPv6 addresses on an
 * IPv6 socket (Linux sends from a dual-stack socket to them, as it does for Racket).
 * @internal
 */
export function forFamily(r: Resolved, family: 4 | 6): string {
  return family === 6 && r.family === 4 ? `::ffff:${r.address}` : r.address;
}

/**
 * The family getaddrinfo(NULL, port, AI_PASSIVE) puts first on Linux: IPv6 when the host has IPv6,
 * else IPv4 (what Racket's `udp-open-socket` does with only a port).
 * @internal
 */
export function passiveFamily(): 4 | 6 {
  for (const addrs of Object.values(networkInterfaces()))
    for (const a of addrs ?? []) if (a.family === "IPv6") return 6;
  return 4;
}

/** Whether `address` is one of this host's own addresses (or the wildcard). @internal */
export function isLocalAddress(address: string, family: 4 | 6): boolean {
  if (address === wildcard(family)) return true;
  const want = family === 4 ? "IPv4" : "IPv6";
  const bare = address.split("%")[0];
  for (const addrs of Object.values(networkInterfaces()))
    for (const a of addrs ?? []) if (a.family === want && a.address === bare) return true;
  return false;
}
