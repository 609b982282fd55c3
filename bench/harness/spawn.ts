// Runs one sample in a child process (Node or Racket) and reads the JSON line it prints.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { Caps, Params, Sample, Side } from "./types.js";

export const BENCH_DIR = fileURLToPath(new URL("..", import.meta.url));
const CHILD = fileURLToPath(new URL("./child.ts", import.meta.url));
const RACKET_DIR = fileURLToPath(new URL("../racket/", import.meta.url));

export type Outcome = { ok: true; sample: Sample } | { ok: false; error: string };

/** The command line that runs one sample of `side`. */
export function commandFor(
  workload: string,
  side: Side,
  params: Params,
  caps: Caps,
): [string, string[]] {
  if (side.kind === "racket") {
    const capArgs = [caps.warmupMs, caps.measureMs, caps.maxOps, caps.scale].map(String);
    return ["racket", [RACKET_DIR + side.file, ...capArgs, ...side.args(params, caps)]];
  }
  return [
    process.execPath,
    [
      ...(side.nodeFlags ?? []),
      "--import",
      "tsx",
      CHILD,
      workload,
      side.name,
      JSON.stringify({ params, caps }),
    ],
  ];
}

/** Runs `cmd args`, killing it after `timeoutMs`; the last stdout line must be the sample's JSON. */
export function runChild(
  cmd: string,
  args: readonly string[],
  timeoutMs: number,
): Promise<Outcome> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: BENCH_DIR, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    let err = "";
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill("SIGKILL");
    }, timeoutMs);
    child.stdout.setEncoding("utf8").on("data", (d: string) => (out += d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve({ ok: false, error: e.message });
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      if (timedOut) return resolve({ ok: false, error: `killed after ${timeoutMs} ms` });
      const last = out.trim().split("\n").pop() ?? "";
      try {
        const sample = JSON.parse(last) as Sample;
        if (code === 0 && typeof sample.value === "number") return resolve({ ok: true, sample });
      } catch {
        // reported below
      }
      resolve({
        ok: false,
        error: `exit ${code}: ${(err || out).trim().split("\n").slice(-3).join(" | ")}`,
      });
    });
  });
}

/**
 * Compiles the Racket programs (`raco make`, into bench/racket/compiled/), so a sample's start-up
 * does not include macro expansion. Returns an error message, or `null` on success.
 */
export function prepareRacket(files: readonly string[]): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn("raco", ["make", ...files.map((f) => RACKET_DIR + f)], {
      cwd: BENCH_DIR,
      stdio: ["ignore", "ignore", "pipe"],
    });
    let err = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.stderr.setEncoding("utf8").on("data", (d: string) => (err += d));
    child.on("error", (e) => {
      clearTimeout(timer);
      resolve(e.message);
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolve(code === 0 ? null : `raco make exit ${code}: ${err.trim()}`);
    });
  });
}
