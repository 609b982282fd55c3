// The scripted demo: a server and four simulated users on loopback, all under one custodian.
import {
  makeCustodian,
  withCustodian,
  custodianShutdownAll,
  thread,
  threadWait,
  makeSemaphore,
  semaphorePost,
  semaphorePeekEvt,
  sync,
  alarmEvt,
  currentInexactMilliseconds,
} from "@rendezvous/core";
import { tcpListen, tcpAddresses } from "@rendezvous/tcp";
import { udpOpenSocket, udpBind, udpAddresses } from "@rendezvous/udp";
import { chatServer } from "./chat-server.js";
import { chatClient, type Action } from "./chat-client.js";
import { log, Stats } from "./transcript.js";

const SCRIPTS: Record<string, { start: number; script: Action[] }> = {
  alice: {
    start: 50,
    script: [
      { at: 200, say: "hi all" },
      { at: 700, say: "anyone up for lunch?" },
      { at: 1300, say: "ok, leaving soon" },
      { at: 1800, quit: true },
    ],
  },
  bob: {
    start: 100,
    script: [
      { at: 350, say: "hey alice" },
      { at: 800, say: "lunch sounds good" },
      { at: 1500, say: "ordering now" },
      { at: 2200, say: "see you there" },
      { at: 2500, quit: true },
    ],
  },
  carol: { start: 150, script: [{ at: 250, say: "brb" }] }, // then idles out
  dave: { start: 200, script: [{ at: 300, say: "hello?" }] }, // then drops abruptly
};

export async function runDemo(): Promise<boolean> {
  const stats = new Stats();
  const everything = makeCustodian();
  const stop = makeSemaphore(0);

  console.log(
    [
      "Rendezvous demo: a chat relay whose server is ONE loop. Each step is one sync over one choice:",
      "a new TCP client, a line from any client, a UDP discovery datagram, each client's idle alarm,",
      "and shutdown. Each sync commits exactly one event; everything else stays where it was (the",
      "client in the backlog, the line in its port, the datagram in its queue) for a later step.",
      "",
    ].join("\n"),
  );
  const ok = await withCustodian(everything, async () => {
    const listener = await tcpListen(0, 8, true, "127.0.0.1");
    const discovery = await udpOpenSocket("127.0.0.1", false);
    await udpBind(discovery, "127.0.0.1", 0);
    const [, discoveryPort] = udpAddresses(discovery, true);
    const [, tcpPort] = tcpAddresses(listener, true);
    log("demo", `tcp port ${tcpPort}, udp discovery port ${discoveryPort}`);

    const server = thread(() =>
      chatServer({ listener, discovery, shutdown: semaphorePeekEvt(stop), idleMs: 1200, stats }),
    );

    // Dave runs under his own custodian: shutting it down drops his connection mid-conversation.
    const daveCustodian = makeCustodian();
    const users = Object.entries(SCRIPTS).map(([name, { start, script }]) =>
      withCustodian(name === "dave" ? daveCustodian : everything, () =>
        thread(async () => {
          await sync(alarmEvt(currentInexactMilliseconds() + start));
          await chatClient(name, discoveryPort, script, stats);
        }),
      ),
    );
    const t0 = currentInexactMilliseconds();
    await sync(alarmEvt(t0 + 1300));
    log("demo", "dave's process dies (his custodian is shut down)");
    custodianShutdownAll(daveCustodian);

    for (const u of users.filter((_, i) => i !== 3)) await threadWait(u);
    log("demo", "everyone is done: shutdown");
    semaphorePost(stop);
    await threadWait(server);
    return true;
  });
  custodianShutdownAll(everything);
  return ok && summary(stats);
}

function summary(s: Stats): boolean {
  const lines: string[] = [];
  let fine = true;
  const check = (label: string, a: number, b: number) => {
    const good = a === b;
    fine &&= good;
    lines.push(`  ${good ? "✓" : "✗"} ${label}: ${a} = ${b}`);
  };
  console.log("\nsummary");
  console.log(
    `  ${s.syncs} syncs, each committing one event: ${s.clientsServed} clients served, ` +
      `${s.linesReceived} lines received, ${s.linesRelayed} relayed, ${s.datagramsAnswered} datagrams answered`,
  );
  check("discovery datagrams sent = answered", s.discoveriesSent, s.datagramsAnswered);
  check("answers sent = answers received", s.datagramsAnswered, s.answersReceived);
  for (const name of ["alice", "bob", "carol", "dave"]) {
    check(
      `lines ${name} sent = lines the server received from ${name}`,
      s.sentBy.get(name) ?? 0,
      s.receivedFrom.get(name) ?? 0,
    );
  }
  // Dave's reader died with him; the others read everything relayed to them.
  for (const name of ["alice", "bob", "carol"]) {
    check(
      `lines relayed to ${name} = lines ${name} read`,
      s.relayedTo.get(name) ?? 0,
      s.readBy.get(name) ?? 0,
    );
  }
  for (const l of lines) console.log(l);
  console.log(fine ? "  nothing lost, nothing duplicated" : "  MISMATCH: something was lost");
  return fine;
}
