// Bookkeeping shared by the reliability suites: one record per sync (which branch its wraps say was
// committed, how it settled, which NACKs its guards made) and the checks every settled sync must
// pass: exactly one committed branch or none, the promise agreeing with the wraps, and every NACK
// fired exactly when its branch lost.
import {
  ExnBreak,
  ThreadKilledError,
  nackGuardEvt,
  wrapEvt,
  sync,
  syncEnableBreak,
  syncTimeout,
  syncTimeoutEnableBreak,
  type Evt,
} from "@rendezvous/core";
import { NackEvt } from "@rendezvous/core/protocol";

/** One sync of a scenario. */
export interface SyncRecord {
  readonly id: number;
  readonly who: string;
  /** Branch indices whose wraps ran (a commit runs exactly one). */
  readonly committed: number[];
  /** The NACKs made by the sync's guards, with the branch each guards. */
  readonly nacks: { branch: number; nack: NackEvt }[];
  outcome: "pending" | "chosen" | "none" | "break" | "killed" | "closed" | "error";
  chosen: number | null;
  error: unknown;
}

/** What the syncs of one scenario run did, and what went wrong. */
export class Ledger {
  readonly syncs: SyncRecord[] = [];
  readonly problems: string[] = [];
  readonly outcomes = { chosen: 0, none: 0, break: 0, killed: 0, closed: 0, error: 0, nacks: 0 };

  /**
   * @param expectedError - errors a sync may settle with in this scenario besides breaks and kills
   *   (e.g. "input port is closed" after a custodian shutdown); they count as outcome "closed".
   */
  constructor(private readonly expectedError: (e: unknown) => boolean = () => false) {}

  open(who: string): SyncRecord {
    const r: SyncRecord = {
      id: this.syncs.length,
      who,
      committed: [],
      nacks: [],
      outcome: "pending",
      chosen: null,
      error: undefined,
    };
    this.syncs.push(r);
    return r;
  }

  /**
   * Branch `i` of `rec`'s sync: `evt`, tagged so its commit is recorded (in commit order: wraps of
   * syncs committed in one atomic step run in that order) and, with `guarded`, under a nack guard.
   * The sync's result is the branch index.
   */
  branch(rec: SyncRecord, i: number, evt: Evt<unknown>, guarded: boolean): Evt<number> {
    const tagged = wrapEvt(evt, () => {
      rec.committed.push(i);
      return i;
    });
    if (!guarded) return tagged;
    return nackGuardEvt((nack) => {
      if (!(nack instanceof NackEvt))
        this.problems.push(`sync ${rec.id}: a NACK that is no NackEvt`);
      rec.nacks.push({ branch: i, nack: nack as NackEvt });
      this.outcomes.nacks++;
      return tagged;
    });
  }

  /** Records how `rec`'s sync settled (`v`: its value, or the error with `failed`) and checks it. */
  settle(rec: SyncRecord, failed: boolean, v: unknown): void {
    if (rec.outcome !== "pending") this.problems.push(`sync ${rec.id} settled twice`);
    if (!failed && typeof v === "number") {
      rec.outcome = "chosen";
      rec.chosen = v;
    } else if (!failed && v === false) rec.outcome = "none";
    else if (failed && v instanceof ExnBreak) rec.outcome = "break";
    else if (failed && v instanceof ThreadKilledError) rec.outcome = "killed";
    else if (failed && this.expectedError(v)) {
      rec.outcome = "closed";
      rec.error = v;
    } else {
      rec.outcome = "error";
      rec.error = v;
    }
    this.outcomes[rec.outcome]++;
    this.check(rec, true);
  }

  /** A sync its (killed) thread abandoned: it never settles, so it must have committed nothing. */
  abandoned(rec: SyncRecord): void {
    if (rec.outcome === "pending") {
      rec.outcome = "killed";
      this.outcomes.killed++;
    }
  }

  /** Checks one sync: one commit at most, agreeing with its outcome; NACKs fired iff lost. */
  check(rec: SyncRecord, atSettle: boolean): void {
    const at = atSettle ? "when it settled" : "at the end";
    const p = (m: string) =>
      this.problems.push(
        `sync ${rec.id} (${rec.who}) ${at}: ${m} [outcome ${rec.outcome}, chosen ${rec.chosen}, ` +
          `commits [${rec.committed}], guarded [${rec.nacks.map((n) => n.branch)}]]`,
      );
    if (rec.committed.length > 1) p(`committed ${rec.committed.length} branches`);
    if (rec.outcome === "chosen") {
      if (rec.committed.length !== 1 || rec.committed[0] !== rec.chosen)
        p(`resolved with branch ${rec.chosen} but its wraps ran for [${rec.committed}]`);
    } else if (rec.outcome === "error") {
      p(`unexpected error ${String(rec.error)}`);
    } else if (rec.outcome !== "pending" && rec.committed.length > 0) {
      // A commit whose result was not delivered: a value consumed and lost.
      p(`settled as "${rec.outcome}" although branch ${rec.committed[0]} committed`);
    }
    if (rec.outcome === "pending") return;
    if (rec.outcome === "closed") {
      // An event that is ready with an error (a closed port or socket) was chosen: its NACK stays
      // unfired, as for any chosen event, though no wrap ran to tell which branch it was.
      const unfired = rec.nacks.filter((n) => !n.nack.isFired).length;
      if (unfired > 1) p(`${unfired} NACKs did not fire; one at most may (the raising branch's)`);
      return;
    }
    for (const { branch, nack } of rec.nacks) {
      const won = rec.outcome === "chosen" && branch === rec.chosen;
      if (nack.isFired === won)
        p(
          `NACK of branch ${branch} ${won ? "fired although it won" : "did not fire although it lost"}`,
        );
    }
  }

  /** Final checks over every sync (NACKs that fire late or never). */
  checkAll(): void {
    for (const rec of this.syncs) {
      if (rec.outcome === "pending")
        this.problems.push(`sync ${rec.id} (${rec.who}) never settled`);
      else this.check(rec, false);
    }
  }
}

/** A multiset difference report: values of `a` missing from `b` and extra in `b`. */
export function multisetDiff(a: readonly unknown[], b: readonly unknown[]): string | null {
  const counts = new Map<unknown, number>();
  for (const x of a) counts.set(x, (counts.get(x) ?? 0) + 1);
  for (const x of b) counts.set(x, (counts.get(x) ?? 0) - 1);
  const missing: unknown[] = [];
  const extra: unknown[] = [];
  for (const [x, n] of counts) {
    for (let i = 0; i < n; i++) missing.push(x);
    for (let i = 0; i < -n; i++) extra.push(x);
  }
  if (missing.length === 0 && extra.length === 0) return null;
  return `missing [${missing.slice(0, 10).join(",")}] extra/duplicated [${extra.slice(0, 10).join(",")}]`;
}

/** One macrotask turn: every pending promise continuation runs. */
export function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** How an agent waits in one sync: blocking, polling, or with a timeout of `ms`. */
export type SyncHow = "block" | "poll" | "timeout";

/**
 * Runs one sync of `rec` and records how it settled (never throws). A breakable agent syncs with
 * an AbortController kept in `controllers` while pending, so the chaos can abort it. Returns
 * "killed" when the agent's thread was killed (its body must stop).
 */
export async function syncRecorded(
  ledger: Ledger,
  controllers: Set<AbortController>,
  breakable: boolean,
  rec: SyncRecord,
  evts: Evt<unknown>[],
  how: SyncHow,
  ms: number,
): Promise<"continue" | "killed"> {
  const timeout = how === "poll" ? 0 : ms / 1000;
  let ac: AbortController | null = null;
  let p: Promise<unknown>;
  if (breakable) {
    ac = new AbortController();
    controllers.add(ac);
    p =
      how === "block"
        ? syncEnableBreak(ac.signal, ...evts)
        : syncTimeoutEnableBreak(ac.signal, timeout, ...evts);
  } else {
    p = how === "block" ? sync(...evts) : syncTimeout(timeout, ...evts);
  }
  try {
    ledger.settle(rec, false, await p);
  } catch (e) {
    ledger.settle(rec, true, e);
    if (e instanceof ThreadKilledError) return "killed";
  } finally {
    if (ac) controllers.delete(ac);
  }
  return "continue";
}
