import { atomically, NOT_READY, PrimitiveEvt, RaiseResult } from "@rendezvous/core/protocol";
import type { Candidate, NotReady } from "@rendezvous/core/protocol";
import type { SendReport, UdpSocket } from "./socket.js";
import { checkHost, checkPort, checkRange, checkSocket } from "./checks.js";
import { networkError, posixError, socketStateError } from "./errors.js";
import {
  forFamily,
  literal,
  resolveError,
  resolveFirst,
  resolveNow,
  type Resolved,
} from "./resolve.js";

// The largest UDP payload: 65535 minus the UDP header, minus the IPv4 header for IPv4 (an IPv6
// payload length does not count the IPv6 header). Checked before the commit so that an oversized
// datagram raises when its event is chosen, as Racket's synchronous send does.
function maxPayload(ipv4: boolean): number {
  return ipv4 ? 65507 : 65527;
}

function isIpv4(address: string): boolean {
  return !address.includes(":") || address.startsWith("::ffff:");
}

/** What the send events share: the socket, the bytes and the commit. */
abstract class SendEvtBase extends PrimitiveEvt<void> {
  /** @internal */
  constructor(
    /** The socket it sends from. */
    readonly socket: UdpSocket,
    /** @internal */ readonly bytes: Uint8Array,
    /** @internal */ readonly start: number,
    /** @internal */ readonly end: number,
    /** @internal The Racket name errors carry. */
    readonly who: string,
    /** @internal Set by the blocking sends, to learn what the kernel said. */
    readonly report: SendReport | null,
  ) {
    super();
  }

  /** @internal The engine's poll: see `PrimitiveEvt`. */
  poll(_c: Candidate): void | NotReady {
    return this.attempt() as void | NotReady;
  }
  /** @internal */
  block(c: Candidate): void {
    this.socket.senders.push(c);
  }
  /** @internal */
  abandon(c: Candidate): void {
    this.socket.senders.remove(c);
  }

  /** @internal One attempt: the send (result `undefined`), an error to raise, or `NOT_READY`. */
  abstract attempt(): undefined | RaiseResult | NotReady;

  /** @internal The checks every attempt makes once the destination is known, then the send. */
  protected commitTo(
    address: string | null,
    port: number,
    ipv4: boolean,
    family6: boolean,
  ): undefined | RaiseResult | NotReady {
    const s = this.socket;
    if (s.pendingError !== null) return new RaiseResult(s.takePendingError(this.who));
    if (!s.canSendNow()) return NOT_READY;
    if (s.family === 4 && family6)
      return new RaiseResult(networkError(this.who, "send failed", posixError("EAFNOSUPPORT")));
    if (this.end - this.start > maxPayload(ipv4))
      return new RaiseResult(networkError(this.who, "send failed", posixError("EMSGSIZE")));
    try {
      // A copy: the kernel may get the bytes after the sync has returned them to the caller.
      s.send(this.who, this.bytes.slice(this.start, this.end), address, port, this.report);
    } catch (err) {
      return new RaiseResult(err);
    }
    return undefined;
  }
}

/**
 * The class of the events {@link udpSendEvt} makes: ready when a send would not wait; choosing it
 * sends the datagram to the connected peer.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpSendEvt, UdpSendEvt } from "@rendezvous/udp";
 * udpSendEvt(udpOpenSocket(), new Uint8Array([1])) instanceof UdpSendEvt; // true
 * ```
 */
export class UdpSendEvt extends SendEvtBase {
  /** @internal */
  attempt(): undefined | RaiseResult | NotReady {
    const s = this.socket;
    if (s.closed) return new RaiseResult(socketStateError(this.who, "closed"));
    if (!s.peer) return new RaiseResult(socketStateError(this.who, "not connected"));
    return this.commitTo(null, 0, isIpv4(s.peer.address), false);
  }
}

/**
 * The class of the events {@link udpSendToEvt} makes: ready when a send would not wait (and the
 * host name is resolved); choosing it sends the datagram.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpSendToEvt } from "@rendezvous/udp";
 * const e = udpSendToEvt(udpOpenSocket(), "localhost", 9999, new Uint8Array([1]));
 * [e.host, e.port]; // ["localhost", 9999]
 * ```
 */
export class UdpSendToEvt extends SendEvtBase {
  private target: Resolved | null;
  private failure: Error | null = null;
  private resolving = false;

  /** @internal */
  constructor(
    socket: UdpSocket,
    /** The destination host, as given. */
    readonly host: string,
    /** The destination port. */
    readonly port: number,
    bytes: Uint8Array,
    start: number,
    end: number,
    who: string,
    report: SendReport | null,
  ) {
    super(socket, bytes, start, end, who, report);
    this.target = literal(host);
  }

  /** @internal */
  attempt(): undefined | RaiseResult | NotReady {
    const s = this.socket;
    if (s.closed) return new RaiseResult(socketStateError(this.who, "closed"));
    if (s.peer) return new RaiseResult(socketStateError(this.who, "connected"));
    const t = this.target ?? this.resolved();
    if (t === null) return this.failure ? new RaiseResult(this.failure) : NOT_READY;
    return this.commitTo(forFamily(t, s.family), this.port, t.family === 4, t.family === 6);
  }

  // A host name is resolved when the event is first synchronized (Node cannot resolve at once);
  // until then the event is not ready, and a failure is raised when the event is chosen.
  private resolved(): Resolved | null {
    if (this.failure) return null;
    const known = resolveNow(this.host);
    if (known instanceof Error) {
      this.failure = resolveError(this.who, this.host, this.port, known);
      return null;
    }
    if (known) return (this.target = known);
    if (!this.resolving) {
      this.resolving = true;
      resolveFirst(this.host).then(
        (r) =>
          atomically(() => {
            this.resolving = false;
            this.target = r;
            this.socket.wakeSenders();
          }),
        (err) =>
          atomically(() => {
            this.resolving = false;
            this.failure = resolveError(this.who, this.host, this.port, err);
            this.socket.wakeSenders();
          }),
      );
    }
    return null;
  }
}

/** @internal */
export function sendEvt(
  who: string,
  s: unknown,
  bytes: unknown,
  start: unknown,
  end: unknown,
  report: SendReport | null,
): UdpSendEvt {
  checkSocket(who, s);
  const [b, from, to] = checkRange(who, bytes, start, end);
  return new UdpSendEvt(s, b, from, to, who, report);
}

/** @internal */
export function sendToEvt(
  who: string,
  s: unknown,
  host: unknown,
  port: unknown,
  bytes: unknown,
  start: unknown,
  end: unknown,
  report: SendReport | null,
): UdpSendToEvt {
  checkSocket(who, s);
  const h = checkHost(who, host);
  const p = checkPort(who, port);
  const [b, from, to] = checkRange(who, bytes, start, end);
  return new UdpSendToEvt(s, h, p, b, from, to, who, report);
}

/**
 * An event that is ready when {@link udpSend} on `s` would not wait (Racket's `udp-send-evt`).
 * **If, and only if, it is chosen**, it sends `bytes[start, end)` to the connected peer (binding the
 * socket if need be); its result is `undefined`. An event that loses sends nothing. The bytes are
 * copied when the event is chosen.
 *
 * On a closed or unconnected socket the event is ready and raises `ExnFailNetwork` when chosen.
 * The checks a synchronous send makes — family, size (`EMSGSIZE`), a refusal pending from an
 * earlier datagram — also raise when chosen. A refusal the kernel reports only after the commit is
 * raised by the socket's next send (as Linux reports ICMP errors on connected sockets).
 *
 * @throws `ExnFailContract` at once for a bad argument, or `start`/`end` out of range.
 *
 * @example
 * ```ts
 * import { sync } from "@rendezvous/core";
 * import { udpOpenSocket, udpConnect, udpSendEvt } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * await udpConnect(s, "127.0.0.1", 9999);
 * await sync(udpSendEvt(s, new TextEncoder().encode("ping"))); // sent
 * ```
 */
export function udpSendEvt(
  s: UdpSocket,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): UdpSendEvt {
  return sendEvt("udp-send-evt", s, bytes, start, end, null);
}

/**
 * An event that is ready when {@link udpSendTo} on `s` would not wait (Racket's
 * `udp-send-to-evt`). **If, and only if, it is chosen**, it sends `bytes[start, end)` to
 * `host`/`port` (binding the socket if need be); its result is `undefined`. An event that loses
 * sends nothing.
 *
 * A host name is resolved when the event is first synchronized (Node resolves asynchronously;
 * Racket resolves when the event is made): the event is not ready until then, and a resolution
 * failure (`ExnFailNetworkErrno` with a `"gai"` errno) is raised when the event is chosen. On a
 * closed or connected socket the event is ready and raises `ExnFailNetwork` when chosen; so do the
 * family and size checks. Kernel refusals after the commit: as for {@link udpSendEvt}.
 *
 * @throws `ExnFailContract` at once for a bad argument, or `start`/`end` out of range.
 *
 * @example
 * ```ts
 * import { sync, wrapEvt, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";
 * import { udpOpenSocket, udpSendToEvt } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * const sent = await sync(
 *   wrapEvt(udpSendToEvt(s, "127.0.0.1", 9999, new Uint8Array([1, 2, 3])), () => "sent"),
 *   wrapEvt(alarmEvt(currentInexactMilliseconds() + 1000), () => "gave up"),
 * ); // "sent"
 * ```
 */
export function udpSendToEvt(
  s: UdpSocket,
  host: string,
  port: number,
  bytes: Uint8Array,
  start: number = 0,
  end: number = bytes?.length,
): UdpSendToEvt {
  return sendToEvt("udp-send-to-evt", s, host, port, bytes, start, end, null);
}

/**
 * The class of {@link udpSendReadyEvt}'s events: ready when a send would not wait.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpSendReadyEvt } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * udpSendReadyEvt(s).socket === s; // true
 * ```
 */
export class UdpSendReadyEvt extends PrimitiveEvt<UdpSendReadyEvt> {
  /** @internal */
  constructor(
    /** The socket it watches. */
    readonly socket: UdpSocket,
  ) {
    super();
  }
  /** @internal The engine's poll: see `PrimitiveEvt`. */
  poll(_c: Candidate): UdpSendReadyEvt | NotReady {
    return this.attempt();
  }
  /** @internal */
  block(c: Candidate): void {
    this.socket.senders.push(c);
  }
  /** @internal */
  abandon(c: Candidate): void {
    this.socket.senders.remove(c);
  }
  /** @internal Ready (result: itself) when the send queue is empty or the socket is closed. */
  attempt(): UdpSendReadyEvt | NotReady {
    return this.socket.closed || this.socket.canSendNow() ? this : NOT_READY;
  }
}

/**
 * An event that is ready when a send on `s` would not wait — Node has no datagram of `s` queued
 * behind a full kernel buffer — or `s` is closed (Racket's `udp-send-ready-evt`). Its result is the
 * event itself; it sends nothing. (On Linux loopback a send never waits.)
 *
 * @throws `ExnFailContract` if `s` is not a UDP socket.
 *
 * @example
 * ```ts
 * import { sync } from "@rendezvous/core";
 * import { udpOpenSocket, udpSendReadyEvt } from "@rendezvous/udp";
 * const s = udpOpenSocket();
 * const e = udpSendReadyEvt(s);
 * (await sync(e)) === e; // true
 * ```
 */
export function udpSendReadyEvt(s: UdpSocket): UdpSendReadyEvt {
  checkSocket("udp-send-ready-evt", s);
  return new UdpSendReadyEvt(s);
}
