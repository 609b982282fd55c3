// Child-side measuring helpers: warm-up, then a measured interval capped in time and count.
import type { Caps, Sample } from "./types.js";

/** Runs `n` operations; may be synchronous or return a promise. */
export type Batch = (n: number) => void | Promise<void>;

// A batch should last a few milliseconds, so the clock is read rarely but the caps are honoured.
const TARGET_BATCH_MS = 5;
const MAX_BATCH = 1 << 20;

/**
 * Measures the throughput of `batch`: grows the batch size during the warm-up until one batch lasts
 * a few milliseconds, then runs batches until `caps.measureMs` elapsed or `caps.maxOps` operations
 * were done. The value is operations per second.
 */
export async function throughput(batch: Batch, caps: Caps): Promise<Sample> {
  let size = 16;
  const warmEnd = performance.now() + caps.warmupMs;
  for (;;) {
    const t0 = performance.now();
    await batch(size);
    const t1 = performance.now();
    if (t1 >= warmEnd) break;
    if (t1 - t0 < TARGET_BATCH_MS && size < MAX_BATCH) size *= 2;
  }
  let ops = 0;
  // CPU time of this process over the measured interval: when a load generator in another process
  // is the bottleneck, wall-clock rates agree but the CPU each operation costs here still differs.
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  let now = start;
  while (now - start < caps.measureMs && ops < caps.maxOps) {
    const n = Math.min(size, caps.maxOps - ops);
    await batch(n);
    ops += n;
    now = performance.now();
  }
  const ms = now - start;
  const cpu = process.cpuUsage(cpu0);
  const cpuUsPerOp = (cpu.user + cpu.system) / ops;
  return { value: (ops * 1000) / ms, metrics: { ops, ms, batch: size, cpuUsPerOp } };
}

/** The `q`-quantile (0..1) of `xs` by linear interpolation; `xs` need not be sorted. */
export function quantile(xs: readonly number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = (s.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo]! + (s[hi]! - s[lo]!) * (pos - lo);
}

/** Lets pending promise reactions and immediates run (e.g. so spawned loops reach their block). */
export function settle(rounds = 3): Promise<void> {
  return new Promise((resolve) => {
    let left = rounds;
    const step = (): void => {
      if (--left <= 0) resolve();
      else setImmediate(step);
    };
    setImmediate(step);
  });
}
