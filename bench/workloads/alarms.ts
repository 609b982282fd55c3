// 10,000 concurrent syncs, each on an alarm at a random time in the next second: how late does
// each sync resume after its alarm time? Lateness is read, on each side, with the clock the alarm
// is defined on, right when the waiting code resumes.
import {
  alarmEvt,
  currentInexactMilliseconds,
  currentInexactMonotonicMilliseconds,
  sync,
} from "@rendezvous/core";
import { quantile } from "../harness/measure.js";
import type { Caps, Params, Sample } from "../harness/types.js";
import type { Workload } from "../harness/types.js";

const SPREAD_MS = 1000;
// Every alarm is set at least this far ahead, so setting up all of them (10,000 Racket threads take
// 0.3–0.9 s to start) never makes the first ones late. `setupMs` in the metrics shows the margin.
const LEAD_MS = 1000;
const WARMUP_LEAD_MS = 100;

type Start = (t: number, monotonic: boolean, done: () => void) => void;

interface Lateness {
  readonly late: number[];
  readonly setupMs: number;
}

async function lateness(
  start: Start,
  count: number,
  spreadMs: number,
  leadMs: number,
  monotonic: boolean,
): Promise<Lateness> {
  const now = monotonic ? currentInexactMonotonicMilliseconds : currentInexactMilliseconds;
  const late = new Array<number>(count).fill(0);
  const t0 = performance.now();
  const base = now() + leadMs;
  let setupMs = 0;
  await new Promise<void>((resolve) => {
    let left = count;
    for (let i = 0; i < count; i++) {
      const t = base + Math.random() * spreadMs;
      start(t, monotonic, () => {
        late[i] = now() - t;
        if (--left === 0) resolve();
      });
    }
    setupMs = performance.now() - t0;
  });
  return { late, setupMs };
}

async function measure(start: Start, params: Params, caps: Caps): Promise<Sample> {
  const monotonic = params.clock === "monotonic";
  await lateness(start, 1000, 100, WARMUP_LEAD_MS, monotonic); // warm-up
  const { late, setupMs } = await lateness(start, caps.scale, SPREAD_MS, LEAD_MS, monotonic);
  return {
    value: quantile(late, 0.99),
    metrics: {
      p50: quantile(late, 0.5),
      p99: quantile(late, 0.99),
      max: Math.max(...late),
      n: late.length,
      setupMs,
    },
  };
}

const viaSync: Start = (t, monotonic, done) => {
  void sync(alarmEvt(t, monotonic)).then(done);
};

// The floor: one setTimeout per alarm, as a hand-written Node program would do.
const viaSetTimeout: Start = (t, monotonic, done) => {
  const now = monotonic ? performance.now() : Date.now();
  setTimeout(function fire() {
    const left = t - (monotonic ? performance.now() : Date.now());
    if (left > 0) setTimeout(fire, left);
    else done();
  }, t - now);
};

export const alarms: Workload = {
  name: "alarms",
  title: "10,000 syncs on alarms at random times in the next second: lateness (value: p99)",
  unit: "ms p99 late",
  better: "lower",
  shown: [{ key: "p50", unit: "ms p50" }],
  configs: (quick) =>
    quick
      ? [{ label: "wall clock", params: { clock: "wall" } }]
      : [
          { label: "wall clock", params: { clock: "wall" } },
          { label: "monotonic", params: { clock: "monotonic" } },
        ],
  caps: (base) => ({ ...base, scale: 10_000 }),
  maxRounds: 3,
  sides: [
    { kind: "node", name: "rendezvous", run: (params, caps) => measure(viaSync, params, caps) },
    {
      kind: "node",
      name: "node setTimeout (floor)",
      run: (params, caps) => measure(viaSetTimeout, params, caps),
    },
    {
      kind: "racket",
      name: "racket (threads)",
      file: "alarms.rkt",
      args: (params) => [String(params.clock)],
    },
  ],
};
