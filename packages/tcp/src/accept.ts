import { currentCustodian, sync, syncEnableBreak } from "@rendezvous/core";
import { TcpListener } from "./listener.js";
import { acceptEvt } from "./accept-evt.js";
import type { TcpInputPort, TcpOutputPort } from "./socket-ports.js";
import { listenerClosed, tcpContract } from "./errors.js";

/**
 * Accepts a client of `listener`, waiting until one connects (Racket's `tcp-accept`). Resolves with
 * `[in, out]`: reading `in` receives what the client sends, writing `out` (then `flushOutput`)
 * sends to it. The ports are managed by the current custodian; `out` is block-buffered.
 *
 * @throws `ExnFailContract` (as a rejected promise) if `listener` is not a TCP listener, or
 *   `"tcp-accept: listener is closed"` if it is closed (Racket 8.7 raises a contract error here;
 *   its docs say `exn:fail:network`).
 *
 * @example
 * ```ts
 * import { tcpListen, tcpAccept, tcpConnect, tcpAddresses, tcpClose } from "@rendezvous/tcp";
 * import { writeString, flushOutput, readLine } from "@rendezvous/core";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * const [, port] = tcpAddresses(l, true);
 * const [, cout] = await tcpConnect("127.0.0.1", port);
 * const [sin] = await tcpAccept(l);
 * await writeString("hello\n", cout);
 * await flushOutput(cout);
 * await readLine(sin); // "hello"
 * tcpClose(l);
 * ```
 */
export async function tcpAccept(listener: TcpListener): Promise<[TcpInputPort, TcpOutputPort]> {
  return sync(acceptEvt("tcp-accept", listener, currentCustodian()));
}

/**
 * Like {@link tcpAccept}, but aborting `signal` breaks the wait (Racket's
 * `tcp-accept/enable-break`): the promise settles exactly once, either with the ports (the client
 * was accepted) or with `ExnBreak` (nothing was accepted; the client stays queued). An
 * already-aborted signal breaks at once, even if a client waits.
 *
 * @example
 * ```ts
 * import { tcpListen, tcpAcceptEnableBreak, tcpClose } from "@rendezvous/tcp";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * try {
 *   await tcpAcceptEnableBreak(AbortSignal.timeout(50), l);
 * } catch (e) {
 *   // ExnBreak after 50 ms: nobody connected, nothing was accepted
 * }
 * tcpClose(l);
 * ```
 */
export async function tcpAcceptEnableBreak(
  signal: AbortSignal,
  listener: TcpListener,
): Promise<[TcpInputPort, TcpOutputPort]> {
  if (!(signal instanceof AbortSignal))
    throw tcpContract("tcp-accept/enable-break", "AbortSignal", signal);
  const evt = acceptEvt("tcp-accept/enable-break", listener, currentCustodian());
  return syncEnableBreak(signal, evt);
}

/**
 * `true` if a client of `listener` is waiting to be accepted, so that {@link tcpAccept} would not
 * block (Racket's `tcp-accept-ready?`). Never waits.
 *
 * @throws `ExnFailContract` if `listener` is not a TCP listener, or
 *   `"tcp-accept-ready?: listener is closed"`.
 *
 * @example
 * ```ts
 * import { tcpListen, isTcpAcceptReady, tcpClose } from "@rendezvous/tcp";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * isTcpAcceptReady(l); // false: nobody has connected
 * tcpClose(l);
 * ```
 */
export function isTcpAcceptReady(listener: TcpListener): boolean {
  if (!(listener instanceof TcpListener))
    throw tcpContract("tcp-accept-ready?", "tcp-listener?", listener);
  if (listener.closed) throw listenerClosed("tcp-accept-ready?");
  return listener.parked.length > 0;
}
