// A TCP connection as a pair of core ports: the input port reads from a net.Socket through a
// ByteSource (paused above the port's high-water mark: backpressure), the output port writes
// through a ByteSink (block-buffered by the port; capacity from the socket's write queue).
//
// Closing follows Racket: closing the output port sends FIN while the input stays readable;
// tcpAbandonPort closes the output without FIN; the socket is released once both ports are closed
// (after the FIN, if one was asked for, has left with the written bytes).
import type { Socket } from "node:net";
import type { Custodian, InputPort, OutputPort } from "@rendezvous/core";
import { makeInputPort, makeOutputPort } from "@rendezvous/core/protocol";
import type {
  ByteSink,
  ByteSource,
  InputPortFeed,
  OutputPortFeed,
} from "@rendezvous/core/protocol";
import { networkError } from "./errors.js";
import { plainAddress } from "./resolve.js";

/** The input port of a TCP connection (an ordinary core input port; see {@link isTcpPort}). */
export type TcpInputPort = InputPort;
/** The output port of a TCP connection (an ordinary core output port; see {@link isTcpPort}). */
export type TcpOutputPort = OutputPort;

/** Unread bytes above which reading from the socket pauses. */
const READ_HIGH_WATER_MARK = 64 * 1024;
/**
 * Bytes queued in the socket (not yet taken by the kernel) up to which the output port may hand it
 * more. Node's own mark (16 KiB) would split every 64 KiB write into four, each waiting for a
 * 'drain'; 'drain' still comes, as Node asks for one once 16 KiB are queued.
 */
const WRITE_HIGH_WATER_MARK = 64 * 1024;

const connections = new WeakMap<object, TcpConnection>();

/** The connection behind a TCP port, or `undefined`. @internal */
export function connectionOf(v: unknown): TcpConnection | undefined {
  return typeof v === "object" && v !== null ? connections.get(v) : undefined;
}

/** One TCP connection: the socket, its two ports and their closing state. @internal */
export class TcpConnection {
  /** Addresses, captured at creation: Node forgets them once the socket is destroyed. */
  readonly localAddress: string;
  readonly localPort: number;
  readonly remoteAddress: string;
  readonly remotePort: number;
  inClosed = false;
  outState: "open" | "ended" | "abandoned" = "open";
  input!: TcpInputPort;
  output!: TcpOutputPort;
  private inFeed: InputPortFeed | null = null;
  private outFeed: OutputPortFeed | null = null;
  private released = false;

  constructor(
    readonly socket: Socket,
    /** The ports' name: the host name for tcpConnect, "tcp-accepted" for accepts. */
    readonly name: string,
    private readonly custodian: Custodian,
  ) {
    this.localAddress = plainAddress(socket.localAddress);
    this.localPort = socket.localPort ?? 0;
    this.remoteAddress = plainAddress(socket.remoteAddress);
    this.remotePort = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    // Errors and their consequences for both ports. A read error also fails the writes, with the
    // EPIPE the kernel gives writes after a reset; a write error fails the reads as it comes.
    socket.on("error", (err: NodeJS.ErrnoException) => {
      this.inFeed?.error(networkError(null, "error reading from stream port", err));
      const writeErr =
        err.syscall === "read" && err.code === "ECONNRESET"
          ? Object.assign(new Error("write EPIPE"), { code: "EPIPE", errno: -32, syscall: "write" })
          : err;
      this.outFeed?.error(networkError(null, "error writing to stream port", writeErr));
    });
  }

  /** The ByteSource of the input port. */
  source(): ByteSource {
    return new ConnectionSource(this);
  }

  /** The ByteSink of the output port. */
  sink(): ByteSink {
    return new ConnectionSink(this);
  }

  /** @internal ByteSource.start */
  startReading(feed: InputPortFeed): void {
    this.inFeed = feed;
    const sock = this.socket;
    sock.on("data", (chunk: Buffer) => {
      // After the input port closed, incoming bytes are discarded (TCP has no "not reading").
      if (!this.inClosed) feed.push(chunk);
    });
    sock.on("end", () => feed.end());
    sock.resume();
  }

  /** @internal ByteSource.close */
  closeInput(): void {
    this.inClosed = true;
    this.inFeed = null;
    if (this.custodianShutDown()) {
      this.released = true;
      this.socket.destroy();
      return;
    }
    this.socket.resume();
    this.maybeRelease();
  }

  /** @internal ByteSink.start */
  startWriting(feed: OutputPortFeed): void {
    this.outFeed = feed;
    this.socket.on("drain", () => feed.ready());
  }

  /** @internal ByteSink.end */
  endOutput(): void {
    this.outFeed = null;
    const sock = this.socket;
    if (this.custodianShutDown()) {
      // A custodian shutdown closes without flushing, as Racket closes the descriptor.
      this.outState = "abandoned";
      this.released = true;
      sock.destroy();
      return;
    }
    this.outState = "ended";
    if (!sock.destroyed && sock.writable) sock.end();
    this.maybeRelease();
  }

  /** The ports close because their custodian is being shut down. */
  private custodianShutDown(): boolean {
    return (this.custodian as unknown as { isShutDown?: boolean }).isShutDown === true;
  }

  /** @internal ByteSink.abandon */
  abandon(): void {
    this.outState = "abandoned";
    this.outFeed = null;
    this.maybeRelease();
  }

  /**
   * Both ports closed: end the connection and release the socket once the bytes already written
   * (and the FIN) have left. An abandoned output sends its FIN only now.
   */
  private maybeRelease(): void {
    if (this.released || !this.inClosed || this.outState === "open") return;
    this.released = true;
    this.socket.destroySoon();
  }
}

// The port's source and sink are small objects whose methods live on a prototype, not closures
// made per connection: an idle connection costs less memory (thousands may be open).

class ConnectionSource implements ByteSource {
  constructor(private readonly conn: TcpConnection) {}
  start(feed: InputPortFeed): void {
    this.conn.startReading(feed);
  }
  pause(): void {
    if (!this.conn.inClosed) this.conn.socket.pause();
  }
  resume(): void {
    this.conn.socket.resume();
  }
  close(): void {
    this.conn.closeInput();
  }
}

class ConnectionSink implements ByteSink {
  constructor(private readonly conn: TcpConnection) {}
  start(feed: OutputPortFeed): void {
    this.conn.startWriting(feed);
  }
  capacity(): number {
    const sock = this.conn.socket;
    return sock.destroyed
      ? 0
      : Math.max(
          0,
          Math.max(WRITE_HIGH_WATER_MARK, sock.writableHighWaterMark) - sock.writableLength,
        );
  }
  write(chunk: Uint8Array, done: (err?: unknown) => void): void {
    const sock = this.conn.socket;
    if (sock.destroyed || !sock.writable) {
      done(networkError(null, "error writing to stream port", epipe()));
      return;
    }
    sock.write(chunk, (err) =>
      done(err ? networkError(null, "error writing to stream port", err) : undefined),
    );
  }
  end(): void {
    this.conn.endOutput();
  }
  abandon(): void {
    this.conn.abandon();
  }
}

function epipe(): NodeJS.ErrnoException {
  return Object.assign(new Error("write EPIPE"), { code: "EPIPE", errno: -32, syscall: "write" });
}

/**
 * Wraps a connected socket as `[in, out]` ports named `name`, managed by `custodian`. Throws (and
 * leaves the socket to the caller) if the custodian has been shut down.
 * @internal
 */
export function makeConnectionPorts(
  socket: Socket,
  name: string,
  custodian: Custodian,
): [TcpInputPort, TcpOutputPort] {
  const conn = new TcpConnection(socket, name, custodian);
  const input = makeInputPort(name, conn.source(), {
    highWaterMark: READ_HIGH_WATER_MARK,
    custodian,
  });
  let output: OutputPort;
  try {
    output = makeOutputPort(name, conn.sink(), { bufferMode: "block", custodian });
  } catch (err) {
    input.close();
    throw err;
  }
  conn.input = input;
  conn.output = output;
  connections.set(input, conn);
  connections.set(output, conn);
  return [input, output];
}
