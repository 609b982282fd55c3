// Every workload, in the order the table prints them.
import type { Workload } from "../harness/types.js";
import { always } from "./always.js";
import { pingPong } from "./ping-pong.js";
import { twoSidedChoice } from "./two-sided-choice.js";
import { fanIn } from "./fan-in.js";
import { nackGuard } from "./nack-guard.js";
import { alarms } from "./alarms.js";
import { memory } from "./memory.js";
import { tcpAccept } from "./net-tcp-accept.js";
import { tcpEcho } from "./net-tcp-echo.js";
import { tcpIdleMemory } from "./net-tcp-idle-memory.js";
import { udpReceive } from "./net-udp-receive.js";

export const workloads: readonly Workload[] = [
  always,
  pingPong,
  twoSidedChoice,
  fanIn,
  nackGuard,
  alarms,
  memory,
  tcpAccept,
  tcpEcho,
  tcpIdleMemory,
  udpReceive,
];
