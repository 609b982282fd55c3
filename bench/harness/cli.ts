// Command-line options of `npm run bench -- …`.
import { parseArgs } from "node:util";
import type { Caps } from "./types.js";

export interface Options {
  /** Substrings; a (workload, configuration) runs if "<workload> <config>" contains any of them. */
  readonly only: readonly string[];
  /** Substrings; a side runs if its name contains any of them (empty: every side). */
  readonly sides: readonly string[];
  readonly quick: boolean;
  readonly rounds: number;
  readonly racket: boolean;
  /** Stop starting new rounds (beyond the first) once the whole run has taken this long. */
  readonly budgetMs: number;
  /** A child that takes longer than this is killed and its sample recorded as failed. */
  readonly sampleTimeoutMs: number;
  readonly caps: Caps;
  readonly list: boolean;
  readonly help: boolean;
  /** Only render the charts of this results file (docs/bench/*.svg), run nothing. */
  readonly chartsOnly: string | null;
}

export const USAGE = `usage: npm run bench -- [options]
  --only <a,b>     run only workloads/configurations whose "<name> <config>" contains a or b
                   (e.g. --only ping-pong, --only "fan-in N=100")
  --side <a,b>     run only sides whose name contains a or b (e.g. --side rendezvous,racket)
  --quick          smoke check: 1 round, short samples, fewer configurations (under a minute)
  --rounds <n>     rounds per configuration (default 5, quick 1; alarms and memory at most 3);
                   sides alternate within a round, the first side changes every round
  --warmup <ms>    warm-up per sample (default 300, quick 150)
  --measure <ms>   measured time per sample (default 600, quick 150)
  --max-ops <n>    operation cap per sample (default 50000000)
  --budget <s>     no new round after this many seconds (default 420); the first always runs
  --no-racket      skip the Racket CS side even if racket is on PATH
  --list           list workloads, configurations and sides, then exit
  --charts-only <results.jsonl>
                   render docs/bench/*.svg from a results file, run nothing (a full run, not
                   --quick, renders them at its end)
  --help           this text`;

function list(v: string | undefined): string[] {
  return v
    ? v
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
    : [];
}

function num(v: string | undefined, dflt: number, what: string): number {
  if (v === undefined) return dflt;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0)
    throw new Error(`bench: --${what} wants a non-negative number, got ${v}`);
  return n;
}

export function parseOptions(argv: readonly string[]): Options {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      only: { type: "string" },
      side: { type: "string" },
      quick: { type: "boolean", default: false },
      rounds: { type: "string" },
      warmup: { type: "string" },
      measure: { type: "string" },
      "max-ops": { type: "string" },
      budget: { type: "string" },
      "no-racket": { type: "boolean", default: false },
      list: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      "charts-only": { type: "string" },
    },
    strict: true,
    allowPositionals: false,
  });
  const quick = values.quick === true;
  return {
    only: list(values.only),
    sides: list(values.side),
    quick,
    rounds: Math.max(1, Math.floor(num(values.rounds, quick ? 1 : 5, "rounds"))),
    racket: values["no-racket"] !== true,
    budgetMs: num(values.budget, 420, "budget") * 1000,
    sampleTimeoutMs: 60_000,
    caps: {
      warmupMs: num(values.warmup, quick ? 150 : 300, "warmup"),
      measureMs: num(values.measure, quick ? 150 : 600, "measure"),
      maxOps: num(values["max-ops"], 50_000_000, "max-ops"),
      scale: 0,
    },
    list: values.list === true,
    help: values.help === true,
    chartsOnly: values["charts-only"] ?? null,
  };
}
