import { currentCustodian, custodianManage } from "@rendezvous/core";
import { listenSocketOpener, type ListenSocket } from "./listen-socket.js";
import { ListenSlot, TcpListener } from "./listener.js";
import { resolveHost, type ResolvedAddress } from "./resolve.js";
import { isListenPortNumber } from "./predicates.js";
import { networkError, tcpContract } from "./errors.js";

/** Racket caps the backlog it asks for at 10000. */
const MAX_ALLOW_WAIT_CAP = 10000;
/** An ephemeral port free on the first address may be taken on another: retry a few times. */
const EPHEMERAL_RETRIES = 5;

/** Without a host name, listen on every IPv4 and every IPv6 address, one socket each, as Racket. */
const ANY_ADDRESS: readonly ResolvedAddress[] = [
  { address: "0.0.0.0", family: 4 },
  { address: "::", family: 6 },
];

function isExactNonnegativeInteger(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}

/** IPv6 unsupported on this host: Racket ignores the IPv6 addresses then. */
function ipv6Unsupported(addr: ResolvedAddress, err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return addr.family === 6 && (code === "EAFNOSUPPORT" || code === "EPROTONOSUPPORT");
}

/**
 * Creates a TCP listener on `port` of the local machine (Racket's `tcp-listen`). Port `0` binds an
 * ephemeral port, which {@link tcpAddresses} reports.
 *
 * - `maxAllowWait` (default 4): how many clients may wait for acceptance. They wait in the
 *   **kernel's** backlog (Node's eager accept is switched off): when it is full, further clients'
 *   connection attempts stay pending (SYN retransmits) until an accept frees a slot. As with
 *   Racket on Linux, the kernel admits `maxAllowWait + 1`. Capped at 10000.
 * - `reuse`: sets SO_REUSEADDR (libuv sets it on every listening socket on Unix anyway; see the
 *   mapping table).
 * - `hostname` (default `false`: every local address): listen only on the addresses `hostname`
 *   resolves to — one socket per address, IPv6 ones IPv6-only, all on the same port.
 *
 * The listener is managed by the current custodian.
 *
 * @throws `ExnFailContract` (as a rejected promise) on a bad argument;
 *   `ExnFailNetworkErrno` if the host name does not resolve (`errno: [-2, "gai"]`) or the
 *   port cannot be listened on (`[98, "posix"]`: address in use).
 *
 * @example
 * ```ts
 * import { tcpListen, tcpAddresses, tcpClose } from "@rendezvous/tcp";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * const [host, port] = tcpAddresses(l, true); // "127.0.0.1", e.g. 40123
 * tcpClose(l);
 * ```
 */
export async function tcpListen(
  port: number,
  maxAllowWait: number = 4,
  reuse: unknown = false,
  hostname: string | false = false,
): Promise<TcpListener> {
  if (!isListenPortNumber(port)) throw tcpContract("tcp-listen", "listen-port-number?", port);
  if (!isExactNonnegativeInteger(maxAllowWait))
    throw tcpContract("tcp-listen", "exact-nonnegative-integer?", maxAllowWait);
  if (hostname === undefined || hostname === null) hostname = false;
  if (hostname !== false && typeof hostname !== "string")
    throw tcpContract("tcp-listen", "(or/c string? #f)", hostname);
  void reuse; // always in effect: see above
  const backlog = Math.min(maxAllowWait, MAX_ALLOW_WAIT_CAP);
  const custodian = currentCustodian();
  const fields = (p: number): [string, unknown][] =>
    hostname === false
      ? [["port number", p]]
      : [
          ["hostname", hostname],
          ["port number", p],
        ];

  let addrs: readonly ResolvedAddress[] = ANY_ADDRESS;
  if (hostname !== false) {
    try {
      addrs = await resolveHost(hostname);
    } catch (err) {
      throw networkError("tcp-listen", "address-resolution error", err, fields(port));
    }
  }

  const { kind, open } = await listenSocketOpener();
  const listener = new TcpListener(backlog, hostname, kind);
  let lastErr: unknown = null;
  for (let attempt = 0; attempt < (port === 0 ? EPHEMERAL_RETRIES : 1); attempt++) {
    const slots: ListenSlot[] = [];
    let p = port;
    lastErr = null;
    let retryable = false;
    for (const addr of addrs) {
      const slot = new ListenSlot();
      let ls: ListenSocket;
      try {
        ls = await open(addr, p, backlog, {
          connection: (sock) => listener.arrive(slot, sock),
          error: (err) => listener.arrive(slot, null, err),
        });
      } catch (err) {
        if (ipv6Unsupported(addr, err)) continue;
        lastErr = err;
        // Port 0 gave the first socket a port that is taken on a later address: try again.
        retryable = port === 0 && slots.length > 0;
        break;
      }
      slot.ls = ls;
      slots.push(slot);
      if (p === 0) p = ls.port;
    }
    if (lastErr === null && slots.length === 0)
      lastErr = Object.assign(new Error("no usable address"), { code: "EAFNOSUPPORT", errno: -97 });
    if (lastErr === null) {
      try {
        listener.registration = custodianManage(
          "tcp-listen",
          listener,
          () => listener.close(),
          custodian,
        );
      } catch (err) {
        for (const s of slots) s.ls.close();
        throw err;
      }
      listener.start(slots);
      return listener;
    }
    for (const s of slots) s.ls.close();
    if (!retryable) break;
  }
  throw networkError("tcp-listen", "listen failed", lastErr, fields(port));
}
