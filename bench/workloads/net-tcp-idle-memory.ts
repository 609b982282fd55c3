// Memory per idle TCP connection: N accepted connections, each with a pending read of a line
// (Rendezvous: a sync blocked on readLineEvt; raw Node: a net.Socket with a 'data' listener). The
// client process holds the other ends open. (heapUsed + external) delta after full GCs, ÷ N.
// Needs `--expose-gc`.
import { createServer, type Socket } from "node:net";
import { readLineEvt, sync } from "@rendezvous/core";
import { tcpAccept, tcpAddresses, tcpClose, tcpListen } from "@rendezvous/tcp";
import { settle } from "../harness/measure.js";
import type { Sample, Workload } from "../harness/types.js";
import { startClient } from "./net-load.js";

const HOST = "127.0.0.1";
/** Connections accepted first and kept (part of the baseline): warms up every code path. */
const WARM = 200;
const CLIENT_MAX_S = 50;

function fullGc(): void {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) throw new Error("tcp-idle-memory: run node with --expose-gc");
  gc();
  gc();
}

const used = (): number => {
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
};

/**
 * Two client processes, one after the other: the first opens the warm-up connections, which are
 * accepted and kept (part of the baseline); then the measured `n`. A raw net.Server accepts as soon
 * as connections arrive, so the second client starts only after the baseline is taken.
 * `acceptOne()` accepts a connection and leaves it idle with a pending read; returns what holds it.
 */
async function measure(
  port: number,
  n: number,
  acceptOne: () => Promise<unknown>,
): Promise<Sample> {
  const held: unknown[] = [];
  const warm = await startClient("hold", port, [WARM, CLIENT_MAX_S]);
  for (let i = 0; i < WARM; i++) held.push(await acceptOne());
  await settle();
  fullGc();
  const before = used();
  const measured = await startClient("hold", port, [n, CLIENT_MAX_S]);
  for (let i = 0; i < n; i++) held.push(await acceptOne());
  await settle();
  fullGc();
  const after = used();
  warm.stop();
  measured.stop();
  return { value: (after - before) / n, metrics: { n, bytes: after - before } };
}

export const tcpIdleMemory: Workload = {
  name: "tcp-idle-memory",
  title: "memory per idle TCP connection with a pending line read ((heap + external) delta / N)",
  unit: "bytes/connection",
  better: "lower",
  reference: "node net.Socket ('data')",
  configs: () => [{ label: "", params: {} }],
  caps: (base, quick) => ({ ...base, scale: quick ? 500 : 2000 }),
  maxRounds: 3,
  sides: [
    {
      kind: "node",
      name: "rendezvous (readLineEvt)",
      nodeFlags: ["--expose-gc"],
      run: async (_params, caps) => {
        const total = WARM + caps.scale;
        const l = await tcpListen(0, total, true, HOST);
        const [, port] = tcpAddresses(l, true);
        const s = await measure(port, caps.scale, async () => {
          const ports = await tcpAccept(l);
          sync(readLineEvt(ports[0])).catch(() => {}); // blocked: the client sends nothing
          return ports;
        });
        tcpClose(l);
        return s;
      },
    },
    {
      kind: "node",
      name: "node net.Socket ('data')",
      nodeFlags: ["--expose-gc"],
      run: async (_params, caps) => {
        const total = WARM + caps.scale;
        const arrived: Socket[] = [];
        let wake: (() => void) | null = null;
        const server = createServer((sock) => {
          sock.on("data", () => {});
          sock.on("error", () => {});
          arrived.push(sock);
          wake?.();
        });
        await new Promise<void>((ok) => server.listen(0, HOST, total, ok));
        const { port } = server.address() as { port: number };
        let next = 0;
        const s = await measure(port, caps.scale, async () => {
          while (next >= arrived.length) await new Promise<void>((ok) => (wake = ok));
          wake = null;
          return arrived[next++];
        });
        server.close();
        return s;
      },
    },
  ],
};
