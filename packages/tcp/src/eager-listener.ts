// The fallback listening socket, used only when the pausable listener's self-test fails
// (pausable-listener.ts). Public API only: net.Server accepts eagerly into a user-space queue, and
// the server stops listening while `maxAllowWait` clients wait (the queue plus the one handed to
// the listener), re-listening on the same port when one is taken. Observable difference, documented
// in the README: a client arriving while the listener is full is refused (ECONNREFUSED) instead of
// waiting in SYN-SENT for a slot, and a client still queued when the listener closes sees its
// connection reset — as with the kernel backlog.
import * as net from "node:net";
import type { ResolvedAddress } from "./resolve.js";
import type { ListenSocket, ListenSocketHandlers } from "./listen-socket.js";

function ignore(): void {}

class EagerListenSocket implements ListenSocket {
  private readonly queue: net.Socket[] = [];
  private armed = false;
  /** A socket handed to the listener and not yet taken (the listener re-arms when it is). */
  private held = false;
  private listening = true;
  private closed = false;
  private deliverScheduled = false;
  address = "";
  port = 0;

  constructor(
    private readonly server: net.Server,
    readonly family: 4 | 6,
    private readonly limit: number,
    private readonly handlers: ListenSocketHandlers,
  ) {
    server.on("connection", (s: net.Socket) => this.onConnection(s));
    server.on("error", (err) => this.onError(err));
  }

  arm(): void {
    if (this.closed) return;
    this.armed = true;
    this.held = false;
    if (this.queue.length > 0 && !this.deliverScheduled) {
      // Never call back into the listener from inside arm(): deliver on a later turn.
      this.deliverScheduled = true;
      setImmediate(() => {
        this.deliverScheduled = false;
        if (this.armed && !this.closed && this.queue.length > 0) this.deliver(this.queue.shift()!);
      });
    }
    this.regulate();
  }

  disarm(): void {
    this.armed = false;
  }

  setBacklog(_n: number): void {
    // The user-space queue is the limit here; the kernel backlog only absorbs bursts.
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.armed = false;
    if (this.listening) this.server.close();
    this.listening = false;
    for (const s of this.queue.splice(0)) s.resetAndDestroy();
  }

  private onConnection(s: net.Socket): void {
    s.on("error", ignore);
    if (this.closed) {
      s.resetAndDestroy();
      return;
    }
    if (this.armed) this.deliver(s);
    else this.queue.push(s);
    this.regulate();
  }

  private deliver(s: net.Socket): void {
    this.armed = false;
    this.held = true;
    this.handlers.connection(s);
  }

  private onError(err: unknown): void {
    if (this.closed) return;
    this.listening = this.server.listening;
    this.armed = false;
    this.handlers.error(err);
  }

  /** Stops listening while full; listens again (same port) when there is room. */
  private regulate(): void {
    if (this.closed) return;
    const waiting = this.queue.length + (this.held ? 1 : 0);
    if (waiting >= this.limit && this.listening) {
      this.listening = false;
      this.server.close();
    } else if (waiting < this.limit && !this.listening) {
      this.listening = true;
      this.server.listen({
        host: this.address,
        port: this.port,
        backlog: this.limit,
        ipv6Only: this.family === 6,
      });
    }
  }
}

/**
 * Opens an eager listening socket (the fallback) on `addr`:`port`; at most `max(backlog, 1)`
 * clients wait. Rejects with Node's listen error.
 * @internal
 */
export function openEager(
  addr: ResolvedAddress,
  port: number,
  backlog: number,
  handlers: ListenSocketHandlers,
): Promise<ListenSocket> {
  return new Promise((resolve, reject) => {
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true });
    const onListenError = (err: unknown) => {
      server.close();
      reject(err);
    };
    server.once("error", onListenError);
    server.listen(
      { host: addr.address, port, backlog: Math.max(backlog, 1), ipv6Only: addr.family === 6 },
      () => {
        server.off("error", onListenError);
        const sock = new EagerListenSocket(server, addr.family, Math.max(backlog, 1), handlers);
        const a = server.address() as net.AddressInfo;
        sock.address = a.address;
        sock.port = a.port;
        resolve(sock);
      },
    );
  });
}
