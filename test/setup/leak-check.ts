// Leak check, loaded by every project's vitest.config.ts (`setupFiles`): after each test file, the
// open file descriptors, the active handles and requests, and the pending timers must come back to
// what they were before the file ran. Handles close asynchronously (a socket's close callback, a
// FIN leaving), so the check waits a short grace period before it fails the file.
//
// - Descriptors: entries of /proc/self/fd (Linux), baseline taken when this module loads (before
//   the test file is imported), so resources a test file opens at its top level count too.
// - Handles and requests: `process.getActiveResourcesInfo()` by type, same baseline, timers apart.
//   What vitest's worker holds (its IPC and stdio pipes) is in the baseline and stays there.
// - Timers: every `setTimeout`/`setInterval` made through the globals while the file runs is
//   tracked until it fires or is cleared, ref'd or not (getActiveResourcesInfo only sees ref'd
//   ones). vitest keeps its own timer functions (captured before this module loads), so its test
//   and hook timeouts are not seen here; ref'd timers made by Node internals are counted against
//   the baseline taken in the first beforeAll (a hook's own timeout timer exists then and in
//   afterAll alike).
//
// Environment: LEAK_CHECK=off disables the check (for debugging a test in isolation);
// LEAK_CHECK_GRACE_MS sets the grace period (default 2000 ms).
import { readdirSync, readlinkSync } from "node:fs";
import { afterAll, beforeAll, expect } from "vitest";

const enabled = process.env["LEAK_CHECK"] !== "off";
const GRACE_MS = Number(process.env["LEAK_CHECK_GRACE_MS"] ?? 2000);

/** Open descriptors, with what they point at (`socket:[123]`, `pipe:[45]`, a path). */
function openFds(): Map<string, string> {
  const out = new Map<string, string>();
  for (const fd of readdirSync("/proc/self/fd")) {
    let target: string;
    try {
      target = readlinkSync(`/proc/self/fd/${fd}`);
    } catch {
      continue; // the directory handle readdirSync itself used, already closed
    }
    out.set(fd, target);
  }
  return out;
}

/** Active handles and requests by type, timers excluded (they are counted apart). */
function resourceCounts(): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of process.getActiveResourcesInfo()) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

// -- timers made through the globals -------------------------------------------------------------

interface TrackedTimer {
  readonly timer: NodeJS.Timeout;
  readonly where: Error;
  readonly kind: string;
}
const liveTimers = new Map<NodeJS.Timeout, TrackedTimer>();
type TimerFn = (...args: any[]) => NodeJS.Timeout;

function isDone(t: NodeJS.Timeout): boolean {
  return (t as unknown as { _destroyed?: boolean })._destroyed === true;
}

function prune(): void {
  for (const t of liveTimers.keys()) if (isDone(t)) liveTimers.delete(t);
}

function track(kind: string, original: TimerFn): TimerFn {
  return function tracked(this: unknown, ...args: unknown[]): NodeJS.Timeout {
    const t = original.apply(this, args);
    // A Timeout object (not a number from a browser-like shim) can be tracked.
    if (typeof t === "object" && t !== null) {
      if (liveTimers.size >= 4096) prune();
      // The Error is cheap until its stack is read, and only leaked timers' stacks are read.
      liveTimers.set(t, { timer: t, where: new Error(kind), kind });
    }
    return t;
  };
}

function untrack(original: (t: unknown) => void): (t: unknown) => void {
  return function untracked(this: unknown, t: unknown): void {
    if (typeof t === "object" && t !== null) liveTimers.delete(t as NodeJS.Timeout);
    original.call(this, t);
  };
}

function pendingTimers(): TrackedTimer[] {
  prune();
  return [...liveTimers.values()];
}

// -- the check ------------------------------------------------------------------------------------

function describeHandles(): string[] {
  const getHandles = (process as unknown as { _getActiveHandles?: () => unknown[] })
    ._getActiveHandles;
  const out: string[] = [];
  for (const h of getHandles?.call(process) ?? []) {
    const o = h as Record<string, any>;
    const name = o?.constructor?.name ?? typeof h;
    if (name === "Socket" || name === "Server") {
      let addr = "";
      try {
        if (name === "Server") addr = JSON.stringify(o.address?.());
        else if (o.remotePort !== undefined)
          addr = `${o.localAddress}:${o.localPort} -> ${o.remoteAddress}:${o.remotePort}`;
        else if (o._handle?.fd !== undefined) addr = `fd ${o._handle.fd}`;
        else if (o._isStdio) addr = "stdio";
      } catch {
        // a half-destroyed handle: its name is enough
      }
      out.push(`${name} ${addr}`.trim());
    } else out.push(name);
  }
  return out;
}

function stackOf(t: TrackedTimer): string {
  const lines = (t.where.stack ?? "").split("\n").slice(2);
  const own = lines.filter((l) => !l.includes("/node_modules/") && !l.includes("node:internal"));
  return (own.length > 0 ? own : lines).slice(0, 4).join("\n");
}

interface Report {
  fds: string[];
  resources: string[];
  timers: TrackedTimer[];
}

function measure(
  fdBase: Map<string, string>,
  resBase: Map<string, number>,
  timerBase: number,
): Report {
  const fds: string[] = [];
  const now = openFds();
  // Compare counts: descriptor numbers are reused, so a closed and reopened fd is no leak.
  if (now.size > fdBase.size) {
    for (const [fd, target] of now) if (fdBase.get(fd) !== target) fds.push(`${fd} -> ${target}`);
    if (fds.length === 0) fds.push(`${now.size - fdBase.size} more descriptors`);
  }
  const resources: string[] = [];
  for (const [type, n] of resourceCounts()) {
    const base = type === "Timeout" ? timerBase : (resBase.get(type) ?? 0);
    if (n > base) resources.push(`${type} x${n - base}`);
  }
  return { fds, resources, timers: pendingTimers() };
}

function clean(r: Report): boolean {
  return r.fds.length === 0 && r.resources.length === 0 && r.timers.length === 0;
}

function format(r: Report, file: string): string {
  const parts = [`leak check: ${file} left resources behind (after a ${GRACE_MS} ms grace period)`];
  if (r.fds.length > 0) parts.push(`  open file descriptors: ${r.fds.join(", ")}`);
  if (r.resources.length > 0) {
    parts.push(`  active handles/requests: ${r.resources.join(", ")}`);
    parts.push(`  handles now: ${describeHandles().join("; ")}`);
  }
  for (const t of r.timers.slice(0, 5)) {
    const ref = t.timer.hasRef() ? "ref'd" : "unref'd";
    parts.push(`  pending ${t.kind} (${ref}), made at:\n${stackOf(t)}`);
  }
  if (r.timers.length > 5) parts.push(`  … and ${r.timers.length - 5} more pending timers`);
  return parts.join("\n");
}

const realSetTimeout = setTimeout;

if (enabled) {
  const fdBase = openFds();
  const resBase = resourceCounts();
  let timerBase = 0;
  const g = globalThis as unknown as Record<string, unknown>;
  g["setTimeout"] = Object.assign(track("setTimeout", setTimeout as unknown as TimerFn), {
    [Symbol.for("nodejs.util.promisify.custom")]: (setTimeout as any)[
      Symbol.for("nodejs.util.promisify.custom")
    ],
  });
  g["setInterval"] = track("setInterval", setInterval as unknown as TimerFn);
  g["clearTimeout"] = untrack(clearTimeout as (t: unknown) => void);
  g["clearInterval"] = untrack(clearInterval as (t: unknown) => void);

  beforeAll(() => {
    timerBase = resourceCounts().get("Timeout") ?? 0;
  });

  afterAll(async () => {
    const name = expect.getState().testPath ?? "this test file";
    const end = Date.now() + GRACE_MS;
    let r = measure(fdBase, resBase, timerBase);
    while (!clean(r) && Date.now() < end) {
      // The original setTimeout: the wait itself is not tracked, and it has fired when we measure.
      await new Promise<void>((resolve) => realSetTimeout(resolve, 20));
      r = measure(fdBase, resBase, timerBase);
    }
    if (!clean(r)) throw new Error(format(r, name));
  }, GRACE_MS + 5000);
}
