// The TCP listener: its listening sockets, the slot of accepted-but-not-yet-taken connections, and
// the waiters of its events (the listener itself and its accept events).
//
// Readiness and commit coincide for an accept: libuv can only tell us a client is waiting by
// accepting it. So each listening socket keeps ONE accepted connection in a slot ("parked") and
// leaves the rest in the kernel backlog: it is armed exactly while its slot is empty. A poll sees
// the slot (so `isTcpAcceptReady`, `syncTimeout(0, …)` and the listener event answer at once), an
// accept takes from it, and a connection arriving while an accept waits is committed to the first
// undecided waiter — or stays parked for the next accept. Nothing is lost, and nothing is taken by
// an event that is not chosen.
//
// While a socket's slot is full its kernel backlog is lowered by one (listen(n - 1)), so that the
// number of clients waiting (slot + kernel queue) is what Racket's listen(n) admits.
import type { Socket } from "node:net";
import type { Subscription } from "rxjs";
import { NOT_READY, PrimitiveEvt, WaiterQueue, atomically } from "@rendezvous/core/protocol";
import type { Candidate, NotReady } from "@rendezvous/core/protocol";
import type { ListenSocket } from "./listen-socket.js";

/** One listening socket and how many of its connections sit in the listener's slot. @internal */
export class ListenSlot {
  ls!: ListenSocket;
  held = 0;
}

/** An accepted connection (or an accept failure) waiting to be taken by an accept. @internal */
export interface Parked {
  readonly from: ListenSlot;
  readonly sock: Socket | null;
  readonly error: unknown;
}

/** What an accept event does with a connection it is committed with. @internal */
export interface AcceptTaker {
  /** The sync result for an accept of `p` (ports, or a RaiseResult). */
  complete(p: Parked): unknown;
  /** The sync result when the listener is closed (a RaiseResult). */
  closedResult(): unknown;
}

/**
 * A TCP listener made by {@link tcpListen} (Racket's TCP listener). It is also an event: ready when
 * an accept would not block or the listener is closed; its synchronization result is the listener
 * itself, and syncing it accepts nothing.
 *
 * Managed by the custodian current at `tcpListen`; implements `Symbol.asyncDispose`
 * (`await using l = await tcpListen(0)` closes it at scope exit, quietly if already closed).
 *
 * @example
 * ```ts
 * import { tcpListen, TcpListener, tcpClose } from "@rendezvous/tcp";
 * import { syncTimeout } from "@rendezvous/core";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * l instanceof TcpListener; // true
 * await syncTimeout(0, l); // false: no client waits
 * tcpClose(l);
 * ```
 */
export class TcpListener extends PrimitiveEvt<TcpListener> {
  /** @internal */ slots: ListenSlot[] = [];
  /** @internal */ readonly parked: Parked[] = [];
  /** @internal */ readonly waiters = new WaiterQueue();
  /** @internal */ closed = false;
  /** @internal */ registration: Subscription | null = null;
  /** @internal */ readonly hostname: string | false;

  /** @internal */
  constructor(
    /** The kernel backlog requested (`maxAllowWait`, capped at 10000 as Racket does). @internal */
    readonly maxAllowWait: number,
    hostname: string | false,
    /** Which listening-socket implementation serves it ("pausable", or the "eager" fallback). */
    readonly implementation: "pausable" | "eager",
  ) {
    super();
    this.hostname = hostname;
  }

  /** @internal The engine's poll: see `PrimitiveEvt`. */
  poll(_c: Candidate): TcpListener | NotReady {
    return this.closed || this.parked.length > 0 ? this : NOT_READY;
  }
  /** @internal */
  block(c: Candidate): void {
    this.waiters.push(c);
  }
  /** @internal */
  abandon(c: Candidate): void {
    this.waiters.remove(c);
  }

  /** Closes the listener if it is open (custodian shutdown, `await using`). */
  async [Symbol.asyncDispose](): Promise<void> {
    this.close();
  }

  /** @internal Starts accepting into the slots (once all sockets are open). */
  start(slots: ListenSlot[]): void {
    this.slots = slots;
    for (const s of slots) s.ls.arm();
  }

  /** @internal A listening socket accepted `sock` (it disarmed itself). */
  arrive(slot: ListenSlot, sock: Socket | null, error: unknown = null): void {
    atomically(() => {
      if (this.closed) {
        sock?.resetAndDestroy();
        return;
      }
      slot.held++;
      if (slot.held === 1 && this.maxAllowWait > 0) slot.ls.setBacklog(this.maxAllowWait - 1);
      this.parked.push({ from: slot, sock, error });
      this.serve();
    });
  }

  /** @internal Takes the oldest parked connection (re-arming its socket), or `null`. */
  take(): Parked | null {
    const p = this.parked.shift();
    if (!p) return null;
    const slot = p.from;
    slot.held--;
    if (slot.held === 0 && !this.closed) {
      if (this.maxAllowWait > 0) slot.ls.setBacklog(this.maxAllowWait);
      slot.ls.arm();
    }
    return p;
  }

  /** Commits waiters, oldest first, while connections are parked. */
  private serve(): void {
    let c: Candidate | null;
    while (this.parked.length > 0 && (c = this.waiters.head)) {
      this.waiters.remove(c);
      if (c.run.done) continue;
      if (c.prim === this) c.commit(this);
      else c.commit((c.prim as unknown as AcceptTaker).complete(this.take()!));
    }
  }

  /**
   * @internal Closes the sockets, resets the parked connections (their clients see a reset, like
   * the kernel-queued ones) and wakes every waiter. Returns `false` if already closed.
   */
  close(): boolean {
    return atomically(() => {
      if (this.closed) return false;
      this.closed = true;
      for (const s of this.slots) s.ls.close();
      for (const p of this.parked.splice(0)) p.sock?.resetAndDestroy();
      let c: Candidate | null;
      while ((c = this.waiters.head)) {
        this.waiters.remove(c);
        if (c.run.done) continue;
        if (c.prim === this) c.commit(this);
        else c.commit((c.prim as unknown as AcceptTaker).closedResult());
      }
      const reg = this.registration;
      this.registration = null;
      reg?.unsubscribe();
      return true;
    });
  }
}
