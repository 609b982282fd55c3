// Every workload, in the order the table prints them.
import type { Workload } from "../harness/types.js";
import { always } from "./always.js";
import { pingPong } from "./ping-pong.js";
import { twoSidedChoice } from "./two-sided-choice.js";
import { fanIn } from "./fan-in.js";
import { nackGuard } from "./nack-guard.js";
import { alarms } from "./alarms.js";
import { memory } from "./memory.js";

export const workloads: readonly Workload[] = [
  always,
  pingPong,
  twoSidedChoice,
  fanIn,
  nackGuard,
  alarms,
  memory,
];
