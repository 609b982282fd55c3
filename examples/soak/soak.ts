// `npm run soak -- --seconds N`: the demo's chat server under load from another process for N
// seconds. Reports throughput, latency, memory over time, and conservation counts at the end.
// Not run in CI (it is long by design); see docs/reliability.md for a recorded run.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import {
  makeCustodian,
  withCustodian,
  custodianShutdownAll,
  thread,
  threadWait,
  makeSemaphore,
  semaphorePost,
  semaphorePeekEvt,
} from "@rendezvous/core";
import { tcpListen, tcpAddresses } from "@rendezvous/tcp";
import { udpOpenSocket, udpBind, udpAddresses } from "@rendezvous/udp";
import { chatServer } from "../demo/chat-server.js";
import { Stats } from "../demo/transcript.js";

const args = process.argv.slice(2);
const si = args.indexOf("--seconds");
const seconds = si >= 0 ? Number(args[si + 1]) : 30;
const ci = args.indexOf("--clients");
const clients = ci >= 0 ? Number(args[ci + 1]) : 20;
if (
  !(seconds > 0) ||
  !(clients >= 2) ||
  args.some((a, i) => a.startsWith("--") && !["--seconds", "--clients"].includes(a) && i >= 0)
) {
  process.stderr.write("usage: npm run soak -- [--seconds N] [--clients K]\n");
  process.exit(2);
}

const stats = new Stats();
const everything = makeCustodian();
const stop = makeSemaphore(0);
const mem: { t: number; rssMB: number; heapMB: number }[] = [];
const t0 = Date.now();

const report = await withCustodian(everything, async () => {
  const listener = await tcpListen(0, 64, true, "127.0.0.1");
  const discovery = udpOpenSocket();
  await udpBind(discovery, "127.0.0.1", 0);
  const [, tcpPort] = tcpAddresses(listener, true);
  const [, udpPort] = udpAddresses(discovery, true);
  const server = thread(() =>
    chatServer({
      listener,
      discovery,
      shutdown: semaphorePeekEvt(stop),
      idleMs: 3_600_000,
      stats,
      log: () => {},
    }),
  );
  const sampler = setInterval(() => {
    const m = process.memoryUsage();
    mem.push({ t: (Date.now() - t0) / 1000, rssMB: m.rss / 2 ** 20, heapMB: m.heapUsed / 2 ** 20 });
  }, 1000);
  const load = spawn(
    process.execPath,
    [
      "--import",
      "tsx",
      fileURLToPath(new URL("./load.ts", import.meta.url)),
      String(tcpPort),
      String(udpPort),
      String(seconds),
      String(clients),
    ],
    { stdio: ["ignore", "pipe", "inherit"] },
  );
  let out = "";
  load.stdout.on("data", (d: Buffer) => (out += d.toString()));
  await new Promise((r) => load.on("exit", r));
  clearInterval(sampler);
  await new Promise((r) => setTimeout(r, 500)); // the last /quit lines
  semaphorePost(stop);
  await threadWait(server);
  return JSON.parse(out.trim().split("\n").pop() ?? "{}") as Record<string, number>;
});
custodianShutdownAll(everything);

const rate = (n: number) => (n / seconds).toFixed(0);
console.log(`soak: ${seconds} s, ${clients} persistent clients plus churn, server in this process`);
console.log(
  `  server loop: ${stats.syncs} syncs, ${stats.clientsServed} clients served, ${stats.linesReceived} lines received, ${stats.linesRelayed} relayed (${rate(stats.linesRelayed)}/s), ${stats.datagramsAnswered} datagrams answered`,
);
console.log(
  `  load: ${report.sent} lines said, ${report.deliveries} of ${report.deliveriesExpected} deliveries to persistent clients, ${report.churned} short-lived clients (half reset), ${report.discoveries} discoveries, ${report.answers} answers`,
);
console.log(
  `  latency (say → another client reads): p50 ${report.p50} ms, p99 ${report.p99} ms, max ${report.max} ms`,
);
const every = Math.max(1, Math.floor(mem.length / 10));
console.log(
  `  memory (s: rss MB / heap MB): ${mem
    .filter((_, i) => i % every === 0 || i === mem.length - 1)
    .map((m) => `${m.t.toFixed(0)}: ${m.rssMB.toFixed(0)}/${m.heapMB.toFixed(0)}`)
    .join(", ")}`,
);
const ok =
  report.missing === 0 &&
  report.duplicated === 0 &&
  report.deliveries === report.deliveriesExpected &&
  report.answers === report.discoveries;
console.log(
  `  conservation: ${report.missing} missing, ${report.duplicated} duplicated, ${report.discoveries - report.answers} discoveries unanswered → ${ok ? "nothing lost" : "MISMATCH"}`,
);
process.exitCode = ok ? 0 : 1;
