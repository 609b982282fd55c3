import { ExnFailContract } from "@rendezvous/core";
import { racketValueString } from "@rendezvous/core/protocol";
import type { UdpSocket } from "./socket.js";
import { checkOptionalHost, checkOptionalPort, checkSocket } from "./checks.js";
import { networkError, posixError, socketStateError } from "./errors.js";
import { forFamily, literal, resolveError, resolveFirst, type Resolved } from "./resolve.js";

const WHO = "udp-connect!";

/**
 * Connects `s` to `host`/`port` (Racket's `udp-connect!`): afterwards {@link udpSend} sends there,
 * {@link udpSendTo} is refused, and the kernel delivers only datagrams from that peer. With both
 * `host` and `port` `false`, disconnects (a no-op when not connected). A socket can be connected,
 * re-connected and disconnected any number of times. Connecting does not make the socket
 * {@link isUdpBound bound} (Racket's rule), though the system gives it a local address.
 *
 * Returns a promise; with a numeric address the socket is connected when `udpConnect` returns (the
 * promise is already settled), a host name is looked up first. Binds and connects of one socket take
 * effect in call order. A re-connect disconnects first (libuv refuses to connect a connected socket),
 * so on Linux a socket bound to port 0 (or not bound) gets a new ephemeral port, as a disconnect does
 * in Racket; Racket's direct re-connect keeps the port.
 *
 * @throws `ExnFailContract` for a bad argument, or when exactly one of `host` and `port` is `false`.
 * @throws `ExnFailNetwork` `"udp-connect!: udp socket is closed"`.
 * @throws `ExnFailNetworkErrno` `"udp-connect!: can't connect"` (`[97, "posix"]` for an IPv6 peer of
 *   an IPv4 socket), or `"can't resolve address"` with a `"gai"` errno.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpConnect, isUdpConnected, udpSend } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpConnect(s, "127.0.0.1", 9999);
 * isUdpConnected(s); // true
 * await udpSend(s, new TextEncoder().encode("hi"));
 * await udpConnect(s, false, false); // disconnected
 * ```
 */
export function udpConnect(
  s: UdpSocket,
  host: string | false,
  port: number | false,
): Promise<void> {
  let h: string | false;
  let p: number | false;
  try {
    checkSocket(WHO, s);
    h = checkOptionalHost(WHO, host);
    p = checkOptionalPort(WHO, port);
    if ((h === false) !== (p === false))
      throw new ExnFailContract(
        `${WHO}: last second and third arguments must be both #f or both non-#f\n  second argument: ${racketValueString(h)}\n  third argument: ${racketValueString(p)}`,
      );
    if (s.closed) throw socketStateError(WHO, "closed");
  } catch (err) {
    return Promise.reject(err);
  }
  if (h === false || p === false) {
    return s.serial(
      () => null,
      () => {
        if (s.closed) throw socketStateError(WHO, "closed");
        s.disconnect();
      },
    );
  }
  const hostName = h;
  const portNo = p;
  const prepare = (): Resolved | Promise<Resolved> =>
    literal(hostName) ??
    resolveFirst(hostName).catch((err) => Promise.reject(resolveError(WHO, hostName, portNo, err)));
  return s.serial(prepare, (r) => {
    if (s.closed) throw socketStateError(WHO, "closed");
    if (s.family === 4 && r.family === 6)
      throw networkError(WHO, "can't connect", posixError("EAFNOSUPPORT"), [
        ["address", hostName],
        ["port number", portNo],
      ]);
    return s.connectTo(WHO, hostName, forFamily(r, s.family), portNo);
  });
}
