// TCP echo through ports: a client process streams bytes in 64 KiB writes and reads them back;
// the server echoes them. MB/s (10^6 bytes) of echoed data, measured by the client after a warm-up.
import { createServer } from "node:net";
import {
  closeInputPort,
  closeOutputPort,
  flushOutput,
  isEofObject,
  readBytesAvailEvt,
  sync,
  writeBytes,
} from "@rendezvous/core";
import { tcpAccept, tcpAddresses, tcpClose, tcpListen } from "@rendezvous/tcp";
import type { Caps, Sample, Workload } from "../harness/types.js";
import { NET_CLIENT, startClient, type LoadClient } from "./net-load.js";

const HOST = "127.0.0.1";
const MiB = 1024 * 1024;
const CLIENT_MAX_S = 30;

/** Bytes warmed up with, then bytes measured (`caps.scale`). */
const amounts = (caps: Caps): [number, number] => [Math.max(MiB, caps.scale / 8), caps.scale];

/**
 * The client's figure, with this process's CPU time per MB echoed since `cpu0` (taken once the
 * client is connected; warm-up bytes included): when the client is the bottleneck, MB/s agree but
 * the server's CPU cost per MB still differs.
 */
async function clientResult(
  client: LoadClient,
  cpu0: NodeJS.CpuUsage,
  caps: Caps,
): Promise<Sample> {
  const sample = JSON.parse(await client.line()) as Sample;
  const cpu = process.cpuUsage(cpu0);
  client.stop();
  if (!sample.metrics?.complete) throw new Error("tcp-echo: the client's time cap was reached");
  const mb = (amounts(caps)[0] + amounts(caps)[1]) / 1e6;
  return {
    value: sample.value,
    metrics: { ...sample.metrics, cpuUsPerMB: (cpu.user + cpu.system) / mb },
  };
}

export const tcpEcho: Workload = {
  name: "tcp-echo",
  title: "TCP echo: a client process streams bytes in 64 KiB writes and reads them back",
  unit: "MB/s",
  better: "higher",
  reference: "node net.Socket (pipe)",
  shown: [{ key: "cpuUsPerMB", unit: "µs CPU/MB" }],
  configs: () => [{ label: "64 KiB writes", params: {} }],
  caps: (base, quick) => ({ ...base, scale: (quick ? 32 : 256) * MiB }),
  sides: [
    {
      kind: "node",
      name: "rendezvous (ports)",
      run: async (_params, caps) => {
        const l = await tcpListen(0, 4, true, HOST);
        const [, port] = tcpAddresses(l, true);
        const client = await startClient("echo", port, [...amounts(caps), CLIENT_MAX_S]);
        const cpu0 = process.cpuUsage();
        const [inp, out] = await tcpAccept(l);
        tcpClose(l);
        // The plain Racket-style loop: read what is there, write it, flush.
        const buf = new Uint8Array(64 * 1024);
        const served = (async () => {
          for (;;) {
            const n = await sync(readBytesAvailEvt(buf, inp));
            if (isEofObject(n)) break;
            await writeBytes(buf, out, 0, n);
            await flushOutput(out);
          }
          closeInputPort(inp);
          closeOutputPort(out);
        })();
        served.catch(() => {}); // the client may leave first
        return clientResult(client, cpu0, caps);
      },
    },
    {
      kind: "node",
      name: "node net.Socket (pipe)",
      run: async (_params, caps) => {
        const server = createServer((sock) => {
          sock.setNoDelay(true);
          sock.on("error", () => sock.destroy());
          sock.pipe(sock);
        });
        await new Promise<void>((ok) => server.listen(0, HOST, ok));
        const { port } = server.address() as { port: number };
        const client = await startClient("echo", port, [...amounts(caps), CLIENT_MAX_S]);
        const s = await clientResult(client, process.cpuUsage(), caps);
        server.close();
        return s;
      },
    },
    {
      kind: "racket",
      name: "racket (ports)",
      file: "tcp-echo.rkt",
      args: (_params, caps) => [
        process.execPath,
        NET_CLIENT,
        ...amounts(caps).map(String),
        String(CLIENT_MAX_S),
      ],
    },
  ],
};
