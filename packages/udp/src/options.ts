// Socket options. Node has no getters and a socket has no descriptor before it is bound, so the
// values live on the socket, are applied at once when it has a descriptor, and otherwise when it
// gets one (its bind, or the implicit bind of its first send or connect).
import { ExnFailNetwork } from "@rendezvous/core";
import type { UdpSocket } from "./socket.js";
import { checkByte, checkSocket } from "./checks.js";
import { networkError, posixError, socketStateError, udpContract } from "./errors.js";
import { MIN_BUFFER, defaultBufferSize } from "./inbox.js";

/** Throws unless `s` is an open UDP socket. @internal */
export function checkOpen(who: string, s: unknown): asserts s is UdpSocket {
  checkSocket(who, s);
  if (s.closed) throw socketStateError(who, "closed");
}

/** Runs a setter on the Node socket if there is one, mapping its refusal. @internal */
export function applyNow(
  who: string,
  s: UdpSocket,
  set: (node: NonNullable<UdpSocket["node"]>) => void,
): void {
  if (!s.node) return;
  try {
    set(s.node);
  } catch (err) {
    throw networkError(who, "setsockopt failed", err);
  }
}

/**
 * Sets the receive buffer size of `s` (Racket's `udp-set-receive-buffer-size!`): that of the queue
 * where datagrams wait for a receive, and the kernel's (SO_RCVBUF). As Linux does for its buffer,
 * the queue gets twice `size` (at least 2304 bytes), and each datagram is charged its length plus
 * 256 bytes; a datagram that does not fit is dropped and counted ({@link udpReceiveDropCount}). The
 * default is the system's (`net.core.rmem_default`, 212992 bytes on Linux). Datagrams already queued
 * stay queued when the size shrinks. The kernel's buffer is set to `size` but never below the system
 * default: Node empties it on every event-loop turn, and a datagram it dropped could not be counted.
 *
 * @throws `ExnFailContract` unless `size` is an exact positive integer.
 * @throws `ExnFailNetwork` on a closed socket, or `"given size is too large"` above 2147483647.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpSetReceiveBufferSize } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * udpSetReceiveBufferSize(s, 1 << 20); // room for about 2 MiB of datagrams
 * ```
 */
export function udpSetReceiveBufferSize(s: UdpSocket, size: number): void {
  const who = "udp-set-receive-buffer-size!";
  checkSocket(who, s);
  if (!(typeof size === "number" && Number.isInteger(size) && size > 0))
    throw udpContract(who, "exact-positive-integer?", size);
  if (s.closed) throw socketStateError(who, "closed");
  if (size > 0x7fffffff)
    throw new ExnFailNetwork(`${who}: given size is too large\n  given size: ${size}`);
  // The kernel's buffer is never made smaller than the system default: Node empties it on every
  // loop turn, and what overflows there would be lost uncounted; the queue drops, and counts.
  const kernelSize = Math.max(size, defaultBufferSize());
  applyNow(who, s, (node) => node.setRecvBufferSize(kernelSize));
  s.receiveBufferSize = kernelSize;
  s.inbox.limit = Math.max(2 * size, MIN_BUFFER);
}

/**
 * The time-to-live of `s`'s unicast datagrams (Racket's `udp-ttl`): the system default (64 on
 * Linux) until {@link udpSetTtl} changes it. On an IPv6 socket it is the hop limit.
 *
 * @throws `ExnFailNetwork` on a closed socket.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpTtl } from "@rendezvous/udp";
 * udpTtl(udpOpenSocket()); // 64
 * ```
 */
export function udpTtl(s: UdpSocket): number {
  checkOpen("udp-ttl", s);
  return s.ttl;
}

/**
 * Sets the time-to-live of `s`'s unicast datagrams (Racket's `udp-set-ttl!`); on an IPv6 socket, the
 * hop limit (what libuv sets there).
 *
 * @throws `ExnFailContract` unless `ttl` is a byte (0–255).
 * @throws `ExnFailNetwork` on a closed socket; `ExnFailNetworkErrno` `"setsockopt failed"`
 *   (`[22, "posix"]`) for 0, which the kernel refuses.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpSetTtl, udpTtl } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * udpSetTtl(s, 5);
 * udpTtl(s); // 5
 * ```
 */
export function udpSetTtl(s: UdpSocket, ttl: number): void {
  const who = "udp-set-ttl!";
  checkSocket(who, s);
  checkByte(who, ttl);
  if (s.closed) throw socketStateError(who, "closed");
  // Linux refuses 0 (IP_TTL takes 1–255); so does libuv, but only once there is a descriptor.
  if (ttl === 0) throw networkError(who, "setsockopt failed", posixError("EINVAL"));
  applyNow(who, s, (node) => node.setTTL(ttl));
  s.ttl = ttl;
}
