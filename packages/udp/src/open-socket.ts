import { custodianManage } from "@rendezvous/core";
import { UdpSocket } from "./socket.js";
import { checkOptionalHost, checkOptionalPort } from "./checks.js";
import { literal, passiveFamily, resolveError, resolveFirst } from "./resolve.js";

const WHO = "udp-open-socket";

function open(family: 4 | 6): UdpSocket {
  const s = new UdpSocket(family);
  // Closing is idempotent: a socket that closes itself unsubscribes, which calls this again.
  s.registration = custodianManage(WHO, s, () => {
    if (!s.closed) s.shutdown();
  });
  return s;
}

/**
 * Opens a UDP socket (Racket's `udp-open-socket`), neither bound nor connected, managed by the
 * current custodian. Its protocol family is IPv4 unless `familyHost` or `familyPort` is given; then
 * it is the family of the first address they resolve to, as in Racket: a numeric `familyHost` gives
 * its own family, a host name the family of its first address (`"localhost"` → usually IPv4), and a
 * port alone the family getaddrinfo lists first for a wildcard address (IPv6 on a host with IPv6).
 *
 * Returns the socket itself — synchronously — unless `familyHost` is a name that must be looked up:
 * then it returns a promise (Node resolves names asynchronously). `await` works in every case.
 *
 * @param familyHost - a host name or address whose family the socket takes, or `false`.
 * @param familyPort - a port number (1–65535), or `false`; it does not bind the socket.
 * @throws `ExnFailContract` at once for a bad argument.
 * @throws `ExnFailNetworkErrno` (`[-2, "gai"]`…, from the promise) if `familyHost` cannot be resolved.
 * @throws `ExnFail` if the current custodian has been shut down.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpAddresses } from "@rendezvous/udp";
 * const s = udpOpenSocket(); // IPv4
 * const s6 = udpOpenSocket("::1"); // IPv6, still synchronous: a numeric address needs no lookup
 * const byName = await udpOpenSocket("localhost"); // a lookup: a promise
 * udpAddresses(s6, true); // ["::", 0, "0.0.0.0", 0]
 * ```
 */
export function udpOpenSocket(familyHost?: false, familyPort?: number | false): UdpSocket;
export function udpOpenSocket(
  familyHost: string | false | undefined,
  familyPort?: number | false,
): UdpSocket | Promise<UdpSocket>;
export function udpOpenSocket(
  familyHost: string | false = false,
  familyPort: number | false = false,
): UdpSocket | Promise<UdpSocket> {
  const host = checkOptionalHost(WHO, familyHost);
  const port = checkOptionalPort(WHO, familyPort);
  if (host === false) return open(port === false ? 4 : passiveFamily());
  const lit = literal(host);
  if (lit) return open(lit.family);
  return resolveFirst(host).then(
    (r) => open(r.family),
    (err) => {
      throw resolveError(WHO, host, null, err);
    },
  );
}

/**
 * `true` if `v` is a UDP socket (Racket's `udp?`), open or closed.
 *
 * @example
 * ```ts
 * import { isUdp, udpOpenSocket } from "@rendezvous/udp";
 * isUdp(udpOpenSocket()); // true
 * isUdp({}); // false
 * ```
 */
export function isUdp(v: unknown): v is UdpSocket {
  return v instanceof UdpSocket;
}
