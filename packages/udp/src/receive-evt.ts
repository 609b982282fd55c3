import { NOT_READY, PrimitiveEvt, RaiseResult } from "@rendezvous/core/protocol";
import type { Candidate, NotReady } from "@rendezvous/core/protocol";
import type { UdpSocket } from "./socket.js";
import { checkRange, checkSocket } from "./checks.js";
import { socketStateError } from "./errors.js";

/** A receive's result: the byte count, the sender's address and its port. */
export type UdpReceived = [count: number, host: string, port: number];

/**
 * The class of the events {@link udpReceiveEvt} makes: ready when a datagram is queued; choosing it
 * takes that datagram into the buffer.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpReceiveEvt, UdpReceiveEvt } from "@rendezvous/udp";
 * udpReceiveEvt(udpOpenSocket(), new Uint8Array(8)) instanceof UdpReceiveEvt; // true
 * ```
 */
// Implements the socket's ReceiveWaiter (complete) structurally: that interface is internal.
export class UdpReceiveEvt extends PrimitiveEvt<UdpReceived> {
  /** @internal */
  constructor(
    /** The socket it receives from. */
    readonly socket: UdpSocket,
    /** @internal */ readonly bytes: Uint8Array,
    /** @internal */ readonly start: number,
    /** @internal */ readonly end: number,
    /** @internal The Racket name errors carry. */
    readonly who: string,
  ) {
    super();
  }

  /** @internal The engine's poll: see `PrimitiveEvt`. */
  poll(_c: Candidate): UdpReceived | NotReady {
    return this.complete() as UdpReceived | NotReady;
  }
  /** @internal */
  block(c: Candidate): void {
    this.socket.receivers.push(c);
  }
  /** @internal */
  abandon(c: Candidate): void {
    this.socket.receivers.remove(c);
  }

  /**
   * @internal The commit of a receive: the oldest datagram is taken and copied into
   * `bytes[start, end)`, truncated (the rest of it is discarded). A closed or unbound socket makes
   * the event ready with an error to raise.
   */
  complete(): UdpReceived | RaiseResult | NotReady {
    const s = this.socket;
    if (s.closed) return new RaiseResult(socketStateError(this.who, "closed"));
    if (!s.bound) return new RaiseResult(socketStateError(this.who, "not bound"));
    const d = s.inbox.shift();
    if (!d) return NOT_READY;
    const n = Math.min(d.data.length, this.end - this.start);
    this.bytes.set(n === d.data.length ? d.data : d.data.subarray(0, n), this.start);
    return [n, d.address, d.port];
  }
}

/**
 * An event that is ready when a datagram has arrived at `s` (Racket's `udp-receive!-evt`). **If,
 * and only if, it is chosen**, it takes the oldest datagram, writes it into `bytes[start, end)` —
 * truncating: the rest of a longer datagram is discarded — and its result is `[count, host, port]`.
 * An event that loses its sync takes nothing and leaves `bytes` untouched. The event can be synced
 * again and again; each choice takes one datagram.
 *
 * On a closed socket, or one that is not {@link isUdpBound bound}, the event is ready and raises
 * `ExnFailNetwork` ("udp-receive!-evt: udp socket is closed" / "… is not bound") when chosen. A sync
 * blocked on it when the socket closes wakes with that error.
 *
 * Datagrams wait in a bounded queue per socket (see {@link udpSetReceiveBufferSize}); when it is
 * full, new ones are dropped and counted ({@link udpReceiveDropCount}).
 *
 * @throws `ExnFailContract` at once for a bad argument, or `start`/`end` out of range.
 *
 * @example
 * ```ts
 * import { sync, wrapEvt, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";
 * import { udpOpenSocket, udpBind, udpReceiveEvt } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpBind(s, "127.0.0.1", 0);
 * const buf = new Uint8Array(1500);
 * const r = await sync(
 *   udpReceiveEvt(s, buf),
 *   wrapEvt(alarmEvt(currentInexactMilliseconds() + 100), () => "timeout" as const),
 * ); // "timeout": nothing arrived, nothing taken, buf untouched
 * ```
 */
export function udpReceiveEvt(
  s: UdpSocket,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): UdpReceiveEvt {
  return receiveEvt("udp-receive!-evt", s, bytes, start, end);
}

/** @internal */
export function receiveEvt(
  who: string,
  s: unknown,
  bytes: unknown,
  start: unknown,
  end: unknown,
): UdpReceiveEvt {
  checkSocket(who, s);
  const [b, from, to] = checkRange(who, bytes, start, end);
  return new UdpReceiveEvt(s, b, from, to, who);
}

/**
 * The class of {@link udpReceiveReadyEvt}'s events: ready when a receive would not wait.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpReceiveReadyEvt } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * udpReceiveReadyEvt(s).socket === s; // true
 * ```
 */
export class UdpReceiveReadyEvt extends PrimitiveEvt<UdpReceiveReadyEvt> {
  /** @internal */
  constructor(
    /** The socket it watches. */
    readonly socket: UdpSocket,
  ) {
    super();
  }
  /** @internal The engine's poll: see `PrimitiveEvt`. */
  poll(_c: Candidate): UdpReceiveReadyEvt | NotReady {
    return this.complete();
  }
  /** @internal */
  block(c: Candidate): void {
    this.socket.receivers.push(c);
  }
  /** @internal */
  abandon(c: Candidate): void {
    this.socket.receivers.remove(c);
  }
  /** @internal Ready (result: the event itself) when a datagram is queued or the socket is closed. */
  complete(): UdpReceiveReadyEvt | NotReady {
    return this.socket.closed || this.socket.inbox.size > 0 ? this : NOT_READY;
  }
}

/**
 * An event that is ready when {@link udpReceive} on `s` would not wait: a datagram is queued, or the
 * socket is closed (Racket's `udp-receive-ready-evt`). Its result is the event itself; it takes
 * nothing. An unbound socket's event is just not ready.
 *
 * @throws `ExnFailContract` if `s` is not a UDP socket.
 *
 * @example
 * ```ts
 * import { sync } from "@rendezvous/core";
 * import { udpOpenSocket, udpBind, udpReceiveReadyEvt, udpReceiveStar } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpBind(s, "127.0.0.1", 0);
 * const ready = udpReceiveReadyEvt(s);
 * // … once something was sent to s:
 * (await sync(ready)) === ready; // true, and the datagram is still queued:
 * udpReceiveStar(s, new Uint8Array(100)); // [count, host, port]
 * ```
 */
export function udpReceiveReadyEvt(s: UdpSocket): UdpReceiveReadyEvt {
  checkSocket("udp-receive-ready-evt", s);
  return new UdpReceiveReadyEvt(s);
}
