// UDP receive rate: a sender process sends 64-byte datagrams to the receiver as fast as it can;
// the receiver counts what it receives (datagrams the kernel dropped are not counted). Datagrams/s.
import { createSocket } from "node:dgram";
import { sync } from "@rendezvous/core";
import { throughput } from "../harness/measure.js";
import type { Workload } from "../harness/types.js";
import { Counter, NET_CLIENT, startClient } from "./net-load.js";

const HOST = "127.0.0.1";
const SIZE = 64;
/** Every side receives into (or is handed) a buffer of this size. */
const BUFFER = 2048;
const CLIENT_MAX_S = 40;

type Udp = typeof import("@rendezvous/udp");

/** @rendezvous/udp, loaded at run time: the other workloads run even while it is not built. */
async function udpApi(): Promise<Udp | null> {
  try {
    const m = await import("@rendezvous/udp");
    return typeof m.udpReceiveEvt === "function" ? m : null;
  } catch {
    return null;
  }
}

export const udpReceive: Workload = {
  name: "udp-receive",
  title: "UDP receive: a sender process sends 64-byte datagrams as fast as it can",
  unit: "datagrams/s",
  better: "higher",
  reference: "node dgram ('message')",
  shown: [{ key: "cpuUsPerOp", unit: "µs CPU/op" }],
  configs: () => [{ label: `${SIZE} B`, params: {} }],
  sides: [
    {
      kind: "node",
      name: "rendezvous (udpReceiveEvt)",
      available: async () => (await udpApi()) !== null,
      run: async (_params, caps) => {
        const { udpOpenSocket, udpBind, udpAddresses, udpReceiveEvt, udpClose } = (await udpApi())!;
        const s = await udpOpenSocket(HOST, false);
        await udpBind(s, HOST, 0);
        const [, port] = udpAddresses(s, true);
        const client = await startClient("udp", port, [SIZE, CLIENT_MAX_S]);
        const evt = udpReceiveEvt(s, new Uint8Array(BUFFER));
        const r = await throughput(async (n) => {
          for (let i = 0; i < n; i++) await sync(evt);
        }, caps);
        client.stop();
        udpClose(s);
        return r;
      },
    },
    {
      kind: "node",
      name: "node dgram ('message')",
      run: async (_params, caps) => {
        const received = new Counter();
        const s = createSocket("udp4");
        s.on("message", () => received.add());
        await new Promise<void>((ok) => s.bind(0, HOST, ok));
        const client = await startClient("udp", s.address().port, [SIZE, CLIENT_MAX_S]);
        const r = await throughput((n) => received.until(n), caps);
        client.stop();
        s.close();
        return r;
      },
    },
    {
      kind: "racket",
      name: "racket (udp-receive!-evt)",
      file: "udp-receive.rkt",
      args: () => [
        process.execPath,
        NET_CLIENT,
        String(SIZE),
        String(BUFFER),
        String(CLIENT_MAX_S),
      ],
    },
  ],
};
