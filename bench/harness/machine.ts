// What the results were measured on: recorded in the JSON lines and printed above the table.
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import os from "node:os";
import { BENCH_DIR } from "./spawn.js";

function run(cmd: string, args: string[]): string | null {
  try {
    return execFileSync(cmd, args, {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return null;
  }
}

/** `racket --version`'s banner, or `null` when racket is not on PATH. */
export function racketVersion(): string | null {
  return run("racket", ["--version"]);
}

/** The load line of `uptime` (what other processes are doing to our figures). */
export function load(): string {
  return (
    run("uptime", []) ??
    `load average: ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(", ")}`
  );
}

function packageVersion(name: string): string | null {
  try {
    const file = createRequire(import.meta.url).resolve(`${name}/package.json`);
    return (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;
  } catch {
    return null;
  }
}

export interface Machine {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memGiB: number;
  readonly platform: string;
  readonly node: string;
  readonly racket: string | null;
  readonly jsCsp: string | null;
  readonly commit: string | null;
}

export function machine(racket: string | null): Machine {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? "unknown",
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    racket,
    jsCsp: packageVersion("js-csp"),
    commit: run("git", ["-C", BENCH_DIR, "rev-parse", "--short", "HEAD"]),
  };
}
