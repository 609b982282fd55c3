import { ExnFailNetwork } from "@rendezvous/core";
import type { UdpSocket } from "./socket.js";
import { checkSocket } from "./checks.js";

const WHO = "udp-close";

/**
 * Closes `s`, discarding datagrams received and not yet taken (Racket's `udp-close`). Receives and
 * sends blocked on it wake and raise `ExnFailNetwork` "… udp socket is closed"; its ready events
 * become ready. A blocking send whose datagram was still waiting in Node's queue rejects with that
 * error too (the datagram was not sent). The socket leaves its custodian. Its descriptor is
 * released on a later tick (`await using` / `Symbol.asyncDispose` waits for that).
 *
 * {@link isUdpBound} and {@link isUdpConnected} keep their last values, as in Racket.
 *
 * @throws `ExnFailNetwork` `"udp-close: udp socket was already closed"`.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpClose, isUdpOpen } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * udpClose(s);
 * isUdpOpen(s); // false
 * ```
 */
export function udpClose(s: UdpSocket): void {
  checkSocket(WHO, s);
  if (s.closed) throw new ExnFailNetwork(`${WHO}: udp socket was already closed\n  socket: #<udp>`);
  s.shutdown();
}
