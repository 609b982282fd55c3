// Summaries of the samples of one (workload, configuration, side).
import { quantile } from "./measure.js";
import type { Sample } from "./types.js";

export interface Summary {
  readonly workload: string;
  readonly config: string;
  readonly side: string;
  readonly racket: boolean;
  readonly unit: string;
  readonly better: "higher" | "lower";
  readonly n: number;
  readonly failed: number;
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** Medians of the secondary metrics, by name. */
  readonly metrics: Readonly<Record<string, number>>;
  /** median ÷ the Racket side's median under the same configuration (null without Racket). */
  ratioToRacket: number | null;
  /** median ÷ the workload's reference side's median (null without one). */
  ratioToRef?: number | null;
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

export function summarize(
  key: {
    workload: string;
    config: string;
    side: string;
    racket: boolean;
    unit: string;
    better: "higher" | "lower";
  },
  samples: readonly Sample[],
  failed: number,
): Summary {
  const values = samples.map((s) => s.value);
  const names = new Set(samples.flatMap((s) => Object.keys(s.metrics ?? {})));
  const metrics: Record<string, number> = {};
  for (const k of names) {
    const xs = samples.map((s) => s.metrics?.[k]).filter((x): x is number => typeof x === "number");
    metrics[k] = median(xs);
  }
  return {
    ...key,
    n: values.length,
    failed,
    median: median(values),
    min: values.length ? Math.min(...values) : NaN,
    max: values.length ? Math.max(...values) : NaN,
    metrics,
    ratioToRacket: null,
  };
}
