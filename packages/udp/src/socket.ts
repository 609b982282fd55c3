// The UDP socket: Racket's state (open, bound, connected, options) kept by us, over a node:dgram
// socket created when the socket first needs an address (an explicit bind, or the implicit one of a
// send or a connect), because Node creates the descriptor only when binding and takes `reuseAddr`
// only when creating.
//
// Every node:dgram call is made synchronous: the sockets get a `lookup` that answers at once (we
// resolve names ourselves, beforehand), so bind, connect and send happen inside the call, Node never
// queues sends behind a pending bind, and a bind failure is reported during the bind call.
import dgram from "node:dgram";
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import type { Subscription } from "rxjs";
import { atomically, NOT_READY, WaiterQueue } from "@rendezvous/core/protocol";
import { Inbox } from "./inbox.js";
import { networkError, socketStateError } from "./errors.js";
import { wildcard } from "./resolve.js";

/** The waiters a socket completes when a datagram arrives or it closes. @internal */
export interface ReceiveWaiter {
  /** The receive's commit: its result, a `RaiseResult`, or `NOT_READY`. */
  complete(): unknown;
}

/** The waiters a socket retries when a send may have become possible. @internal */
export interface SendWaiter {
  /** The send's commit: `undefined` once sent, the event itself, a `RaiseResult`, or `NOT_READY`. */
  attempt(): unknown;
}

/** How a blocking send learns the fate of its datagram: `null` (handed to the kernel) or the error. @internal */
export type SendReport = (err: Error | null) => void;

interface SendRecord {
  readonly who: string;
  readonly report: SendReport | null;
  done: boolean;
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

// Node's sockets call this for every bind, connect and send; every address we pass is numeric.
function numericLookup(address: string, _family: unknown, cb: LookupCallback): void {
  const f = isIP(address);
  if (f === 0)
    cb(
      Object.assign(new Error(`not a numeric address: ${address}`), { code: "EINVAL", errno: -22 }),
      "",
      0,
    );
  else cb(null, address, f);
}

const systemTtls: { 4?: number; 6?: number } = {};

/** The kernel's default unicast TTL (IPv4) or hop limit (IPv6): what a fresh socket has. @internal */
export function systemTtl(family: 4 | 6): number {
  let t = systemTtls[family];
  if (t === undefined) {
    const file =
      family === 4
        ? "/proc/sys/net/ipv4/ip_default_ttl"
        : "/proc/sys/net/ipv6/conf/default/hop_limit";
    try {
      t = Number(readFileSync(file, "latin1").trim());
      if (!(Number.isInteger(t) && t >= 1 && t <= 255)) t = 64;
    } catch {
      t = 64;
    }
    systemTtls[family] = t;
  }
  return t;
}

function noop(): void {}

/**
 * A UDP socket (Racket's `udp?` values), made by {@link udpOpenSocket}. It is not an event: use
 * {@link udpReceiveEvt}, {@link udpSendEvt} and the ready events.
 *
 * Each socket is managed by the custodian current when it was opened, and implements
 * `Symbol.asyncDispose`: `await using s = udpOpenSocket()` closes it at scope exit (unless it is
 * already closed) and waits until its descriptor is released.
 *
 * @example
 * ```ts
 * import { udpOpenSocket, udpBind, udpAddresses } from "@rendezvous/udp";
 * await using s = udpOpenSocket();
 * await udpBind(s, "127.0.0.1", 0);
 * udpAddresses(s, true); // ["127.0.0.1", 54321, "0.0.0.0", 0]
 * ```
 */
export class UdpSocket {
  /** @internal The protocol family, fixed when the socket is opened. */
  readonly family: 4 | 6;
  /** @internal The Node socket, once the socket has an address. */
  node: dgram.Socket | null = null;
  /** @internal */ closed = false;
  /** @internal Racket's flag: set by `udpBind` and by every send, never by `udpConnect`. */
  bound = false;
  /** @internal The peer while connected. */
  peer: { readonly address: string; readonly port: number } | null = null;
  /** @internal Datagrams received and not yet taken. */
  readonly inbox = new Inbox();
  /** @internal Blocked receive and receive-ready waiters, first come first served. */
  readonly receivers = new WaiterQueue();
  /** @internal Blocked send, send-to and send-ready waiters. */
  readonly senders = new WaiterQueue();
  /**
   * @internal A refusal the kernel reported after the send it belongs to had committed (or an ICMP
   * error on a connected socket): the next send raises it, as Linux reports such errors.
   */
  pendingError: unknown = null;
  /** @internal Options, kept here because Node has no getters and no descriptor before a bind. */
  ttl: number;
  /** @internal */ multicastTtl = 1;
  /** @internal */ multicastLoopback = true;
  /** @internal */ multicastInterface: string;
  /** @internal Multicast groups joined, by `group|interface`. */
  readonly memberships = new Map<
    string,
    { readonly group: string; readonly iface: string | undefined }
  >();
  /** @internal The receive buffer size last set with `udpSetReceiveBufferSize`. */
  receiveBufferSize: number | null = null;
  /** @internal The custodian's registration. */
  registration: Subscription | null = null;
  /** @internal The tail of the operations waiting for a name lookup (see {@link serial}). */
  private opTail: Promise<void> | null = null;
  private readonly inflight = new Set<SendRecord>();
  private bindingNode: dgram.Socket | null = null;
  private bindFailure: unknown = null;
  private nodeClosed: Promise<void> = Promise.resolve();

  /** @internal */
  constructor(family: 4 | 6) {
    this.family = family;
    this.ttl = systemTtl(family);
    this.multicastInterface = wildcard(family);
  }

  /** Closes the socket unless it is closed, then waits until its descriptor is released. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (!this.closed) this.shutdown();
    await this.nodeClosed;
  }

  // -- the Node socket ------------------------------------------------------------------------

  /**
   * @internal Creates the Node socket and binds it (synchronously). Returns `null`, or the error
   * that made the bind fail (the Node socket is then discarded, so a later bind starts afresh).
   */
  bindNode(address: string, port: number, reuse: boolean): unknown {
    const node = dgram.createSocket({
      type: this.family === 4 ? "udp4" : "udp6",
      reuseAddr: reuse,
      lookup: numericLookup as never,
    });
    node.on("message", (msg: Buffer, rinfo: dgram.RemoteInfo) => {
      if (node === this.node) this.arrive(msg, rinfo);
    });
    // Always listening for 'error': Node throws an unhandled one.
    node.on("error", (err: Error) => this.nodeError(node, err));
    this.bindingNode = node;
    this.bindFailure = null;
    try {
      node.bind({ address, port, exclusive: true });
    } catch (err) {
      this.bindFailure ??= err;
    } finally {
      this.bindingNode = null;
    }
    const failure = this.bindFailure;
    this.bindFailure = null;
    if (failure !== null) {
      try {
        node.close();
      } catch {
        // already closed
      }
      return failure;
    }
    this.node = node;
    this.nodeClosed = new Promise((resolve) =>
      node.once("close", () => {
        this.nodeGone();
        resolve();
      }),
    );
    return null;
  }

  /**
   * @internal Applies the options set before the socket had a descriptor, and broadcasting (Racket
   * allows it on every UDP socket). A refusal is raised as `who`'s error.
   */
  applyOptions(who: string): void {
    const node = this.node!;
    try {
      node.setBroadcast(true);
      if (this.ttl !== systemTtl(this.family)) node.setTTL(this.ttl);
      if (this.multicastTtl !== 1) node.setMulticastTTL(this.multicastTtl);
      if (!this.multicastLoopback) node.setMulticastLoopback(false);
      if (this.multicastInterface !== wildcard(this.family))
        node.setMulticastInterface(this.multicastInterface);
      for (const m of this.memberships.values()) node.addMembership(m.group, m.iface);
      if (this.receiveBufferSize !== null) node.setRecvBufferSize(this.receiveBufferSize);
    } catch (err) {
      throw networkError(who, "setsockopt failed", err);
    }
  }

  /** @internal The Node socket, bound implicitly (wildcard address, ephemeral port) if need be. */
  ensureNode(who: string, what: string): dgram.Socket {
    if (this.node) return this.node;
    const failure = this.bindNode(wildcard(this.family), 0, false);
    if (failure !== null) throw networkError(who, what, failure);
    this.applyOptions(who);
    return this.node!;
  }

  private nodeError(node: dgram.Socket, err: Error): void {
    if (node === this.bindingNode) {
      this.bindFailure ??= err;
      return;
    }
    if (node !== this.node || this.closed) return;
    // A receive error (an ICMP refusal on a connected socket): the next send reports it.
    atomically(() => {
      this.pendingError = err;
      this.wakeSenders();
    });
  }

  /** Node's close event: every send Node has not reported on by now was never sent. */
  private nodeGone(): void {
    for (const rec of this.inflight) this.settle(rec, "closed");
  }

  // -- receiving ------------------------------------------------------------------------------

  private arrive(msg: Buffer, rinfo: dgram.RemoteInfo): void {
    atomically(() => {
      if (this.closed) return;
      if (this.inbox.offer({ data: msg, address: rinfo.address, port: rinfo.port }))
        this.wakeReceivers();
    });
  }

  /**
   * @internal Completes blocked receivers while datagrams are queued (or all of them once the
   * socket is closed), oldest first. A ready-event waiter takes nothing, so the next one is served too.
   */
  wakeReceivers(): void {
    const q = this.receivers;
    let c;
    while ((c = q.head) && (this.closed || this.inbox.size > 0)) {
      q.remove(c);
      if (c.run.done) continue;
      const r = (c.prim as unknown as ReceiveWaiter).complete();
      if (r !== NOT_READY) c.commit(r);
    }
  }

  // -- sending --------------------------------------------------------------------------------

  /** @internal Whether a send would not wait: Node has no datagram queued behind a full kernel buffer. */
  canSendNow(): boolean {
    return this.node === null || this.node.getSendQueueCount() === 0;
  }

  /**
   * @internal Retries blocked senders; each that can go now commits (sends, or raises). Restarts
   * from the head after a commit, which may have removed other waiters of the same sync.
   */
  wakeSenders(): void {
    const q = this.senders;
    let c = q.head;
    while (c) {
      const next = c.qnext;
      if (c.run.done) {
        q.remove(c);
        c = next;
        continue;
      }
      const r = (c.prim as unknown as SendWaiter).attempt();
      if (r === NOT_READY) {
        c = next;
        continue;
      }
      q.remove(c);
      c.commit(r);
      c = q.head;
    }
  }

  /** @internal The pending kernel error as `who`'s exception, clearing it. */
  takePendingError(who: string): Error {
    const err = this.pendingError;
    this.pendingError = null;
    return networkError(who, "send failed", err);
  }

  /**
   * @internal Hands one datagram to the kernel (binding the socket first if need be): the commit of
   * a send. `address` `null` sends to the connected peer. `report` learns whether the kernel took
   * it; without one, a refusal becomes the socket's pending error.
   */
  send(
    who: string,
    data: Uint8Array,
    address: string | null,
    port: number,
    report: SendReport | null,
  ): void {
    const node = this.ensureNode(who, "send failed");
    this.bound = true;
    const rec: SendRecord = { who, report, done: false };
    this.inflight.add(rec);
    const cb = (err: Error | null) => this.settle(rec, err);
    try {
      if (address === null) node.send(data, cb);
      else node.send(data, port, address, cb);
    } catch (err) {
      rec.done = true;
      this.inflight.delete(rec);
      throw networkError(who, "send failed", err);
    }
  }

  private settle(rec: SendRecord, err: Error | null | "closed"): void {
    if (rec.done) return;
    rec.done = true;
    this.inflight.delete(rec);
    atomically(() => {
      if (err === null) rec.report?.(null);
      else if (
        err === "closed" ||
        (this.closed && (err as NodeJS.ErrnoException).code === "ECANCELED")
      )
        rec.report?.(socketStateError(rec.who, "closed"));
      else if (rec.report) rec.report(networkError(rec.who, "send failed", err));
      else if (!this.closed) this.pendingError = err;
      if (this.senders.size > 0 && !this.closed) this.wakeSenders();
    });
  }

  // -- connecting -----------------------------------------------------------------------------

  /**
   * @internal Connects to `address` (numeric, of the socket's family): Node needs a disconnect before
   * a re-connect. Resolves once connected; rejects with `who`'s "can't connect" error.
   */
  connectTo(who: string, host: string, address: string, port: number): Promise<void> {
    const node = this.ensureNode(who, "can't connect");
    return new Promise<void>((resolve, reject) => {
      atomically(() => {
        this.dropPeer();
        let settled = false;
        node.connect(port, address, (err?: Error) => {
          if (settled) return;
          settled = true;
          if (err)
            reject(
              networkError(who, "can't connect", err, [
                ["address", host],
                ["port number", port],
              ]),
            );
          else resolve();
        });
        // Node decides a connect inside the call; only its report waits for the next tick.
        try {
          const r = node.remoteAddress();
          this.peer = { address: r.address, port: r.port };
          settled = true;
          resolve();
        } catch {
          // not connected: the callback says why
        }
        this.wakeSenders();
      });
    });
  }

  /** @internal Disconnects (a no-op when not connected). */
  disconnect(): void {
    atomically(() => {
      if (!this.peer) return;
      this.dropPeer();
      this.wakeSenders();
    });
  }

  private dropPeer(): void {
    if (!this.peer) return;
    this.peer = null;
    try {
      this.node!.disconnect();
    } catch {
      // Node already thinks so
    }
  }

  // -- closing --------------------------------------------------------------------------------

  /**
   * @internal Closes: queued datagrams are discarded, blocked receivers and senders wake (to raise
   * "udp socket is closed" when chosen; ready events become ready), the custodian lets go.
   */
  shutdown(): void {
    atomically(() => {
      this.closed = true;
      this.inbox.clear();
      this.pendingError = null;
      this.wakeReceivers();
      this.wakeSenders();
    });
    const reg = this.registration;
    this.registration = null;
    reg?.unsubscribe();
    if (this.node) {
      try {
        this.node.close();
      } catch {
        // already closed
      }
    }
  }

  // -- operations that may wait for a name -----------------------------------------------------

  /**
   * @internal Runs an operation with a host argument in call order with the socket's other such
   * operations: `prepare` resolves (synchronously for a numeric address), `apply` acts. With
   * nothing pending and a numeric address, `apply` runs before this returns.
   */
  serial<R, T>(prepare: () => R | Promise<R>, apply: (r: R) => T | Promise<T>): Promise<T> {
    if (this.opTail === null) {
      let r: R | Promise<R>;
      try {
        r = prepare();
        if (!(r instanceof Promise)) return Promise.resolve(apply(r));
      } catch (err) {
        return Promise.reject(err);
      }
      return this.track(r.then(apply));
    }
    return this.track(this.opTail.then(prepare).then(apply));
  }

  private track<T>(p: Promise<T>): Promise<T> {
    const tail: Promise<void> = p.then(noop, noop).then(() => {
      if (this.opTail === tail) this.opTail = null;
    });
    this.opTail = tail;
    return p;
  }
}
