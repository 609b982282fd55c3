import { isPortClosed } from "@rendezvous/core";
import { ExnFailContract } from "@rendezvous/core";
import type { InputPort, OutputPort } from "@rendezvous/core";
import { TcpListener } from "./listener.js";
import { connectionOf } from "./socket-ports.js";
import { listenerClosed, tcpContract } from "./errors.js";

/**
 * The addresses of a TCP connection or listener (Racket's `tcp-addresses`), as a tuple.
 *
 * - For a port: `[localHost, peerHost]`, or with `portNumbers` (any value but `false`/`undefined`)
 *   `[localHost, localPort, peerHost, peerPort]`. Both ports of a connection answer the same.
 * - For a listener: its bound address — `"0.0.0.0"` if it listens on every address — and, for
 *   the peer, always `"0.0.0.0"` and port `0` (even for IPv6 listeners, as Racket).
 *
 * IPv4 addresses are reported as `"127.0.0.1"`, IPv6 ones as `"::1"`.
 *
 * @throws `ExnFailContract` if `p` is neither a TCP port nor a TCP listener,
 *   `"tcp-addresses: port is closed"` if the given port is closed, or
 *   `"tcp-addresses: listener is closed"` (Racket 8.7's exceptions; its docs say `exn:fail:network`).
 *
 * @example
 * ```ts
 * import { tcpListen, tcpAddresses, tcpClose } from "@rendezvous/tcp";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * tcpAddresses(l); // ["127.0.0.1", "0.0.0.0"]
 * tcpAddresses(l, true); // ["127.0.0.1", 40123, "0.0.0.0", 0]
 * tcpClose(l);
 * ```
 */
export function tcpAddresses(
  p: TcpListener | InputPort | OutputPort,
  portNumbers?: false,
): [string, string];
export function tcpAddresses(
  p: TcpListener | InputPort | OutputPort,
  portNumbers: true,
): [string, number, string, number];
export function tcpAddresses(
  p: TcpListener | InputPort | OutputPort,
  portNumbers: unknown,
): [string, string] | [string, number, string, number];
export function tcpAddresses(
  p: TcpListener | InputPort | OutputPort,
  portNumbers: unknown = false,
): [string, string] | [string, number, string, number] {
  const four = portNumbers !== false && portNumbers !== undefined;
  if (p instanceof TcpListener) {
    if (p.closed) throw listenerClosed("tcp-addresses");
    const first = p.slots[0]!.ls;
    const host = p.hostname === false ? "0.0.0.0" : first.address;
    return four ? [host, first.port, "0.0.0.0", 0] : [host, "0.0.0.0"];
  }
  const conn = connectionOf(p);
  if (!conn) throw tcpContract("tcp-addresses", "(or/c tcp-port? tcp-listener?)", p);
  if (isPortClosed(p)) {
    const kind = p === conn.input ? "input-port" : "output-port";
    throw new ExnFailContract(`tcp-addresses: port is closed\n  port: #<${kind}:${conn.name}>`);
  }
  return four
    ? [conn.localAddress, conn.localPort, conn.remoteAddress, conn.remotePort]
    : [conn.localAddress, conn.remoteAddress];
}
