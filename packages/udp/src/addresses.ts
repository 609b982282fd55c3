import type { UdpSocket } from "./socket.js";
import { checkSocket, truthy } from "./checks.js";
import { socketStateError } from "./errors.js";
import { wildcard } from "./resolve.js";

/**
 * The local and remote addresses of `s` (Racket's `udp-addresses`): `[localHost, peerHost]`, or
 * with `portNumbers` (any value but `false`/`undefined`)
 * `[localHost, localPort, peerHost, peerPort]`. An unbound socket reports its family's wildcard
 * address and port 0; an unconnected one reports the peer `"0.0.0.0"`, port 0 (also for IPv6
 * sockets, as Racket). IPv4 peers of an IPv6 socket appear in IPv4-mapped form
 * (`"::ffff:127.0.0.1"`), as in Racket.
 *
 * @throws `ExnFailContract` if `s` is not a UDP socket.
 * @throws `ExnFailNetwork` `"udp-addresses: udp socket is closed"` (Racket 8.7 says
 *   `tcp-addresses`, the primitive behind it).
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpBind, udpAddresses } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * udpAddresses(s, true); // ["0.0.0.0", 0, "0.0.0.0", 0]
 * await udpBind(s, "127.0.0.1", 0);
 * udpAddresses(s); // ["127.0.0.1", "0.0.0.0"]
 * ```
 */
export function udpAddresses(s: UdpSocket, portNumbers?: false): [string, string];
export function udpAddresses(s: UdpSocket, portNumbers: true): [string, number, string, number];
export function udpAddresses(
  s: UdpSocket,
  portNumbers: unknown,
): [string, string] | [string, number, string, number];
export function udpAddresses(
  s: UdpSocket,
  portNumbers: unknown = false,
): [string, string] | [string, number, string, number] {
  const who = "udp-addresses";
  checkSocket(who, s);
  if (s.closed) throw socketStateError(who, "closed");
  let local = wildcard(s.family);
  let localPort = 0;
  if (s.node) {
    try {
      const a = s.node.address();
      local = a.address;
      localPort = a.port;
    } catch {
      // no local address (cannot happen once bound; kept as unbound)
    }
  }
  const peer = s.peer?.address ?? "0.0.0.0";
  const peerPort = s.peer?.port ?? 0;
  return truthy(portNumbers) ? [local, localPort, peer, peerPort] : [local, peer];
}
