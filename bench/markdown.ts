// Prints a results file (default: bench/results/latest.jsonl) as the Markdown tables of
// docs/benchmarks.md: `node --import tsx bench/markdown.ts [file.jsonl]`.
import { readFileSync } from "node:fs";
import { fmt, ratioCell, type TargetResult } from "./harness/report.js";
import type { Machine } from "./harness/machine.js";
import type { Summary } from "./harness/stats.js";
import { BENCH_DIR } from "./harness/spawn.js";
import { workloads } from "./workloads/index.js";

type Line =
  | ({ type: "meta"; load: string; quick: boolean; rounds: number } & Machine)
  | ({ type: "summary" } & Summary)
  | ({ type: "target" } & TargetResult)
  | { type: "end"; seconds: number; load: string; cutByBudget: boolean }
  | { type: "sample" | "failure" };

const file = process.argv[2] ?? `${BENCH_DIR}results/latest.jsonl`;
const lines = readFileSync(file, "utf8")
  .split("\n")
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Line);
const meta = lines.find((l) => l.type === "meta");
const end = lines.find((l) => l.type === "end");
const sums = lines.filter((l): l is { type: "summary" } & Summary => l.type === "summary");
const targets = lines.filter((l): l is { type: "target" } & TargetResult => l.type === "target");

const out: string[] = [];
if (meta && meta.type === "meta") {
  out.push(`- Machine: ${meta.cpus} × ${meta.cpuModel}, ${meta.memGiB} GiB, ${meta.platform}`);
  out.push(
    `- Node ${meta.node}; ${meta.racket ?? "no Racket"}; js-csp ${meta.jsCsp ?? "?"}; commit ${meta.commit ?? "?"}`,
  );
  out.push(`- Load at start: \`${meta.load}\``);
}
if (end && end.type === "end") {
  out.push(`- Load at end: \`${end.load}\``);
  const rounds = Math.max(0, ...sums.map((s) => s.n + s.failed));
  out.push(
    `- ${end.seconds.toFixed(0)} s, up to ${rounds} rounds${end.cutByBudget ? " (cut by the time budget)" : ""}`,
  );
}
for (const w of workloads) {
  const mine = sums.filter((s) => s.workload === w.name);
  if (mine.length === 0) continue;
  const shown = w.shown ?? [];
  out.push("", `**${w.name}** — ${w.title}. Unit: ${w.unit}, ${w.better} is better.`, "");
  const ref = w.reference;
  out.push(
    `| config | side | median | min … max | ${shown.map((m) => `${m.unit} | `).join("")}n | ÷ Racket |${ref ? ` ÷ ${ref} |` : ""}`,
  );
  out.push(
    `| --- | --- | ---: | ---: | ${shown.map(() => "---: | ").join("")}---: | ---: |${ref ? " ---: |" : ""}`,
  );
  for (const s of mine) {
    const extra = shown.map((m) => `${fmt(s.metrics[m.key] ?? NaN, m.unit)} | `).join("");
    const ratio = s.racket ? "" : s.ratioToRacket === null ? "—" : `${s.ratioToRacket.toFixed(2)}×`;
    out.push(
      `| ${s.config || "—"} | ${s.side} | ${fmt(s.median, w.unit)} | ${fmt(s.min, w.unit)} … ${fmt(s.max, w.unit)} | ${extra}${s.n} | ${ratio} |${ref ? ` ${ratioCell(s.side === ref ? undefined : (s.ratioToRef ?? null))} |` : ""}`,
    );
  }
}
if (targets.length) {
  out.push("", "| target | result | status |", "| --- | --- | --- |");
  for (const t of targets) out.push(`| ${t.goal} | ${t.got} | ${t.status} |`);
}
console.log(out.join("\n"));
