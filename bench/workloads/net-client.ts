// The load generator of the network workloads: a separate process (so it never shares an event
// loop with the side being measured), the same for every side, Racket's included. Loopback only.
// Usage: node --import tsx bench/workloads/net-client.ts <mode> <port> <args...>
//   accept <port> <in-flight> <max-s>        connect, wait for the server's FIN, reset; repeat
//   hold   <port> <count> <max-s>            open <count> idle connections and keep them
//   echo   <port> <warm-bytes> <bytes> <max-s>  stream bytes, read them back; prints MB/s
//   udp    <port> <size> <max-s>             send <size>-byte datagrams as fast as it can
// It prints "ready" once it has started (hold: once every connection is open). It exits when its
// standard input closes (the server's process ended or killed it), after <max-s> seconds, or when
// its work is done: every loop is bounded in count and in time.
import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";

const HOST = "127.0.0.1";
const [mode, portArg, ...rest] = process.argv.slice(2);
const port = Number(portArg);
const args = rest.map(Number);

function bail(msg: string): never {
  process.stderr.write(`net-client ${mode}: ${msg}\n`);
  process.exit(2);
}

if (!Number.isInteger(port) || port <= 0) bail(`bad port ${portArg}`);
// Nothing is ever written to stdin: its end means the parent is gone (or is done with us).
process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();

function deadline(seconds: number): void {
  setTimeout(() => process.exit(0), seconds * 1000).unref();
}

/**
 * `inFlight` connections at all times: each waits for the server to accept and close it (its FIN),
 * then is reset (RST: no TIME_WAIT on either side, so ports never run out) and replaced. Pacing by
 * the server's close keeps the kernel's backlog from overflowing (a dropped SYN would stall a
 * connection for a second) whatever the server's speed.
 */
function accept(inFlight: number, maxS: number): void {
  deadline(maxS);
  const MAX_CONNECTIONS = 50_000_000;
  let started = 0;
  const open = (): void => {
    if (started++ >= MAX_CONNECTIONS) return;
    const s = connect({ port, host: HOST, noDelay: true });
    s.on("end", () => s.resetAndDestroy());
    s.on("error", () => s.destroy());
    s.on("close", open);
    s.resume();
  };
  for (let i = 0; i < inFlight; i++) open();
  process.stdout.write("ready\n");
}

/** `count` idle connections, at most 64 being set up at once; kept until the parent is done. */
function hold(count: number, maxS: number): void {
  deadline(maxS);
  const held: Socket[] = [];
  let next = 0;
  let connected = 0;
  const open = (): void => {
    if (next >= count) return;
    next++;
    const s = connect({ port, host: HOST });
    s.once("connect", () => {
      held.push(s);
      if (++connected === count) process.stdout.write("ready\n");
      else open();
    });
    s.on("error", (err) => bail(`connection ${held.length}: ${err.message}`));
  };
  for (let i = 0; i < Math.min(64, count); i++) open();
}

/**
 * Streams `warm + bytes` bytes in 64 KiB writes (respecting backpressure) and reads them back.
 * The measured interval runs from the moment `warm` bytes have come back to the moment all have
 * (or `maxS` seconds, then what came back is counted). Prints `{"value": MB/s, ...}`.
 */
function echo(warm: number, bytes: number, maxS: number): void {
  const CHUNK = 64 * 1024;
  const chunk = Buffer.alloc(CHUNK, 0x61);
  const total = warm + bytes;
  const s = connect({ port, host: HOST, noDelay: true });
  let sent = 0;
  let back = 0;
  let t0 = 0;
  let done = false;
  const finish = (): void => {
    if (done) return;
    done = true;
    const ms = performance.now() - t0;
    const measured = Math.max(0, back - warm);
    process.stdout.write(
      JSON.stringify({
        value: t0 > 0 ? measured / 1e6 / (ms / 1000) : 0,
        metrics: { bytes: measured, ms, complete: back >= total ? 1 : 0 },
      }) + "\n",
    );
    s.destroy();
    process.exit(0);
  };
  setTimeout(finish, maxS * 1000).unref();
  const pump = (): void => {
    while (sent < total) {
      const n = Math.min(CHUNK, total - sent);
      sent += n;
      if (!s.write(n === CHUNK ? chunk : chunk.subarray(0, n))) return void s.once("drain", pump);
    }
    s.end(); // the server sees eof once it has read everything
  };
  s.on("connect", () => {
    process.stdout.write("ready\n");
    pump();
  });
  s.on("data", (d: Buffer) => {
    const before = back;
    back += d.length;
    if (before < warm && back >= warm) t0 = performance.now();
    if (back >= total) finish();
  });
  s.on("error", (err) => bail(err.message));
}

/**
 * Sends `size`-byte datagrams as fast as it can: bursts of 64 synchronous-when-possible sends, then
 * a turn of the event loop (so send callbacks and the stdin/deadline checks get to run).
 */
function udp(size: number, maxS: number): void {
  deadline(maxS);
  const MAX_DATAGRAMS = 500_000_000;
  const s = createSocket("udp4");
  const payload = Buffer.alloc(size, 0x62);
  let sent = 0;
  let outstanding = 0;
  const done = (): void => void outstanding--;
  const burst = (): void => {
    for (let i = 0; i < 64 && outstanding < 256 && sent < MAX_DATAGRAMS; i++) {
      outstanding++;
      sent++;
      s.send(payload, done);
    }
    if (sent < MAX_DATAGRAMS) setImmediate(burst);
  };
  s.on("error", (err) => bail(err.message));
  // Connected: each send skips the address lookup (the sender should outrun the receiver).
  s.connect(port, HOST, () => {
    process.stdout.write("ready\n");
    burst();
  });
}

switch (mode) {
  case "accept":
    accept(args[0] ?? 64, args[1] ?? 30);
    break;
  case "hold":
    hold(args[0] ?? 2000, args[1] ?? 60);
    break;
  case "echo":
    echo(args[0] ?? 0, args[1] ?? 0, args[2] ?? 30);
    break;
  case "udp":
    udp(args[0] ?? 64, args[1] ?? 30);
    break;
  default:
    bail("mode must be accept, hold, echo or udp");
}
