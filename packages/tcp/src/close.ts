import { TcpListener } from "./listener.js";
import { listenerClosed, tcpContract } from "./errors.js";

/**
 * Shuts down `listener` (Racket's `tcp-close`): it stops listening, and the clients still waiting
 * for acceptance have their connections reset; connections already accepted are unaffected. Every
 * sync waiting on the listener's events wakes up: the listener event is ready, and an accept event
 * raises "listener is closed" when chosen. The port may stay unavailable for a while (TIME_WAIT).
 *
 * @throws `ExnFailContract` if `listener` is not a TCP listener, or
 *   `"tcp-close: listener is closed"` if it is already closed (Racket 8.7's exception; its docs say
 *   `exn:fail:network`).
 *
 * @example
 * ```ts
 * import { tcpListen, tcpClose } from "@rendezvous/tcp";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * tcpClose(l);
 * ```
 */
export function tcpClose(listener: TcpListener): void {
  if (!(listener instanceof TcpListener)) throw tcpContract("tcp-close", "tcp-listener?", listener);
  if (!listener.close()) throw listenerClosed("tcp-close");
}
