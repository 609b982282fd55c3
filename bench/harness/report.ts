// The printed side-by-side table and the targets summary.
import type { Summary } from "./stats.js";
import { TARGETS } from "./targets.js";
import type { Workload } from "./types.js";

/** A number for a table cell: rates with k/M suffixes, small values with 3 significant digits. */
export function fmt(v: number, unit: string): string {
  if (!Number.isFinite(v)) return "—";
  if (unit.includes("/s")) {
    if (v >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
    if (v >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
    return v.toFixed(0);
  }
  if (unit.startsWith("bytes")) return `${Math.round(v)}`;
  if (Math.abs(v) >= 100) return v.toFixed(0);
  return v.toPrecision(3);
}

/** Aligned columns: the first `left` columns flush left, the others flush right. */
function table(rows: readonly string[][], left = 2): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map(
      (r) =>
        "  " +
        r.map((c, i) => (i < left ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "),
    )
    .join("\n");
}

/** A ratio cell: blank for the reference itself (`undefined`), `—` when not measured. */
export function ratioCell(r: number | null | undefined): string {
  return r === undefined ? "" : r === null ? "—" : `${r.toFixed(2)}×`;
}

/** The table of one workload: a row per (configuration, side). */
export function workloadTable(w: Workload, summaries: readonly Summary[]): string {
  const shown = w.shown ?? [];
  const head = [
    "config",
    "side",
    `median ${w.unit}`,
    "min … max",
    ...shown.map((m) => m.unit),
    "n",
    "÷ racket",
    ...(w.reference ? [`÷ ${w.reference}`] : []),
  ];
  const rows = [head];
  for (const s of summaries) {
    rows.push([
      s.config || "—",
      s.side,
      fmt(s.median, w.unit),
      `${fmt(s.min, w.unit)} … ${fmt(s.max, w.unit)}`,
      ...shown.map((m) => fmt(s.metrics[m.key] ?? NaN, m.unit)),
      s.failed ? `${s.n} (${s.failed} failed)` : `${s.n}`,
      s.racket ? "" : s.ratioToRacket === null ? "—" : `${s.ratioToRacket.toFixed(2)}×`,
      ...(w.reference ? [ratioCell(s.side === w.reference ? undefined : s.ratioToRef)] : []),
    ]);
  }
  const title = `${w.name}: ${w.title}\n  (${w.unit}; ${w.better} is better; ÷ racket = median ÷ Racket CS median${w.reference ? `; ÷ ${w.reference} = median ÷ that side's median` : ""})`;
  return `${title}\n${table(rows)}`;
}

export interface TargetResult {
  readonly goal: string;
  readonly status: "met" | "not met" | "not measured";
  readonly got: string;
}

/** The targets whose side ran (a filtered run does not list the others). */
export function checkTargets(summaries: readonly Summary[]): TargetResult[] {
  return TARGETS.flatMap((t): TargetResult[] => {
    const s = summaries.find(
      (x) => x.workload === t.workload && x.config === t.config && x.side === t.side,
    );
    if (!s) return [];
    if (s.n === 0) return [{ goal: t.goal, status: "not measured", got: "every sample failed" }];
    const met = t.met(s, summaries);
    return [
      {
        goal: t.goal,
        status: met === null ? "not measured" : met ? "met" : "not met",
        got: t.got(s, summaries),
      },
    ];
  });
}

export function targetsTable(results: readonly TargetResult[]): string {
  return table(
    [["target", "result", "status"], ...results.map((r) => [r.goal, r.got, r.status])],
    3,
  );
}
