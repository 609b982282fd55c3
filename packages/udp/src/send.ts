import { sync, syncEnableBreak } from "@rendezvous/core";
import { pollNow } from "@rendezvous/core/protocol";
import type { SendReport, UdpSocket } from "./socket.js";
import { checkSignal } from "./checks.js";
import { sendEvt, sendToEvt, type UdpSendEvt, type UdpSendToEvt } from "./send-evt.js";

const NONE: unique symbol = Symbol("not sent");

// A blocking send: sync on a send event (the commit hands the datagram to the kernel), then wait for
// Node's report on it, so that a refusal reaches the caller as this call's error.
function blocking(
  signal: AbortSignal | null,
  make: (report: SendReport) => UdpSendEvt | UdpSendToEvt,
): Promise<void> {
  let report!: SendReport;
  const outcome = new Promise<void>((resolve, reject) => {
    report = (err) => (err ? reject(err) : resolve());
  });
  let evt: UdpSendEvt | UdpSendToEvt;
  try {
    evt = make(report);
  } catch (err) {
    return Promise.reject(err);
  }
  // Once the sync has committed, the datagram is on its way: a break no longer applies.
  return (signal ? syncEnableBreak(signal, evt) : sync(evt)).then(() => outcome);
}

/**
 * Sends `bytes[start, end)` as one datagram to `host`/`port` from the unconnected socket `s`
 * (Racket's `udp-send-to`), binding `s` to an ephemeral port first if it is not bound. Waits while
 * the socket's outgoing queue is full (never on Linux loopback), then resolves once the kernel has
 * taken the datagram. A zero-length datagram is sent as one (Racket 8.7 loops forever on it).
 *
 * @throws `ExnFailContract` (rejected) for a bad argument, or `start`/`end` out of range
 *   (`"udp-send-to: ending index is out of range"`).
 * @throws `ExnFailNetwork` (rejected) `"udp-send-to: udp socket is closed"` / `"… is connected"`.
 * @throws `ExnFailNetworkErrno` (rejected) `"udp-send-to: send failed"` when the system refuses
 *   (`[90, "posix"]` EMSGSIZE above 65507 bytes over IPv4, `[97, "posix"]` for an IPv6 destination of
 *   an IPv4 socket, `[111, "posix"]` for a refusal reported by an earlier datagram), and
 *   `"can't resolve address"` with a `"gai"` errno for a host name that does not resolve.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpSendTo, isUdpBound } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpSendTo(s, "127.0.0.1", 9999, new TextEncoder().encode("hello"));
 * isUdpBound(s); // true: sending bound it
 * ```
 */
export function udpSendTo(
  s: UdpSocket,
  host: string,
  port: number,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): Promise<void> {
  return blocking(null, (r) => sendToEvt("udp-send-to", s, host, port, bytes, start, end, r));
}

/**
 * Like {@link udpSendTo}, for a connected socket: the datagram goes to its peer (Racket's
 * `udp-send`).
 *
 * @throws As {@link udpSendTo}, with `"udp-send: udp socket is not connected"` for an unconnected
 *   socket.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpConnect, udpSend } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpConnect(s, "127.0.0.1", 9999);
 * await udpSend(s, new TextEncoder().encode("hello"));
 * ```
 */
export function udpSend(
  s: UdpSocket,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): Promise<void> {
  return blocking(null, (r) => sendEvt("udp-send", s, bytes, start, end, r));
}

/**
 * Like {@link udpSendTo}, but never waits (Racket's `udp-send-to*`): `true` if the datagram was
 * handed to the kernel, `false` if the send would have to wait — the outgoing queue is full, or
 * `host` is a name not resolved yet (Node cannot resolve at once: the lookup starts, and a later call
 * within a few seconds uses its result, or raises its failure). A refusal the kernel reports later
 * is raised by the socket's next send.
 *
 * @throws `ExnFailContract` for a bad argument; `ExnFailNetwork`/`ExnFailNetworkErrno` as
 *   {@link udpSendTo}, at once.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpSendToStar } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * udpSendToStar(s, "127.0.0.1", 9999, new Uint8Array([1])); // true
 * ```
 */
export function udpSendToStar(
  s: UdpSocket,
  host: string,
  port: number,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): boolean {
  return (
    pollNow([sendToEvt("udp-send-to*", s, host, port, bytes, start, end, null)], NONE) !== NONE
  );
}

/**
 * Like {@link udpSend}, but never waits (Racket's `udp-send*`): `true` if the datagram was handed to
 * the kernel, `false` if the send would have to wait.
 *
 * @throws As {@link udpSendToStar}.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpConnect, udpSendStar } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpConnect(s, "127.0.0.1", 9999);
 * udpSendStar(s, new Uint8Array([1])); // true
 * ```
 */
export function udpSendStar(
  s: UdpSocket,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): boolean {
  return pollNow([sendEvt("udp-send*", s, bytes, start, end, null)], NONE) !== NONE;
}

/**
 * Like {@link udpSendTo}, but aborting `signal` breaks the wait (Racket's
 * `udp-send-to/enable-break`): the call settles exactly once — the datagram is sent, or it rejects
 * with `ExnBreak` and nothing was sent, never both. Once the datagram is handed to the kernel, an
 * abort no longer matters. An already aborted signal sends nothing.
 *
 * @throws As {@link udpSendTo}, plus `ExnBreak`.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpSendToEnableBreak } from "@rendezvous/udp";
 * const ac = new AbortController();
 * await udpSendToEnableBreak(ac.signal, udpOpenSocket(), "127.0.0.1", 9999, new Uint8Array([1]));
 * ```
 */
export function udpSendToEnableBreak(
  signal: AbortSignal,
  s: UdpSocket,
  host: string,
  port: number,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): Promise<void> {
  const who = "udp-send-to/enable-break";
  return blocking(signal, (r) => {
    checkSignal(who, signal);
    return sendToEvt(who, s, host, port, bytes, start, end, r);
  });
}

/**
 * Like {@link udpSend}, but aborting `signal` breaks the wait (Racket's `udp-send/enable-break`),
 * with the guarantees of {@link udpSendToEnableBreak}.
 *
 * @throws As {@link udpSend}, plus `ExnBreak`.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpConnect, udpSendEnableBreak } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpConnect(s, "127.0.0.1", 9999);
 * await udpSendEnableBreak(new AbortController().signal, s, new Uint8Array([1]));
 * ```
 */
export function udpSendEnableBreak(
  signal: AbortSignal,
  s: UdpSocket,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): Promise<void> {
  const who = "udp-send/enable-break";
  return blocking(signal, (r) => {
    checkSignal(who, signal);
    return sendEvt(who, s, bytes, start, end, r);
  });
}
