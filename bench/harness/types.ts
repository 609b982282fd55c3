// Shapes shared by the parent (run.ts) and the child processes (child.ts).

/** Limits of one measured sample: a warm-up, then a measured interval capped in time AND count. */
export interface Caps {
  /** Milliseconds of warm-up before measuring (discarded). */
  readonly warmupMs: number;
  /** The measured interval stops once this many milliseconds have elapsed... */
  readonly measureMs: number;
  /** ...or once this many operations are done, whichever comes first. */
  readonly maxOps: number;
  /** Size knob for workloads that are not throughput loops (alarms, blocked syncs). */
  readonly scale: number;
}

/** What one sample reports: the primary value, and optional secondary metrics. */
export interface Sample {
  /** The primary metric, in the workload's unit. */
  readonly value: number;
  /** Secondary metrics by name (e.g. `p50`, `ops`, `ms`). */
  readonly metrics?: Readonly<Record<string, number>>;
}

/** Parameters of one configuration of a workload (e.g. `{ n: 100, mode: "one" }`). */
export type Params = Readonly<Record<string, string | number | boolean>>;

/** A side implemented in this repository's Node process (run by child.ts). */
export interface NodeSide {
  readonly kind: "node";
  /** Short name shown in the table (e.g. `rendezvous`, `node promises`, `js-csp`). */
  readonly name: string;
  /** Extra flags for the child's `node` (e.g. `--expose-gc`). */
  readonly nodeFlags?: readonly string[];
  /** Whether this side can run here (e.g. needs an export that may not exist yet). */
  readonly available?: () => Promise<boolean>;
  /** Runs one sample inside the child process. */
  readonly run: (params: Params, caps: Caps) => Promise<Sample>;
}

/** A side implemented as a Racket CS program in bench/racket (printing one JSON line). */
export interface RacketSide {
  readonly kind: "racket";
  readonly name: string;
  /** File name in bench/racket. */
  readonly file: string;
  /** Command-line arguments after the file name. */
  readonly args: (params: Params, caps: Caps) => string[];
}

export type Side = NodeSide | RacketSide;

/** One configuration: the parameters and a label (empty when the workload has only one). */
export interface Config {
  readonly label: string;
  readonly params: Params;
}

/** A workload: one measured behaviour, run for every side under every configuration. */
export interface Workload {
  /** Identifier used by `--only` and in results (kebab-case). */
  readonly name: string;
  /** One-line description for the table header. */
  readonly title: string;
  /** Unit of the primary value. */
  readonly unit: string;
  /** Whether a larger primary value is better. */
  readonly better: "higher" | "lower";
  /**
   * The side the "÷ reference" column divides by (e.g. raw Node for the network workloads); without
   * it, only the "÷ racket" column is shown.
   */
  readonly reference?: string;
  /** Names and units of secondary metrics shown in the table, if any. */
  readonly shown?: readonly { readonly key: string; readonly unit: string }[];
  /** Configurations; `quick` runs may use fewer. */
  readonly configs: (quick: boolean) => readonly Config[];
  readonly sides: readonly Side[];
  /** At most this many rounds (long, steady workloads: alarms, memory). */
  readonly maxRounds?: number;
  /** Optional per-workload override of the sample caps. */
  readonly caps?: (base: Caps, quick: boolean) => Caps;
}
