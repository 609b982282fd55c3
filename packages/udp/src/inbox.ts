// A socket's receive queue in user space: Node reads every datagram as it arrives (a dgram socket
// cannot be paused), so datagrams wait here until a receive commits. The queue is bounded like the
// kernel's receive buffer: each datagram is charged its length plus a fixed overhead, and a datagram
// that does not fit is dropped and counted, as Linux drops and counts on a full socket buffer.
import { readFileSync } from "node:fs";

/** One received datagram. @internal */
export interface Datagram {
  readonly data: Uint8Array;
  readonly address: string;
  readonly port: number;
}

/** Bytes charged per datagram on top of its payload, standing for the kernel's per-packet overhead. @internal */
export const DATAGRAM_OVERHEAD = 256;
/** Linux's floor for a socket's receive buffer (SOCK_MIN_RCVBUF, for 4 KiB pages). @internal */
export const MIN_BUFFER = 2304;

let defaultLimit: number | null = null;

/** The system's default receive buffer (`net.core.rmem_default`), 212992 bytes if unreadable. @internal */
export function defaultBufferSize(): number {
  if (defaultLimit === null) {
    try {
      const n = Number(readFileSync("/proc/sys/net/core/rmem_default", "latin1").trim());
      defaultLimit = Number.isSafeInteger(n) && n >= MIN_BUFFER ? n : 212992;
    } catch {
      defaultLimit = 212992;
    }
  }
  return defaultLimit;
}

/** A bounded FIFO of datagrams that counts what it drops. @internal */
export class Inbox {
  private items: (Datagram | undefined)[] = [];
  private head = 0;
  /** Bytes charged by the queued datagrams. */
  charged = 0;
  /** Datagrams dropped because the queue was full. */
  dropped = 0;

  constructor(
    /** The most bytes the queued datagrams may be charged. */
    public limit: number = defaultBufferSize(),
  ) {}

  /** The number of queued datagrams. */
  get size(): number {
    return this.items.length - this.head;
  }

  /** Queues `d`, or drops and counts it if it does not fit. Returns whether it was queued. */
  offer(d: Datagram): boolean {
    const cost = d.data.length + DATAGRAM_OVERHEAD;
    if (this.charged + cost > this.limit) {
      this.dropped++;
      return false;
    }
    this.charged += cost;
    this.items.push(d);
    return true;
  }

  /** Removes and returns the oldest datagram. */
  shift(): Datagram | undefined {
    if (this.head >= this.items.length) return undefined;
    const d = this.items[this.head]!;
    this.items[this.head++] = undefined;
    this.charged -= d.data.length + DATAGRAM_OVERHEAD;
    // Compact once the consumed prefix dominates, so a long-lived queue stays small.
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return d;
  }

  /** Discards every queued datagram (a close); they are not counted as dropped. */
  clear(): void {
    this.items = [];
    this.head = 0;
    this.charged = 0;
  }
}
