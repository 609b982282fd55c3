// Charts of a results file, rendered with vega-lite to SVG in docs/bench/:
//   fan-in.svg               ns per sync against N (log-log): one active / all active, ours vs Racket
//   ratio-<workload>.svg     per throughput workload: each side's median ÷ the reference side's
//                            median (raw Node for the network workloads, else Racket CS), with the
//                            same ratio per round (sides alternate within a round) as ticks
// `npm run bench` renders them at the end of a run; `npm run bench -- --charts-only <file.jsonl>`
// or `node --import tsx bench/charts.ts [file.jsonl]` renders them from a saved run.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import * as vega from "vega";
import * as vl from "vega-lite";
import type { Summary } from "./harness/stats.js";
import { BENCH_DIR } from "./harness/spawn.js";
import type { Workload } from "./harness/types.js";
import { workloads } from "./workloads/index.js";

/** Where the SVGs go (the repository's docs/bench/). */
export const CHARTS_DIR = fileURLToPath(new URL("../docs/bench/", import.meta.url));

interface SampleLine {
  type: "sample";
  workload: string;
  config: string;
  side: string;
  round: number;
  value: number;
}
interface MetaLine {
  type: "meta";
  load: string;
  commit: string | null;
  quick: boolean;
}
type Line = SampleLine | MetaLine | ({ type: "summary" } & Summary) | { type: string };

function readLines(file: string): Line[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Line);
}

/** A spec rendered to SVG, headlessly (no canvas: text widths are estimated). */
async function svgOf(spec: vl.TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(vl.compile(spec).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const FONT = { font: "Helvetica, Arial, sans-serif", labelFont: "Helvetica, Arial, sans-serif" };
const CONFIG = {
  font: FONT.font,
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, anchor: "start" as const },
  view: { stroke: null },
};

/** Which family a side belongs to: the bars' colour. */
function family(side: string): string {
  if (side.startsWith("rendezvous")) return "Rendezvous";
  if (side.startsWith("racket")) return "Racket CS";
  if (side.startsWith("js-csp")) return "js-csp";
  return "raw Node";
}
const FAMILY_SCALE = {
  domain: ["Rendezvous", "raw Node", "Racket CS", "js-csp"],
  range: ["#d1495b", "#00798c", "#edae49", "#66a182"],
};

function fanInSpec(sums: readonly Summary[], subtitle: string): vl.TopLevelSpec | null {
  const data = sums
    .filter((s) => s.workload === "fan-in" && s.n > 0)
    .flatMap((s) => {
      const m = /^N=(\d+) (one|all) active$/.exec(s.config);
      if (!m) return [];
      return [
        {
          n: Number(m[1]),
          mode: `${m[2]} active`,
          side: s.side.startsWith("racket") ? "Racket CS" : "Rendezvous",
          ns: 1e9 / s.median,
          series: `${s.side.startsWith("racket") ? "Racket CS" : "Rendezvous"}, ${m[2]} active`,
        },
      ];
    });
  if (data.length === 0) return null;
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: { text: "fan-in: cost of one sync over a choice of N channels", subtitle },
    width: 420,
    height: 280,
    data: { values: data },
    mark: { type: "line", point: { size: 50, filled: true }, strokeWidth: 2 },
    encoding: {
      x: {
        field: "n",
        type: "quantitative",
        scale: { type: "log" },
        axis: { values: [1, 10, 100, 1000], format: "~s" },
        title: "N channels in the choice",
      },
      y: {
        field: "ns",
        type: "quantitative",
        scale: { type: "log" },
        axis: { format: "~s" },
        title: "ns per sync (median, log scale)",
      },
      color: {
        field: "side",
        type: "nominal",
        scale: { domain: ["Rendezvous", "Racket CS"], range: ["#d1495b", "#edae49"] },
        title: null,
      },
      strokeDash: {
        field: "mode",
        type: "nominal",
        scale: {
          domain: ["one active", "all active"],
          range: [
            [1, 0],
            [5, 3],
          ],
        },
        title: null,
      },
      shape: {
        field: "mode",
        type: "nominal",
        scale: { domain: ["one active", "all active"], range: ["circle", "square"] },
        title: null,
      },
      detail: { field: "series" },
      tooltip: [{ field: "series" }, { field: "n" }, { field: "ns", format: ".0f" }],
    },
    config: CONFIG,
  };
}

/** The side every ratio of `w` is taken to: its reference, else its Racket side. */
function referenceOf(w: Workload): string | undefined {
  return w.reference ?? w.sides.find((s) => s.kind === "racket")?.name;
}

function ratioSpec(
  w: Workload,
  sums: readonly Summary[],
  samples: readonly SampleLine[],
  subtitle: string,
): vl.TopLevelSpec | null {
  const ref = referenceOf(w);
  if (!ref) return null;
  const mine = sums.filter((s) => s.workload === w.name && s.n > 0);
  const manyConfigs = new Set(mine.map((s) => s.config)).size > 1;
  const bars: Record<string, string | number>[] = [];
  const ticks: Record<string, string | number>[] = [];
  for (const s of mine) {
    const r = mine.find((x) => x.config === s.config && x.side === ref);
    if (!r) continue;
    const row = manyConfigs ? `${s.side} · ${s.config}` : s.side;
    const ratio = s.median / r.median;
    bars.push({
      row,
      family: family(s.side),
      ratio,
      // Labels sit right of the bar, or of the parity line for bars that end left of it.
      at: Math.max(ratio, 1),
      label: s.side === ref ? "reference" : `${ratio.toFixed(2)}×`,
    });
    // The same ratio round by round: the sides of a round ran back to back.
    const refByRound = new Map(
      samples
        .filter((x) => x.workload === w.name && x.config === s.config && x.side === ref)
        .map((x) => [x.round, x.value]),
    );
    for (const x of samples) {
      if (x.workload !== w.name || x.config !== s.config || x.side !== s.side) continue;
      const rv = refByRound.get(x.round);
      if (rv) ticks.push({ row, ratio: x.value / rv });
    }
  }
  if (bars.length === 0) return null;
  const rows = bars.map((b) => b.row as string);
  const all = [...bars, ...ticks].map((b) => b.ratio as number);
  const lo = Math.min(0.5, ...all) * 0.8;
  const hi = Math.max(2, ...all) * 1.25;
  const x = {
    field: "ratio",
    type: "quantitative" as const,
    scale: { type: "log" as const, domain: [lo, hi] },
    axis: { format: "~g" },
    title: `${w.better === "higher" ? "" : "(lower is better) "}median ÷ ${ref} median (log scale; ticks: per round)`,
  };
  const y = {
    field: "row",
    type: "nominal" as const,
    sort: rows,
    title: null,
    axis: { labelLimit: 480 },
  };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: {
      text: `${w.name}${manyConfigs ? "" : mine[0]?.config ? ` (${mine[0].config})` : ""}: ${w.unit}, relative to ${ref}`,
      subtitle,
    },
    width: 420,
    height: { step: 26 },
    layer: [
      {
        data: { values: bars },
        mark: { type: "bar", height: { band: 0.7 } },
        encoding: {
          x,
          x2: { datum: 1 },
          y,
          color: { field: "family", type: "nominal", scale: FAMILY_SCALE, title: null },
        },
      },
      {
        data: { values: ticks },
        mark: { type: "tick", color: "#333", thickness: 1.5, size: 14, opacity: 0.8 },
        encoding: { x, y },
      },
      {
        data: { values: bars },
        mark: { type: "text", align: "left", dx: 4, fontSize: 11 },
        encoding: { x: { ...x, field: "at" }, y, text: { field: "label" } },
      },
      {
        data: { values: [{ ratio: 1 }] },
        mark: { type: "rule", color: "#555", strokeDash: [3, 3] },
        encoding: { x },
      },
    ],
    config: CONFIG,
  };
}

/** Writes the charts of `file` into docs/bench/ (replacing the old ones); returns their paths. */
export async function renderCharts(
  file: string = `${BENCH_DIR}results/latest.jsonl`,
): Promise<string[]> {
  const lines = readLines(file);
  const meta = lines.find((l): l is MetaLine => l.type === "meta");
  const sums = lines.filter((l): l is { type: "summary" } & Summary => l.type === "summary");
  const samples = lines.filter((l): l is SampleLine => l.type === "sample");
  const subtitle = meta
    ? `commit ${meta.commit ?? "?"}; ${meta.quick ? "quick run (not for figures); " : ""}load at start: ${meta.load.replace(/^.*load average: /, "")}`
    : "";
  mkdirSync(CHARTS_DIR, { recursive: true });
  const specs: [string, vl.TopLevelSpec | null][] = [["fan-in.svg", fanInSpec(sums, subtitle)]];
  for (const w of workloads)
    if (w.name !== "fan-in" && w.unit.endsWith("/s"))
      specs.push([`ratio-${w.name}.svg`, ratioSpec(w, sums, samples, subtitle)]);
  const written: string[] = [];
  for (const [name, spec] of specs) {
    if (!spec) continue;
    writeFileSync(CHARTS_DIR + name, (await svgOf(spec)) + "\n");
    written.push(CHARTS_DIR + name);
  }
  // Charts of workloads this run did not measure would be stale: only a full run replaces them all.
  const kept = new Set(written.map((p) => p.slice(CHARTS_DIR.length)));
  const full = workloads.every((w) => sums.some((s) => s.workload === w.name));
  if (full)
    for (const f of readdirSync(CHARTS_DIR))
      if (f.endsWith(".svg") && !kept.has(f)) rmSync(CHARTS_DIR + f);
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  renderCharts(process.argv[2]).then(
    (files) => console.log(files.join("\n")),
    (err: unknown) => {
      console.error(err);
      process.exitCode = 1;
    },
  );
}
