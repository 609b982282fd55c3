// The "pausable listener": a listening socket whose clients wait in the KERNEL backlog until we
// ask for one, so `maxAllowWait` limits them as in Racket (node-feasibility.md §2.5).
//
// Node's net.Server accepts eagerly: libuv's accept watcher calls accept() whenever the listening
// fd is readable. We build the server on our own tcp_wrap handle instead, bound and then open()-ed
// on its own fd (that sets the handle readable, so readStart()/readStop() work on it), and switch
// the accept watcher on for exactly one connection at a time:
//   arm      → handle.readStart()
//   accepted → handle.readStop() first thing in the 'connection' handler (libuv stops accepting)
//   backlog  → handle.listen(n) (the positional backlog; 0 would become 511 in net.Server.listen),
//              which restarts the watcher, so it is followed by readStart/readStop as needed.
// These are undocumented internals (process.binding('tcp_wrap')), identical on Node 20–26. They
// live in this file only, behind a self-test run at first use; if it fails, listeners fall back to
// eager-listener.ts (documented in the package README).
import * as net from "node:net";
import { getSystemErrorName } from "node:util";
import type { ResolvedAddress } from "./resolve.js";
import type { ListenSocket, ListenSocketHandlers } from "./listen-socket.js";

/** The subset of Node's internal TCPWrap used here. */
interface TcpWrapHandle {
  readonly fd: number;
  bind(ip: string, port: number): number;
  bind6(ip: string, port: number, flags: number): number;
  open(fd: number): number;
  listen(backlog: number): number;
  readStart(): number;
  readStop(): number;
  close(cb?: () => void): void;
}
interface TcpWrapBinding {
  TCP: new (type: number) => TcpWrapHandle;
  constants: { SERVER: number };
}

const UV_TCP_IPV6ONLY = 1;

let binding: TcpWrapBinding | null | undefined;
function tcpWrap(): TcpWrapBinding | null {
  if (binding !== undefined) return binding;
  try {
    const b = (process as unknown as { binding?: (n: string) => unknown }).binding?.("tcp_wrap") as
      Partial<TcpWrapBinding> | undefined;
    binding =
      b && typeof b.TCP === "function" && typeof b.constants?.SERVER === "number"
        ? (b as TcpWrapBinding)
        : null;
  } catch {
    binding = null;
  }
  return binding;
}

function uvError(
  rc: number,
  syscall: string,
  address: string,
  port: number,
): NodeJS.ErrnoException {
  let code: string;
  try {
    code = getSystemErrorName(rc);
  } catch {
    code = `E${-rc}`;
  }
  const e: NodeJS.ErrnoException = new Error(`${syscall} ${code} ${address}:${port}`);
  e.errno = rc;
  e.code = code;
  e.syscall = syscall;
  return e;
}

class PausableListenSocket implements ListenSocket {
  private armed = false;
  private closed = false;
  address = "";
  port = 0;

  constructor(
    private readonly handle: TcpWrapHandle,
    private readonly server: net.Server,
    readonly family: 4 | 6,
    private readonly handlers: ListenSocketHandlers,
  ) {}

  /** @internal the return code of the last readStart (0 when the watcher could be armed). */
  lastArmCode = 0;

  arm(): void {
    if (this.closed || this.armed) return;
    this.armed = true;
    this.lastArmCode = this.handle.readStart();
  }

  disarm(): void {
    if (this.closed || !this.armed) return;
    this.armed = false;
    this.handle.readStop();
  }

  setBacklog(n: number): void {
    if (this.closed) return;
    // listen() restarts the watcher without libuv's "reading" flag; readStart sets the flag (it
    // may answer EALREADY when armed) so that a readStop can really stop it.
    this.handle.listen(n);
    this.handle.readStart();
    if (!this.armed) this.handle.readStop();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.armed = false;
    this.server.close();
  }

  /** The 'connection' handler: stop the watcher before anything else (one accept per arm). */
  onConnection(sock: net.Socket): void {
    this.armed = false;
    if (!this.closed) this.handle.readStop();
    // A parked socket must never emit an unhandled 'error'; the ports take over later.
    sock.on("error", ignore);
    if (this.closed) {
      sock.resetAndDestroy();
      return;
    }
    this.handlers.connection(sock);
  }

  onError(err: unknown): void {
    if (this.closed) return;
    this.disarm();
    this.handlers.error(err);
  }
}

function ignore(): void {}

/**
 * Opens a pausable listening socket on `addr`:`port` with kernel backlog `backlog`, disarmed.
 * IPv6 sockets are IPv6-only, as Racket makes them. Rejects with Node's bind/listen error.
 * @internal
 */
export function openPausable(
  addr: ResolvedAddress,
  port: number,
  backlog: number,
  handlers: ListenSocketHandlers,
): Promise<ListenSocket> {
  const b = tcpWrap();
  if (!b) return Promise.reject(new Error("tcp_wrap binding unavailable"));
  const handle = new b.TCP(b.constants.SERVER);
  let rc =
    addr.family === 6
      ? handle.bind6(addr.address, port, UV_TCP_IPV6ONLY)
      : handle.bind(addr.address, port);
  let syscall = "bind";
  if (rc === 0) {
    syscall = "open";
    rc = handle.open(handle.fd);
  }
  if (rc !== 0) {
    handle.close();
    return Promise.reject(uvError(rc, syscall, addr.address, port));
  }
  return new Promise((resolve, reject) => {
    let sock: PausableListenSocket | null = null;
    const server = net.createServer({ pauseOnConnect: true, allowHalfOpen: true }, (s) =>
      sock ? sock.onConnection(s) : s.resetAndDestroy(),
    );
    const onListenError = (err: unknown) => reject(err);
    server.once("error", onListenError);
    server.listen(handle as unknown as net.ListenOptions, Math.max(backlog, 1), () => {
      server.off("error", onListenError);
      server.on("error", (err) => sock?.onError(err));
      const a = server.address() as net.AddressInfo;
      sock!.address = a.address;
      sock!.port = a.port;
      resolve(sock!);
    });
    if (!server.listening) return; // the listen failed; Node closed the handle, 'error' follows
    sock = new PausableListenSocket(handle, server, addr.family, handlers);
    // net.Server.listen armed the watcher; set the real backlog and disarm in the same step, so
    // no connection is accepted before anyone asks.
    sock.setBacklog(backlog);
  });
}

/** The outcome of the pausable listener's self-test. @internal */
export interface SelfTestResult {
  readonly ok: boolean;
  /** What was checked, or why it failed. */
  readonly detail: string;
}

let selfTest: Promise<SelfTestResult> | null = null;

/**
 * Runs (once per process; later calls share the result) the pausable listener's self-test on a
 * loopback address: the watcher can be armed (`readStart` answers 0), connected clients stay in the
 * kernel backlog while disarmed, each arm accepts exactly one, and changing the backlog leaves the
 * socket disarmed.
 * @internal
 */
export function pausableSelfTest(): Promise<SelfTestResult> {
  return (selfTest ??= runSelfTest());
}

const turns = (n: number) =>
  new Promise<void>((r) => {
    const step = (k: number) => (k === 0 ? r() : setImmediate(step, k - 1));
    step(n);
  });
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(cond: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) return false;
    await sleep(2);
  }
  return true;
}

async function runSelfTest(): Promise<SelfTestResult> {
  if (!tcpWrap()) return { ok: false, detail: "process.binding('tcp_wrap') is unavailable" };
  const accepted: net.Socket[] = [];
  // A function, not `accepted.length`: TypeScript would narrow the length across the awaits.
  const count = () => accepted.length;
  const clients: net.Socket[] = [];
  let ls: PausableListenSocket | null = null;
  const handlers: ListenSocketHandlers = {
    connection: (s) => accepted.push(s),
    error: () => {},
  };
  try {
    let host = "127.0.0.1";
    try {
      ls = (await openPausable(
        { address: host, family: 4 },
        0,
        4,
        handlers,
      )) as PausableListenSocket;
    } catch {
      host = "::1";
      ls = (await openPausable(
        { address: host, family: 6 },
        0,
        4,
        handlers,
      )) as PausableListenSocket;
    }
    const port = ls.port;
    let connected = 0;
    for (let i = 0; i < 3; i++) {
      const c = net.connect({ host, port });
      c.on("error", ignore);
      c.on("connect", () => connected++);
      clients.push(c);
    }
    if (!(await until(() => connected === 3, 2000)))
      return { ok: false, detail: "loopback clients did not connect to a disarmed listener" };
    await turns(3);
    await sleep(10);
    if (count() !== 0) return { ok: false, detail: `accepted ${count()} while disarmed` };
    ls.arm();
    if (ls.lastArmCode !== 0)
      return { ok: false, detail: `readStart() returned ${ls.lastArmCode}` };
    if (!(await until(() => count() > 0, 2000)))
      return { ok: false, detail: "nothing accepted after arming" };
    await turns(3);
    await sleep(10);
    if (count() !== 1) return { ok: false, detail: `one arm accepted ${count()} connections` };
    ls.setBacklog(2);
    await turns(3);
    await sleep(10);
    if (count() !== 1) return { ok: false, detail: "changing the backlog re-armed the listener" };
    ls.arm();
    if (!(await until(() => count() > 1, 2000)))
      return { ok: false, detail: "nothing accepted after re-arming" };
    await turns(3);
    if (count() !== 2) return { ok: false, detail: `a re-arm accepted ${count() - 1} connections` };
    return { ok: true, detail: `one accept per arm, none while disarmed (${host})` };
  } catch (err) {
    return { ok: false, detail: `self-test failed: ${(err as Error).message}` };
  } finally {
    for (const c of clients) c.destroy();
    for (const s of accepted) s.destroy();
    ls?.close();
  }
}
