// Channel ping-pong between two parties: one round trip is a put on `ping` then a get on `pong`.
import { channelGet, channelPut, makeChannel } from "@rendezvous/core";
import csp from "js-csp";
import { throughput } from "../harness/measure.js";
import type { Workload } from "../harness/types.js";
import { Handoff } from "./lib/handoff.js";
import { threadApi } from "./lib/threads.js";

export const pingPong: Workload = {
  name: "ping-pong",
  title: "channel ping-pong between two parties (rendezvous channels, no buffering)",
  unit: "round trips/s",
  better: "higher",
  configs: () => [{ label: "", params: {} }],
  sides: [
    {
      kind: "node",
      name: "rendezvous (async fns)",
      run: (_params, caps) => {
        const ping = makeChannel<number>();
        const pong = makeChannel<number>();
        const client = async (n: number): Promise<void> => {
          for (let i = 0; i < n; i++) {
            await channelPut(ping, i);
            await channelGet(pong);
          }
        };
        const server = async (n: number): Promise<void> => {
          for (let i = 0; i < n; i++) await channelPut(pong, await channelGet(ping));
        };
        return throughput(async (n) => {
          await Promise.all([client(n), server(n)]);
        }, caps);
      },
    },
    {
      kind: "node",
      name: "rendezvous (threads)",
      available: () => Promise.resolve(threadApi() !== null),
      run: (_params, caps) => {
        const { thread, threadWait } = threadApi()!;
        const ping = makeChannel<number>();
        const pong = makeChannel<number>();
        return throughput(async (n) => {
          const a = thread(async () => {
            for (let i = 0; i < n; i++) {
              await channelPut(ping, i);
              await channelGet(pong);
            }
          });
          const b = thread(async () => {
            for (let i = 0; i < n; i++) await channelPut(pong, await channelGet(ping));
          });
          await threadWait(a);
          await threadWait(b);
        }, caps);
      },
    },
    {
      kind: "node",
      name: "node promises (handoff)",
      run: (_params, caps) => {
        const ping = new Handoff<number>();
        const pong = new Handoff<number>();
        const client = async (n: number): Promise<void> => {
          for (let i = 0; i < n; i++) {
            await ping.put(i);
            await pong.get();
          }
        };
        const server = async (n: number): Promise<void> => {
          for (let i = 0; i < n; i++) await pong.put(await ping.get());
        };
        return throughput(async (n) => {
          await Promise.all([client(n), server(n)]);
        }, caps);
      },
    },
    {
      kind: "node",
      name: "js-csp (go blocks)",
      run: (_params, caps) => {
        const ping = csp.chan();
        const pong = csp.chan();
        const done = (ch: ReturnType<typeof csp.go>): Promise<void> =>
          new Promise((resolve) => csp.takeAsync(ch, () => resolve()));
        return throughput(async (n) => {
          const a = csp.go(function* () {
            for (let i = 0; i < n; i++) {
              yield csp.put(ping, i);
              yield csp.take(pong);
            }
          });
          const b = csp.go(function* () {
            for (let i = 0; i < n; i++) yield csp.put(pong, yield csp.take(ping));
          });
          await Promise.all([done(a), done(b)]);
        }, caps);
      },
    },
    { kind: "racket", name: "racket (threads)", file: "ping-pong.rkt", args: () => [] },
  ],
};
