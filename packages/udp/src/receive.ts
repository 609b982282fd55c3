import { sync, syncEnableBreak } from "@rendezvous/core";
import { pollNow } from "@rendezvous/core/protocol";
import type { UdpSocket } from "./socket.js";
import { checkSignal, checkSocket } from "./checks.js";
import { receiveEvt, type UdpReceived } from "./receive-evt.js";

const NONE: [false, false, false] = [false, false, false];

/**
 * Waits for a datagram on `s` and takes it into `bytes[start, end)` (Racket's `udp-receive!`),
 * resolving to `[count, host, port]`. A datagram longer than `end - start` is truncated; the rest
 * of it is discarded. `s` must be bound.
 *
 * @throws `ExnFailContract` (rejected) for a bad argument or `start`/`end` out of range.
 * @throws `ExnFailNetwork` (rejected) `"udp-receive!: udp socket is closed"` (also when it closes
 *   while waiting) or `"… is not bound"`.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpBind, udpReceive, udpSendTo, udpAddresses } from "@rendezvous/udp";
 * const r = udpOpenSocket();
 * await udpBind(r, "127.0.0.1", 0);
 * const [, port] = udpAddresses(r, true);
 * await udpSendTo(udpOpenSocket(), "127.0.0.1", port, new TextEncoder().encode("hello"));
 * const buf = new Uint8Array(3);
 * await udpReceive(r, buf); // [3, "127.0.0.1", <sender's port>]; buf holds "hel"
 * ```
 */
export function udpReceive(
  s: UdpSocket,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): Promise<UdpReceived> {
  try {
    return sync(receiveEvt("udp-receive!", s, bytes, start, end));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * Takes a queued datagram into `bytes[start, end)` if there is one, without waiting (Racket's
 * `udp-receive!*`): `[count, host, port]`, or `[false, false, false]` when nothing is queued.
 *
 * @throws `ExnFailContract` for a bad argument; `ExnFailNetwork` on a closed or unbound socket.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpBind, udpReceiveStar } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpBind(s, "127.0.0.1", 0);
 * udpReceiveStar(s, new Uint8Array(10)); // [false, false, false]
 * ```
 */
export function udpReceiveStar(
  s: UdpSocket,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): UdpReceived | [false, false, false] {
  return pollNow([receiveEvt("udp-receive!*", s, bytes, start, end)], NONE) as
    UdpReceived | [false, false, false];
}

/**
 * Like {@link udpReceive}, but aborting `signal` breaks the wait (Racket's
 * `udp-receive!/enable-break`): the promise settles exactly once, with a datagram (taken, written
 * into `bytes`) or with `ExnBreak` (nothing taken, `bytes` untouched), never both. An already
 * aborted signal takes nothing even when a datagram is queued.
 *
 * @throws As {@link udpReceive}, plus `ExnBreak`.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpBind, udpReceiveEnableBreak } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpBind(s, "127.0.0.1", 0);
 * await udpReceiveEnableBreak(AbortSignal.timeout(50), s, new Uint8Array(10)); // ExnBreak after 50 ms
 * ```
 */
export function udpReceiveEnableBreak(
  signal: AbortSignal,
  s: UdpSocket,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): Promise<UdpReceived> {
  const who = "udp-receive!/enable-break";
  try {
    checkSignal(who, signal);
    return syncEnableBreak(signal, receiveEvt(who, s, bytes, start, end));
  } catch (err) {
    return Promise.reject(err);
  }
}

/**
 * How many datagrams `s`'s receive queue has dropped because it was full (an extension): datagrams
 * wait in a bounded queue in user space until a receive takes them (Node reads every datagram as it
 * arrives), and, like a kernel's full receive buffer, a full queue drops new datagrams. See
 * {@link udpSetReceiveBufferSize} for its size.
 *
 * @throws `ExnFailContract` if `s` is not a UDP socket.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpReceiveDropCount } from "@rendezvous/udp";
 * udpReceiveDropCount(udpOpenSocket()); // 0
 * ```
 */
export function udpReceiveDropCount(s: UdpSocket): number {
  checkSocket("udp-receive-drop-count", s);
  return s.inbox.dropped;
}
