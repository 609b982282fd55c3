import { TcpListener } from "./listener.js";
import { connectionOf } from "./socket-ports.js";

/**
 * `true` if `v` is a TCP listener made by {@link tcpListen} (Racket's `tcp-listener?`), open or
 * closed.
 *
 * @example
 * ```ts
 * import { tcpListen, isTcpListener, tcpClose } from "@rendezvous/tcp";
 * const l = await tcpListen(0, 4, true, "127.0.0.1");
 * isTcpListener(l); // true
 * tcpClose(l);
 * isTcpListener(l); // still true
 * ```
 */
export function isTcpListener(v: unknown): v is TcpListener {
  return v instanceof TcpListener;
}

/**
 * `true` if `v` is a port made by {@link tcpAccept}, {@link tcpConnect}, their `EnableBreak`
 * variants or {@link tcpAcceptEvt} (Racket's `tcp-port?`), open or closed.
 *
 * @example
 * ```ts
 * import { isTcpPort } from "@rendezvous/tcp";
 * import { makePipe } from "@rendezvous/core";
 * const [pin] = makePipe();
 * isTcpPort(pin); // false
 * ```
 */
export function isTcpPort(v: unknown): boolean {
  return connectionOf(v) !== undefined;
}

/**
 * `true` if `v` is an exact integer from 1 to 65535, a port number one can connect to (Racket's
 * `port-number?`).
 *
 * @example
 * ```ts
 * import { isPortNumber } from "@rendezvous/tcp";
 * isPortNumber(80); // true
 * isPortNumber(0); // false
 * ```
 */
export function isPortNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 1 && v <= 65535;
}

/**
 * `true` if `v` is an exact integer from 0 to 65535, a port number one can listen on, 0 meaning an
 * ephemeral port (Racket's `listen-port-number?`).
 *
 * @example
 * ```ts
 * import { isListenPortNumber } from "@rendezvous/tcp";
 * isListenPortNumber(0); // true
 * isListenPortNumber(65536); // false
 * ```
 */
export function isListenPortNumber(v: unknown): v is number {
  return typeof v === "number" && Number.isInteger(v) && v >= 0 && v <= 65535;
}
