// Helpers of the network workloads' Node sides: the load-generating client process
// (net-client.ts) and a counter that turns event-driven servers into `throughput` batches.
import { spawn, type ChildProcess } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { BENCH_DIR } from "../harness/spawn.js";

/** The client script, also passed to the Racket twins (they start the same client). */
export const NET_CLIENT = fileURLToPath(new URL("./net-client.ts", import.meta.url));

/** A running client process and the lines it prints. */
export interface LoadClient {
  /** The next line the client prints; rejects if it exits first. */
  readonly line: () => Promise<string>;
  /** Kills the client (also done when this process exits). */
  readonly stop: () => void;
}

/**
 * Starts `net-client.ts <mode> <port> <args…>` and waits for its "ready" line. The client also
 * exits by itself when this process ends (its stdin closes) or after its own time cap.
 */
export async function startClient(
  mode: string,
  port: number,
  args: readonly number[],
): Promise<LoadClient> {
  const proc: ChildProcess = spawn(
    process.execPath,
    ["--import", "tsx", NET_CLIENT, mode, String(port), ...args.map(String)],
    { cwd: BENCH_DIR, stdio: ["pipe", "pipe", "inherit"] },
  );
  const stop = (): void => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill("SIGKILL");
  };
  process.once("exit", stop);
  const queue: string[] = [];
  const waiting: { ok: (l: string) => void; fail: (e: Error) => void }[] = [];
  let ended: Error | null = null;
  createInterface({ input: proc.stdout! }).on("line", (l) => {
    const w = waiting.shift();
    if (w) w.ok(l);
    else queue.push(l);
  });
  proc.on("exit", (code, signal) => {
    ended = new Error(`net-client ${mode} exited (${signal ?? code}) before printing a line`);
    for (const w of waiting.splice(0)) w.fail(ended);
  });
  const line = (): Promise<string> =>
    queue.length > 0
      ? Promise.resolve(queue.shift()!)
      : ended
        ? Promise.reject(ended)
        : new Promise((ok, fail) => waiting.push({ ok, fail }));
  const first = await line();
  if (first !== "ready") throw new Error(`net-client ${mode}: expected "ready", got ${first}`);
  return { line, stop };
}

/**
 * Counts events delivered by callbacks ('connection', 'message'); `until(n)` resolves once `n`
 * more have happened. With `throughput`, a batch of `n` operations is `() => counter.until(n)`.
 */
export class Counter {
  private count = 0;
  private target = Infinity;
  private wake: (() => void) | null = null;

  add(): void {
    if (++this.count >= this.target && this.wake) {
      const w = this.wake;
      this.wake = null;
      this.target = Infinity;
      w();
    }
  }

  until(n: number): Promise<void> {
    this.target = this.count + n;
    return new Promise((resolve) => (this.wake = resolve));
  }
}
