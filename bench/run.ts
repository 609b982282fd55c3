// `npm run bench`: every workload, each side in turn within a round, several rounds; medians,
// ratios to Racket CS, a printed table, and JSON lines in bench/results/.
import { appendFileSync, copyFileSync, mkdirSync } from "node:fs";
import { checkTargets, targetsTable, workloadTable } from "./harness/report.js";
import { USAGE, parseOptions, type Options } from "./harness/cli.js";
import { load, machine, racketVersion } from "./harness/machine.js";
import { BENCH_DIR, commandFor, prepareRacket, runChild } from "./harness/spawn.js";
import { summarize, type Summary } from "./harness/stats.js";
import type { Config, Sample, Side, Workload } from "./harness/types.js";
import { workloads } from "./workloads/index.js";
import { renderCharts } from "./charts.js";

interface Planned {
  readonly workload: Workload;
  readonly config: Config;
  readonly sides: readonly Side[];
}

async function plan(opts: Options, haveRacket: boolean): Promise<Planned[]> {
  const out: Planned[] = [];
  for (const w of workloads) {
    const sides: Side[] = [];
    for (const s of w.sides) {
      if (opts.sides.length && !opts.sides.some((x) => s.name.includes(x))) continue;
      if (s.kind === "racket" && !haveRacket) continue;
      if (s.kind === "node" && s.available && !(await s.available())) continue;
      sides.push(s);
    }
    if (sides.length === 0) continue;
    for (const config of w.configs(opts.quick)) {
      const key = `${w.name} ${config.label}`.trim();
      if (opts.only.length && !opts.only.some((x) => key.includes(x))) continue;
      out.push({ workload: w, config, sides });
    }
  }
  return out;
}

const progress = process.stderr.isTTY
  ? (line: string) => process.stderr.write(`\r\x1b[K${line}`)
  : (line: string) => process.stderr.write(`${line}\n`);
const endProgress = (): void => {
  if (process.stderr.isTTY) process.stderr.write("\r\x1b[K");
};

async function main(): Promise<void> {
  const opts = parseOptions(process.argv.slice(2));
  if (opts.help) return void console.log(USAGE);
  if (opts.chartsOnly !== null) {
    for (const f of await renderCharts(opts.chartsOnly)) console.log(f);
    return;
  }
  const racket = opts.racket ? racketVersion() : null;
  const planned = await plan(opts, racket !== null);
  if (opts.list) {
    for (const p of planned)
      console.log(
        `${p.workload.name}${p.config.label ? ` [${p.config.label}]` : ""}: ${p.sides.map((s) => s.name).join(", ")}`,
      );
    return;
  }
  if (planned.length === 0) throw new Error(`bench: nothing matches --only ${opts.only.join(",")}`);

  const racketFiles = [
    ...new Set(
      planned.flatMap((p) => p.sides.flatMap((s) => (s.kind === "racket" ? [s.file] : []))),
    ),
  ];
  if (racketFiles.length) {
    const err = await prepareRacket(racketFiles);
    if (err) throw new Error(`bench: could not compile the Racket programs: ${err}`);
  }

  const m = machine(racket);
  const loadAtStart = load();
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const file = `${BENCH_DIR}results/${stamp}.jsonl`;
  const write = (o: object): void => appendFileSync(file, JSON.stringify(o) + "\n");
  write({
    type: "meta",
    ...m,
    load: loadAtStart,
    quick: opts.quick,
    rounds: opts.rounds,
    caps: opts.caps,
  });

  console.log(
    `Rendezvous bench — ${opts.quick ? "quick (smoke check, not for figures)" : `${opts.rounds} rounds`}`,
  );
  console.log(`  ${m.cpus} × ${m.cpuModel}, ${m.memGiB} GiB, ${m.platform}`);
  console.log(
    `  Node ${m.node}; ${m.racket ?? "Racket: not on PATH (Racket side skipped)"}; js-csp ${m.jsCsp ?? "?"}`,
  );
  console.log(`  commit ${m.commit ?? "?"}; at start: ${loadAtStart}`);
  if (!racket && opts.racket)
    console.log("  (install Racket CS and put `racket` on PATH for the side-by-side column)");

  // Rounds are the outer loop: a configuration's samples spread over the whole run (so a burst of
  // load elsewhere hits every side alike), and a budget cut leaves every configuration with the
  // same number of rounds.
  const t0 = performance.now();
  const samples = new Map<string, Sample[]>();
  const failures = new Map<string, number>();
  const key = (p: Planned, s: Side): string =>
    `${p.workload.name}\u0000${p.config.label}\u0000${s.name}`;
  const rounds = Math.max(
    ...planned.map((p) => Math.min(opts.rounds, p.workload.maxRounds ?? Infinity)),
  );
  let cut = false;
  for (let r = 0; r < rounds && !cut; r++) {
    if (r > 0 && performance.now() - t0 > opts.budgetMs) {
      cut = true;
      break;
    }
    for (const p of planned) {
      const { workload: w, config, sides } = p;
      const wRounds = Math.min(opts.rounds, w.maxRounds ?? Infinity);
      if (r >= wRounds) continue;
      const caps = w.caps ? w.caps(opts.caps, opts.quick) : opts.caps;
      // Sides alternate, and the one that goes first changes every round.
      const order = sides.map((_, i) => sides[(i + r) % sides.length]!);
      for (const side of order) {
        const where = { workload: w.name, config: config.label, side: side.name, round: r + 1 };
        const label = `round ${r + 1}/${rounds} · ${w.name}${config.label ? ` [${config.label}]` : ""} · ${side.name}`;
        progress(label);
        const [cmd, args] = commandFor(w.name, side, config.params, caps);
        const o = await runChild(cmd, args, opts.sampleTimeoutMs);
        const k = key(p, side);
        if (o.ok) {
          samples.set(k, [...(samples.get(k) ?? []), o.sample]);
          write({ type: "sample", ...where, ...o.sample });
        } else {
          failures.set(k, (failures.get(k) ?? 0) + 1);
          endProgress();
          console.error(`  FAILED ${label}: ${o.error}`);
          write({ type: "failure", ...where, error: o.error });
        }
      }
    }
  }
  endProgress();

  const all: Summary[] = [];
  for (const p of planned) {
    const { workload: w, config, sides } = p;
    const sums = sides.map((s) =>
      summarize(
        {
          workload: w.name,
          config: config.label,
          side: s.name,
          racket: s.kind === "racket",
          unit: w.unit,
          better: w.better,
        },
        samples.get(key(p, s)) ?? [],
        failures.get(key(p, s)) ?? 0,
      ),
    );
    const rk = sums.find((s) => s.racket && s.n > 0);
    for (const s of sums) if (rk && !s.racket) s.ratioToRacket = s.median / rk.median;
    const ref = w.reference ? sums.find((s) => s.side === w.reference && s.n > 0) : undefined;
    if (w.reference)
      for (const s of sums) s.ratioToRef = ref && s !== ref ? s.median / ref.median : null;
    for (const s of sums) write({ type: "summary", ...s });
    all.push(...sums);
  }
  for (const w of workloads) {
    const mine = all.filter((s) => s.workload === w.name);
    if (mine.length === 0) continue;
    console.log("");
    console.log(workloadTable(w, mine));
  }

  const targets = checkTargets(all);
  for (const t of targets) write({ type: "target", ...t });
  const secs = (performance.now() - t0) / 1000;
  const loadAtEnd = load();
  write({ type: "end", seconds: secs, load: loadAtEnd, cutByBudget: cut });
  copyFileSync(file, `${BENCH_DIR}results/latest.jsonl`);
  console.log("\nTargets (performance issue)");
  console.log(targetsTable(targets));
  console.log(`\n${secs.toFixed(0)} s; at end: ${loadAtEnd}`);
  if (cut) console.log(`budget of ${opts.budgetMs / 1000} s reached: fewer rounds than asked`);
  console.log(`results: ${file}`);
  // A quick run's figures are not for the docs' charts.
  if (!opts.quick) console.log(`charts: ${(await renderCharts(file)).length} in docs/bench/`);
}

main().catch((err: unknown) => {
  endProgress();
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
