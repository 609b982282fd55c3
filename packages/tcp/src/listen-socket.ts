// One listening socket of a TCP listener (a listener has one per resolved address), behind a small
// interface with two implementations: the pausable listener (connections wait in the kernel
// backlog until armed; pausable-listener.ts) and, if its self-test fails, the eager fallback
// (eager-listener.ts). The listener above only arms, disarms, adjusts the backlog and closes.
import type { Socket } from "node:net";
import type { ResolvedAddress } from "./resolve.js";
import { openPausable, pausableSelfTest, type SelfTestResult } from "./pausable-listener.js";
import { openEager } from "./eager-listener.js";

/** What a listening socket reports to its listener. @internal */
export interface ListenSocketHandlers {
  /** A connection was accepted (at most one per `arm()`); the socket is paused. */
  connection(sock: Socket): void;
  /** Accepting failed (the OS refused an `accept`); the socket is disarmed. */
  error(err: unknown): void;
}

/** One listening socket. Created disarmed. @internal */
export interface ListenSocket {
  /** The bound address and port. */
  readonly address: string;
  readonly port: number;
  readonly family: 4 | 6;
  /** Accept at most one connection (the next `connection` call), then disarm by itself. */
  arm(): void;
  /** Accept nothing until the next `arm()`. */
  disarm(): void;
  /** Sets the kernel's backlog (`listen(fd, n)`) without changing whether the socket is armed. */
  setBacklog(n: number): void;
  /** Stops listening: the kernel resets the connections still queued. Idempotent. */
  close(): void;
}

/** Opens a listening socket; rejects with Node's error (bind or listen failure). @internal */
export type ListenSocketOpener = (
  addr: ResolvedAddress,
  port: number,
  backlog: number,
  handlers: ListenSocketHandlers,
) => Promise<ListenSocket>;

/** Which implementation listeners use: decided by the self-test, or forced (tests). @internal */
export type ListenStrategy = "auto" | "pausable" | "eager";

let strategy: ListenStrategy = "auto";

/**
 * Forces the implementation for listeners created from now on (`"auto"`: the pausable listener if
 * its self-test passes). For tests of the fallback.
 * @internal
 */
export function setListenStrategy(s: ListenStrategy): void {
  strategy = s;
}

/** The opener to use now, running the pausable listener's self-test at first use. @internal */
export async function listenSocketOpener(): Promise<{
  kind: "pausable" | "eager";
  open: ListenSocketOpener;
}> {
  if (strategy === "eager") return { kind: "eager", open: openEager };
  if (strategy === "pausable") return { kind: "pausable", open: openPausable };
  const t: SelfTestResult = await pausableSelfTest();
  return t.ok ? { kind: "pausable", open: openPausable } : { kind: "eager", open: openEager };
}
