// Racket's flags, read from our own state: a send binds, a connect alone does not, and closing
// clears neither.
import type { UdpSocket } from "./socket.js";
import { checkSocket } from "./checks.js";

/**
 * `true` while `s` is open (Racket's `udp-open?`).
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpClose, isUdpOpen } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * isUdpOpen(s); // true
 * udpClose(s);
 * isUdpOpen(s); // false
 * ```
 */
export function isUdpOpen(s: UdpSocket): boolean {
  checkSocket("udp-open?", s);
  return !s.closed;
}

/**
 * `true` once `s` has been bound by {@link udpBind} or by a send (Racket's `udp-bound?`). A connect
 * alone does not count, as in Racket, and the flag survives {@link udpClose}.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpConnect, udpSend, isUdpBound } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpConnect(s, "127.0.0.1", 9999);
 * isUdpBound(s); // false
 * await udpSend(s, new Uint8Array([1]));
 * isUdpBound(s); // true
 * ```
 */
export function isUdpBound(s: UdpSocket): boolean {
  checkSocket("udp-bound?", s);
  return s.bound;
}

/**
 * `true` while `s` is connected (Racket's `udp-connected?`); the flag survives {@link udpClose}.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpConnect, isUdpConnected } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpConnect(s, "127.0.0.1", 9999);
 * isUdpConnected(s); // true
 * ```
 */
export function isUdpConnected(s: UdpSocket): boolean {
  checkSocket("udp-connected?", s);
  return s.peer !== null;
}
