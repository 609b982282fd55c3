// The performance issue's targets, checked against a run's medians.
import type { Summary } from "./stats.js";

export interface Target {
  readonly goal: string;
  readonly workload: string;
  readonly config: string;
  /** The side whose median is checked. */
  readonly side: string;
  /** `true`/`false` once measured; reads the side's summary (and the others of the run). */
  readonly met: (s: Summary, all: readonly Summary[]) => boolean | null;
  /** What was measured, in words. */
  readonly got: (s: Summary, all: readonly Summary[]) => string;
}

const vsRacket = (times: number) => (s: Summary) =>
  s.ratioToRacket === null ? null : s.ratioToRacket >= times;
const ratio = (s: Summary) =>
  s.ratioToRacket === null ? "no Racket figure" : `${s.ratioToRacket.toFixed(2)}× Racket`;

const vsRef = (times: number) => (s: Summary) =>
  s.ratioToRef === null || s.ratioToRef === undefined ? null : s.ratioToRef >= times;
const refRatio = (ref: string) => (s: Summary) =>
  s.ratioToRef === null || s.ratioToRef === undefined
    ? `no ${ref} figure`
    : `${s.ratioToRef.toFixed(2)}× ${ref}`;
/** The median of side `side` under the same workload and configuration as `s`. */
const medianOf = (side: string, s: Summary, all: readonly Summary[]): number | null => {
  const r = all.find((x) => x.workload === s.workload && x.config === s.config && x.side === side);
  return r && r.n > 0 ? r.median : null;
};
const RAW_SOCKET = "node net.Socket ('data')";

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
  {
    goal: "TCP accept ≥ 0.9× raw net.Server",
    workload: "tcp-accept",
    config: "64 in flight",
    side: "rendezvous (tcpAcceptEvt)",
    met: vsRef(0.9),
    got: refRatio("raw"),
  },
  {
    goal: "TCP echo ≥ 0.8× raw net.Socket",
    workload: "tcp-echo",
    config: "64 KiB writes",
    side: "rendezvous (ports)",
    met: vsRef(0.8),
    got: refRatio("raw"),
  },
  {
    goal: "idle connection (pending readLineEvt) ≤ 4 KB above raw",
    workload: "tcp-idle-memory",
    config: "",
    side: "rendezvous (readLineEvt)",
    met: (s, all) => {
      const raw = medianOf(RAW_SOCKET, s, all);
      return raw === null ? null : s.median - raw <= 4096;
    },
    got: (s, all) => {
      const raw = medianOf(RAW_SOCKET, s, all);
      return raw === null
        ? `${Math.round(s.median)} B (no raw figure)`
        : `${Math.round(s.median - raw)} B above raw (${Math.round(s.median)} vs ${Math.round(raw)})`;
    },
  },
  {
    goal: "UDP receive ≥ 0.9× raw dgram",
    workload: "udp-receive",
    config: "64 B",
    side: "rendezvous (udpReceiveEvt)",
    met: vsRef(0.9),
    got: refRatio("raw"),
  },
  {
    goal: "UDP receive ≥ 2× Racket CS",
    workload: "udp-receive",
    config: "64 B",
    side: "rendezvous (udpReceiveEvt)",
    met: vsRacket(2),
    got: ratio,
  },
];
