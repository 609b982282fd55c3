import { closeInputPort } from "@rendezvous/core";
import { abandonOutputPort } from "@rendezvous/core/protocol";
import { connectionOf } from "./socket-ports.js";
import { tcpContract } from "./errors.js";

/**
 * Closes a TCP port without ending the connection early (Racket's `tcp-abandon-port`). On an
 * output port: like `closeOutputPort` (the buffered bytes are still sent), but no FIN is sent while
 * the connection's input port is open — the peer sees the connection end only once both ports are
 * closed. On an input port: the same as `closeInputPort` (TCP has no "no longer reading" state).
 *
 * @throws `ExnFailContract` if `p` is not a TCP port (Racket 8.7 does not check; its docs
 *   require `tcp-port?`).
 *
 * @example
 * ```ts
 * import { tcpListen, tcpConnect, tcpAccept, tcpAbandonPort, tcpAddresses, tcpClose } from "@rendezvous/tcp";
 * import { closeInputPort } from "@rendezvous/core";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * const [, port] = tcpAddresses(l, true);
 * const [cin, cout] = await tcpConnect("127.0.0.1", port);
 * tcpAbandonPort(cout); // the server reads no eof yet
 * closeInputPort(cin); // now the connection is closed
 * tcpClose(l);
 * ```
 */
export function tcpAbandonPort(p: unknown): void {
  const conn = connectionOf(p);
  if (!conn) throw tcpContract("tcp-abandon-port", "tcp-port?", p);
  if (p === conn.input) closeInputPort(conn.input);
  else abandonOutputPort(conn.output);
}
