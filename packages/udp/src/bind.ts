import { ExnFailContract } from "@rendezvous/core";
import type { UdpSocket } from "./socket.js";
import { checkListenPort, checkOptionalHost, checkSocket, truthy } from "./checks.js";
import { networkError, posixError, socketStateError } from "./errors.js";
import { resolveError, resolveFirst, literal, wildcard, type Resolved } from "./resolve.js";

const WHO = "udp-bind!";

function checkUnbound(s: UdpSocket): void {
  if (s.closed) throw socketStateError(WHO, "closed");
  // Racket 8.7 raises a contract error here (its documentation says exn:fail:network).
  if (s.bound) throw new ExnFailContract(`${WHO}: udp socket is already bound\n  socket: #<udp>`);
}

/**
 * Binds `s` to the local `port` at `host` (Racket's `udp-bind!`): `host` `false` accepts datagrams
 * sent to any of the machine's addresses, port `0` picks an ephemeral port (see
 * {@link udpAddresses}). A socket must be bound to receive. With `reuse`, the socket is bound with
 * SO_REUSEADDR.
 *
 * Returns a promise, settled as soon as the bind is done: with a numeric address (or `false`) the
 * socket is bound when `udpBind` returns; a host name is looked up first. Binds and connects of one
 * socket take effect in call order.
 *
 * @throws `ExnFailContract` for a bad argument, and `"udp-bind!: udp socket is already bound"`
 *   (Racket 8.7's class; its documentation says `exn:fail:network`).
 * @throws `ExnFailNetwork` `"udp-bind!: udp socket is closed"`.
 * @throws `ExnFailNetworkErrno` `"udp-bind!: can't bind"` when the system refuses (`[98, "posix"]`
 *   for a port in use; `[97, "posix"]` for an IPv6 address on an IPv4 socket; `[22, "posix"]` for an
 *   IPv4 address on an IPv6 socket, or a socket that already got an address from `udpConnect`), and
 *   `"can't resolve address"` with a `"gai"` errno.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpBind, isUdpBound, udpAddresses } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpBind(s, "127.0.0.1", 0);
 * isUdpBound(s); // true
 * const [, port] = udpAddresses(s, true); // the ephemeral port
 * ```
 */
export function udpBind(
  s: UdpSocket,
  host: string | false,
  port: number,
  reuse: unknown = false,
): Promise<void> {
  let h: string | false;
  let p: number;
  try {
    checkSocket(WHO, s);
    h = checkOptionalHost(WHO, host);
    p = checkListenPort(WHO, port);
    checkUnbound(s);
  } catch (err) {
    return Promise.reject(err);
  }
  const shown = h === false ? wildcard(s.family) : h;
  const what = truthy(reuse) ? "can't bind as reusable" : "can't bind";
  const fields: [string, unknown][] = [
    ["address", shown],
    ["port number", p],
  ];
  const prepare = (): Resolved | Promise<Resolved> => {
    if (h === false) return { address: wildcard(s.family), family: s.family };
    return (
      literal(h) ?? resolveFirst(h).catch((err) => Promise.reject(resolveError(WHO, h, p, err)))
    );
  };
  return s.serial(prepare, (r) => {
    checkUnbound(s);
    // The kernel's answers for the wrong family, checked here because Node would map IPv4 to
    // IPv4-mapped IPv6 on its own, where Linux (and so Racket) refuses.
    if (r.family !== s.family)
      throw networkError(WHO, what, posixError(s.family === 4 ? "EAFNOSUPPORT" : "EINVAL"), fields);
    // A connect gave the socket an address already: a second bind is refused by the kernel.
    if (s.node) throw networkError(WHO, what, posixError("EINVAL"), fields);
    const failure = s.bindNode(r.address, p, truthy(reuse));
    if (failure !== null) throw networkError(WHO, what, failure, fields);
    s.bound = true;
    s.applyOptions(WHO);
  });
}
