import * as net from "node:net";
import {
  ExnBreak,
  ExnFail,
  ExnFailContract,
  currentCustodian,
  custodianManage,
  type Custodian,
} from "@rendezvous/core";
import type { Subscription } from "rxjs";
import { resolveHost, type ResolvedAddress } from "./resolve.js";
import { isPortNumber } from "./predicates.js";
import { makeConnectionPorts, type TcpInputPort, type TcpOutputPort } from "./socket-ports.js";
import { networkError, tcpContract } from "./errors.js";

function ignore(): void {}

/**
 * One connection attempt to `addr`. Settles once: with the connected socket, or with Node's error,
 * an ExnBreak (aborted: the socket is destroyed) or an ExnFail (the custodian was shut down).
 */
function attempt(
  who: string,
  addr: ResolvedAddress,
  port: number,
  local: ResolvedAddress | undefined,
  localPort: number | false,
  signal: AbortSignal | null,
  custodian: Custodian,
): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    let settled = false;
    let reg: Subscription | null = null;
    const sock = net.connect({
      host: addr.address,
      port,
      family: addr.family,
      localAddress: local?.address,
      localPort: localPort === false ? undefined : localPort,
      allowHalfOpen: true,
      noDelay: true,
    });
    // Never an unhandled 'error', whatever happens between here and the ports.
    sock.on("error", ignore);
    const finish = (err: unknown) => {
      if (settled) return;
      settled = true;
      sock.off("connect", onConnect);
      sock.off("error", onError);
      signal?.removeEventListener("abort", onAbort);
      reg?.unsubscribe();
      if (err === null) resolve(sock);
      else {
        sock.destroy();
        reject(err);
      }
    };
    const onConnect = () => finish(null);
    const onError = (err: unknown) => finish(err);
    const onAbort = () => finish(new ExnBreak("user break"));
    sock.once("connect", onConnect);
    sock.once("error", onError);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      // A pending connect belongs to the custodian too: shutting it down abandons the attempt.
      reg = custodianManage(
        who,
        sock,
        () => finish(new ExnFail(`${who}: the custodian has been shut down`)),
        custodian,
      );
    } catch (err) {
      finish(err);
    }
  });
}

async function connect(
  who: string,
  signal: AbortSignal | null,
  host: string,
  port: number,
  localHost: string | false | undefined,
  localPort: number | false | undefined,
): Promise<[TcpInputPort, TcpOutputPort]> {
  if (typeof host !== "string") throw tcpContract(who, "string?", host);
  if (!isPortNumber(port)) throw tcpContract(who, "port-number?", port);
  if (localHost === undefined || localHost === null) localHost = false;
  if (localPort === undefined || localPort === null) localPort = false;
  if (localHost !== false && typeof localHost !== "string")
    throw tcpContract(who, "(or/c string? #f)", localHost);
  if (localPort !== false && !isPortNumber(localPort))
    throw tcpContract(who, "(or/c port-number? #f)", localPort);
  if (localHost !== false && localPort === false)
    throw new ExnFailContract(
      `${who}: no local port number supplied when local hostname was supplied\n  hostname: ${JSON.stringify(localHost)}`,
    );
  const custodian = currentCustodian();
  const breakNow = () => {
    if (signal?.aborted) throw new ExnBreak("user break");
  };
  breakNow();

  let addrs: ResolvedAddress[];
  try {
    addrs = await resolveHost(host);
  } catch (err) {
    breakNow();
    throw networkError(who, "host not found", err, [
      ["hostname", host],
      ["port number", port],
    ]);
  }
  let locals: ResolvedAddress[] | null = null;
  if (localHost !== false) {
    try {
      locals = await resolveHost(localHost);
    } catch (err) {
      breakNow();
      throw networkError(who, "host not found", err, [
        ["hostname", localHost],
        ["port number", localPort],
      ]);
    }
  }
  breakNow();

  // Each address in turn, until one connects (Racket).
  let lastErr: unknown = Object.assign(new Error("no address"), {
    code: "EAFNOSUPPORT",
    errno: -97,
  });
  let sock: net.Socket | null = null;
  for (const addr of addrs) {
    const local = locals?.find((a) => a.family === addr.family);
    if (locals && !local) continue; // no local address of that family
    try {
      sock = await attempt(who, addr, port, local, localPort, signal, custodian);
      break;
    } catch (err) {
      if (err instanceof ExnBreak || err instanceof ExnFail) throw err;
      lastErr = err;
    }
  }
  if (!sock)
    throw networkError(who, "connection failed", lastErr, [
      ["hostname", host],
      ["port number", port],
    ]);
  try {
    return makeConnectionPorts(sock, host, custodian);
  } catch (err) {
    sock.destroy();
    throw err;
  }
}

/**
 * Connects to `host`:`port` (Racket's `tcp-connect`) and resolves with `[in, out]`: reading `in`
 * receives what the server sends, writing `out` (then `flushOutput`) sends to it. If `host`
 * resolves to several addresses they are tried in turn until one connects. `localHost` and
 * `localPort` choose the local end (`localPort` alone: that port on an automatic address).
 *
 * The ports are managed by the current custodian. The output port is block-buffered (with
 * TCP_NODELAY set, as later Racket versions do): call `flushOutput`. Closing it sends FIN while `in`
 * stays readable; {@link tcpAbandonPort} closes it without FIN.
 *
 * @throws `ExnFailContract` (as a rejected promise) on a bad argument, or when `localHost`
 *   is given without `localPort`; `ExnFailNetworkErrno` when the host does not resolve
 *   (`errno: [-2, "gai"]`) or no address accepts the connection (`[111, "posix"]`: refused).
 *
 * @example
 * ```ts
 * import { tcpListen, tcpConnect, tcpAddresses, tcpClose } from "@rendezvous/tcp";
 * import { writeString, flushOutput, closeOutputPort, closeInputPort } from "@rendezvous/core";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * const [, port] = tcpAddresses(l, true);
 * const [inp, out] = await tcpConnect("127.0.0.1", port);
 * await writeString("ping\n", out);
 * await flushOutput(out);
 * await closeOutputPort(out);
 * closeInputPort(inp);
 * tcpClose(l);
 * ```
 */
export function tcpConnect(
  host: string,
  port: number,
  localHost: string | false = false,
  localPort: number | false = false,
): Promise<[TcpInputPort, TcpOutputPort]> {
  return connect("tcp-connect", null, host, port, localHost, localPort);
}

/**
 * Like {@link tcpConnect}, but aborting `signal` breaks the attempt (Racket's
 * `tcp-connect/enable-break`). The promise settles exactly once: with the ports, or with
 * `ExnBreak` — then any connection in progress is destroyed, never leaked. An
 * already-aborted signal breaks at once, before anything is opened.
 *
 * @example
 * ```ts
 * import { tcpConnectEnableBreak } from "@rendezvous/tcp";
 * const ac = new AbortController();
 * const p = tcpConnectEnableBreak(ac.signal, "192.0.2.1", 80); // an unreachable address
 * ac.abort(); // p rejects with ExnBreak; the pending connection is destroyed
 * ```
 */
export function tcpConnectEnableBreak(
  signal: AbortSignal,
  host: string,
  port: number,
  localHost: string | false = false,
  localPort: number | false = false,
): Promise<[TcpInputPort, TcpOutputPort]> {
  if (!(signal instanceof AbortSignal))
    return Promise.reject(tcpContract("tcp-connect/enable-break", "AbortSignal", signal));
  return connect("tcp-connect/enable-break", signal, host, port, localHost, localPort);
}
