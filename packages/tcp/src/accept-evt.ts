import { currentCustodian, type Custodian } from "@rendezvous/core";
import { NOT_READY, PrimitiveEvt, RaiseResult } from "@rendezvous/core/protocol";
import type { Candidate, NotReady } from "@rendezvous/core/protocol";
import { TcpListener, type Parked } from "./listener.js";
import { makeConnectionPorts, type TcpInputPort, type TcpOutputPort } from "./socket-ports.js";
import { listenerClosed, networkError, tcpContract } from "./errors.js";

/**
 * The class of the events {@link tcpAcceptEvt} makes: ready when a client waits (or the listener
 * is closed); choosing it accepts that client, and its result is `[in, out]`.
 *
 * @example
 * ```ts
 * import { tcpListen, tcpAcceptEvt, TcpAcceptEvt, tcpClose } from "@rendezvous/tcp";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * tcpAcceptEvt(l) instanceof TcpAcceptEvt; // true
 * tcpClose(l);
 * ```
 */
// Implements the listener's AcceptTaker (complete, closedResult) structurally: that interface is
// internal and must not show in the public type.
export class TcpAcceptEvt extends PrimitiveEvt<[TcpInputPort, TcpOutputPort]> {
  /** @internal */
  constructor(
    /** The listener it accepts from. */
    readonly listener: TcpListener,
    /** @internal The Racket name errors carry. */
    readonly who: string,
    /** @internal The custodian that will manage the accepted ports. */
    readonly custodian: Custodian,
  ) {
    super();
  }

  /** @internal The engine's poll: see `PrimitiveEvt`. */
  poll(_c: Candidate): [TcpInputPort, TcpOutputPort] | NotReady {
    const l = this.listener;
    // A RaiseResult stands in for the result: the sync raises it when this event is chosen.
    if (l.closed) return this.closedResult() as never;
    const p = l.take();
    return p ? (this.complete(p) as [TcpInputPort, TcpOutputPort]) : NOT_READY;
  }
  /** @internal */
  block(c: Candidate): void {
    this.listener.waiters.push(c);
  }
  /** @internal */
  abandon(c: Candidate): void {
    this.listener.waiters.remove(c);
  }

  /** @internal The commit of an accept: the connection becomes a pair of ports. */
  complete(p: Parked): [TcpInputPort, TcpOutputPort] | RaiseResult {
    if (!p.sock)
      return new RaiseResult(networkError(this.who, "accept from listener failed", p.error));
    try {
      return makeConnectionPorts(p.sock, "tcp-accepted", this.custodian);
    } catch (err) {
      // The custodian was shut down: the connection cannot be managed, so it is closed.
      p.sock.destroy();
      return new RaiseResult(err);
    }
  }

  /** @internal */
  closedResult(): RaiseResult {
    return new RaiseResult(listenerClosed(this.who));
  }
}

/** @internal */
export function acceptEvt(who: string, listener: unknown, custodian: Custodian): TcpAcceptEvt {
  if (!(listener instanceof TcpListener)) throw tcpContract(who, "tcp-listener?", listener);
  return new TcpAcceptEvt(listener, who, custodian);
}

/**
 * An event that is ready when {@link tcpAccept} on `listener` would not block (Racket's
 * `tcp-accept-evt`). Choosing it accepts one client, and its synchronization result is
 * `[in, out]`, the connection's ports. **The accept happens iff the event is chosen**: an accept
 * event that loses to another event (an alarm, a channel) accepts nothing, and the client stays
 * queued for a later accept. Two accept events on one listener in one sync consume one client.
 *
 * The ports are managed by the custodian current when `tcpAcceptEvt` is called (as Racket
 * documents). On a closed listener the event is ready, and choosing it raises
 * `ExnFailContract` `"tcp-accept-evt: listener is closed"`.
 *
 * @throws `ExnFailContract` at once if `listener` is not a TCP listener.
 *
 * @example
 * ```ts
 * import { tcpListen, tcpAcceptEvt, tcpConnect, tcpClose } from "@rendezvous/tcp";
 * import { sync, wrapEvt, alarmEvt, currentInexactMilliseconds } from "@rendezvous/core";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * const r = await sync(
 *   wrapEvt(tcpAcceptEvt(l), ([inp, out]) => ({ inp, out })),
 *   wrapEvt(alarmEvt(currentInexactMilliseconds() + 100), () => "nobody came"),
 * ); // "nobody came": the losing accept event accepted nothing
 * tcpClose(l);
 * ```
 */
export function tcpAcceptEvt(listener: TcpListener): TcpAcceptEvt {
  return acceptEvt("tcp-accept-evt", listener, currentCustodian());
}
