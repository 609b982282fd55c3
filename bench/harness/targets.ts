// The performance issue's targets, checked against a run's medians.
import type { Summary } from "./stats.js";

export interface Target {
  readonly goal: string;
  readonly workload: string;
  readonly config: string;
  /** The side whose median is checked. */
  readonly side: string;
  /** `true`/`false` once measured; reads the side's summary. */
  readonly met: (s: Summary) => boolean | null;
  /** What was measured, in words. */
  readonly got: (s: Summary) => string;
}

const vsRacket = (times: number) => (s: Summary) =>
  s.ratioToRacket === null ? null : s.ratioToRacket >= times;
const ratio = (s: Summary) =>
  s.ratioToRacket === null ? "no Racket figure" : `${s.ratioToRacket.toFixed(2)}× Racket`;

export const TARGETS: readonly Target[] = [
  {
    goal: "ping-pong ≥ 2× Racket CS",
    workload: "ping-pong",
    config: "",
    side: "rendezvous (async fns)",
    met: vsRacket(2),
    got: ratio,
  },
  {
    goal: "ping-pong ≥ 2× Racket CS (threads)",
    workload: "ping-pong",
    config: "",
    side: "rendezvous (threads)",
    met: vsRacket(2),
    got: ratio,
  },
  {
    goal: "sync on alwaysEvt ≥ 1× Racket CS",
    workload: "always",
    config: "plain",
    side: "rendezvous",
    met: vsRacket(1),
    got: ratio,
  },
  {
    goal: "two-sided choice ≥ 2× Racket CS",
    workload: "two-sided-choice",
    config: "",
    side: "rendezvous (async fns)",
    met: vsRacket(2),
    got: ratio,
  },
  {
    goal: "memory per blocked sync ≤ 1 KB",
    workload: "memory",
    config: "",
    side: "rendezvous (pending sync)",
    met: (s) => s.median <= 1024,
    got: (s) => `${Math.round(s.median)} B`,
  },
  {
    goal: "memory per blocked async fn ≤ 1 KB",
    workload: "memory",
    config: "",
    side: "rendezvous (async fn)",
    met: (s) => s.median <= 1024,
    got: (s) => `${Math.round(s.median)} B`,
  },
  {
    goal: "10k alarms: p99 lateness ≤ 5 ms",
    workload: "alarms",
    config: "wall clock",
    side: "rendezvous",
    met: (s) => s.median <= 5,
    got: (s) => `p99 ${s.median.toFixed(2)} ms`,
  },
];
