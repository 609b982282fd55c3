// Host-name resolution for listen and connect: getaddrinfo through dns.lookup (the resolver Racket
// uses too), every address in the resolver's own order.
import { lookup } from "node:dns";
import { isIP } from "node:net";

/** One resolved address. @internal */
export interface ResolvedAddress {
  readonly address: string;
  readonly family: 4 | 6;
}

/**
 * Resolves `host` to all its addresses, in resolver order. A numeric address resolves to itself
 * without a lookup. Rejects with Node's resolver error (an `errno` from libuv's EAI range).
 * @internal
 */
export function resolveHost(host: string): Promise<ResolvedAddress[]> {
  const literal = isIP(host);
  if (literal === 4 || literal === 6) return Promise.resolve([{ address: host, family: literal }]);
  return new Promise((resolve, reject) => {
    lookup(host, { all: true, order: "verbatim" }, (err, addrs) => {
      if (err) reject(err);
      else
        resolve(
          addrs
            .filter((a) => a.family === 4 || a.family === 6)
            .map((a) => ({ address: a.address, family: a.family as 4 | 6 })),
        );
    });
  });
}

/** Racket reports IPv4 peers of dual-stack sockets as plain IPv4 text: strip `::ffff:`. @internal */
export function plainAddress(a: string | undefined): string {
  if (!a) return "0.0.0.0";
  return a.startsWith("::ffff:") && isIP(a.slice(7)) === 4 ? a.slice(7) : a;
}
