// The soak test's load, in its own process: K persistent chat clients that talk at a steady rate
// and check that every line one of them says reaches each of the others exactly once, plus a pool
// of short-lived clients that discover, connect, talk, and leave (half politely, half abruptly).
// Prints one JSON line with its counts and latencies when done.
import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";

const [tcpPort, udpPort, seconds, persistentN] = process.argv.slice(2).map(Number) as [
  number,
  number,
  number,
  number,
];
const deadline = Date.now() + seconds * 1000;

interface Receiver {
  got: Map<string, number>;
}
const latencies: number[] = [];
let sent = 0;
let churned = 0;
let discoveries = 0;
let answers = 0;
const said = new Set<string>();

function open(name: string, onLine: (l: string) => void): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect(tcpPort, "127.0.0.1", () => {
      s.write(`NICK ${name}\n`);
      resolve(s);
    });
    s.setNoDelay(true);
    let buf = "";
    s.on("data", (d) => {
      buf += d.toString();
      let i;
      while ((i = buf.indexOf("\n")) >= 0) {
        onLine(buf.slice(0, i));
        buf = buf.slice(i + 1);
      }
    });
    s.on("error", reject);
  });
}

async function main(): Promise<void> {
  // Persistent clients: lines "p<i>: <i>.<seq>.<sentAtMs>".
  const receivers: Receiver[] = [];
  const socks: Socket[] = [];
  for (let i = 0; i < persistentN; i++) {
    const r: Receiver = { got: new Map() };
    receivers.push(r);
    socks.push(
      await open(`p${i}`, (line) => {
        const m = /^p\d+: (\d+\.\d+)\.(\d+)$/.exec(line);
        if (!m) return;
        r.got.set(m[1]!, (r.got.get(m[1]!) ?? 0) + 1);
        latencies.push(Date.now() - Number(m[2]));
      }),
    );
  }
  await new Promise((r) => setTimeout(r, 300)); // everyone has said NICK

  // Discovery over UDP, answered by the server's loop too.
  const udp = createSocket("udp4");
  udp.on("message", () => answers++);
  await new Promise<void>((r) => udp.bind(0, "127.0.0.1", () => r()));

  let seq = 0;
  const stopSending = deadline - 1500; // leave time for the last relays to arrive
  const talk = setInterval(() => {
    if (Date.now() >= stopSending) return;
    for (let i = 0; i < socks.length; i++) {
      const id = `${i}.${seq}`;
      said.add(id);
      socks[i]!.write(`${id}.${Date.now()}\n`);
      sent++;
    }
    seq++;
  }, 10);
  const discover = setInterval(() => {
    if (Date.now() >= stopSending) return;
    udp.send("DISCOVER soak", udpPort, "127.0.0.1");
    discoveries++;
  }, 20);
  // Churn: short-lived clients, one at a time.
  const churn = (async () => {
    while (Date.now() < stopSending) {
      const s = await open(`c${churned}`, () => {});
      s.write("hello from a short-lived client\n");
      await new Promise((r) => setTimeout(r, 50));
      if (churned % 2 === 0) s.end("/quit\n");
      else s.resetAndDestroy();
      churned++;
      await new Promise((r) => setTimeout(r, 50));
    }
  })();

  await new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())));
  clearInterval(talk);
  clearInterval(discover);
  await churn;
  udp.close();
  for (const s of socks) s.end("/quit\n");

  // Conservation: each line said by p<i> reached every other persistent client exactly once.
  let missing = 0;
  let duplicated = 0;
  for (let i = 0; i < receivers.length; i++) {
    for (const id of said) {
      if (id.startsWith(`${i}.`)) continue;
      const n = receivers[i]!.got.get(id) ?? 0;
      if (n === 0) missing++;
      if (n > 1) duplicated++;
    }
  }
  latencies.sort((a, b) => a - b);
  const q = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] ?? 0;
  process.stdout.write(
    JSON.stringify({
      sent,
      deliveriesExpected: sent * (persistentN - 1),
      deliveries: latencies.length,
      missing,
      duplicated,
      churned,
      discoveries,
      answers,
      p50: q(0.5),
      p99: q(0.99),
      max: latencies[latencies.length - 1] ?? 0,
    }) + "\n",
  );
}

await main();
