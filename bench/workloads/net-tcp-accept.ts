// TCP accept rate: a client process keeps N connections in flight (each is reset as soon as the
// server has accepted and closed it), the server accepts and closes. Connections/s.
import { createServer } from "node:net";
import { closeInputPort, closeOutputPort, sync } from "@rendezvous/core";
import { tcpAcceptEvt, tcpAddresses, tcpClose, tcpListen } from "@rendezvous/tcp";
import { throughput } from "../harness/measure.js";
import type { Workload } from "../harness/types.js";
import { Counter, NET_CLIENT, startClient } from "./net-load.js";

const HOST = "127.0.0.1";
/** The listeners' backlog, on every side: above the number in flight, so no SYN is dropped. */
const BACKLOG = 512;
/** The client's own time cap (s); a sample lasts about a second. */
const CLIENT_MAX_S = 40;

export const tcpAccept: Workload = {
  name: "tcp-accept",
  title: "TCP accepts: a client process keeps N connections in flight; accept, then close",
  unit: "connections/s",
  better: "higher",
  reference: "node net.Server",
  shown: [{ key: "cpuUsPerOp", unit: "µs CPU/op" }],
  configs: () => [{ label: "64 in flight", params: { inFlight: 64 } }],
  sides: [
    {
      kind: "node",
      name: "rendezvous (tcpAcceptEvt)",
      run: async (params, caps) => {
        const l = await tcpListen(0, BACKLOG, true, HOST);
        const [, port] = tcpAddresses(l, true);
        const client = await startClient("accept", port, [Number(params.inFlight), CLIENT_MAX_S]);
        const evt = tcpAcceptEvt(l);
        const s = await throughput(async (n) => {
          for (let i = 0; i < n; i++) {
            const [inp, out] = await sync(evt);
            closeInputPort(inp);
            closeOutputPort(out);
          }
        }, caps);
        client.stop();
        tcpClose(l);
        return s;
      },
    },
    {
      kind: "node",
      name: "node net.Server",
      run: async (params, caps) => {
        const accepted = new Counter();
        const server = createServer((sock) => {
          sock.destroy();
          accepted.add();
        });
        await new Promise<void>((ok) => server.listen(0, HOST, BACKLOG, ok));
        const { port } = server.address() as { port: number };
        const client = await startClient("accept", port, [Number(params.inFlight), CLIENT_MAX_S]);
        const s = await throughput((n) => accepted.until(n), caps);
        client.stop();
        server.close();
        return s;
      },
    },
    {
      kind: "racket",
      name: "racket (tcp-accept-evt)",
      file: "tcp-accept.rkt",
      args: (params) => [
        process.execPath,
        NET_CLIENT,
        String(params.inFlight),
        String(BACKLOG),
        String(CLIENT_MAX_S),
      ],
    },
  ],
};
