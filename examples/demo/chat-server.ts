// The relay server: ONE loop, ONE sync per step, over one choice of every event it cares about —
// a new TCP client, a line from any client, a discovery datagram, each client's idle alarm, and
// shutdown. Whatever the sync does not choose stays where it is (the client stays in the kernel
// backlog, the line in its port, the datagram in its queue) for a later turn: nothing is lost.
import {
  sync,
  choiceEvt,
  wrapEvt,
  alarmEvt,
  readLineEvt,
  peekBytesAvailEvt,
  syncTimeout,
  writeString,
  flushOutput,
  closeOutputPort,
  closeInputPort,
  currentInexactMilliseconds,
  isEofObject,
  ExnFail,
  type Evt,
  type InputPort,
  type OutputPort,
} from "@rendezvous/core";
import { tcpAcceptEvt, tcpAddresses, type TcpListener } from "@rendezvous/tcp";
import { udpReceiveEvt, udpSendTo, type UdpSocket } from "@rendezvous/udp";
import { log as transcript, type Stats } from "./transcript.js";

interface Client {
  readonly id: number;
  name: string;
  readonly in: InputPort;
  readonly out: OutputPort;
  lastActive: number;
}

type Step =
  | { kind: "accept"; ports: [InputPort, OutputPort] }
  | { kind: "line"; client: Client; line: string }
  | { kind: "eof"; client: Client }
  | { kind: "idle"; client: Client }
  | { kind: "discover"; text: string; host: string; port: number }
  | { kind: "shutdown" };

export interface ServerOptions {
  listener: TcpListener;
  discovery: UdpSocket;
  /** Ready when the server must stop. */
  shutdown: Evt<unknown>;
  idleMs: number;
  stats: Stats;
  /** Where the transcript goes (the soak test silences it). */
  log?: (who: string, text: string) => void;
}

const encoder = new TextEncoder();

export async function chatServer(opts: ServerOptions): Promise<void> {
  const { listener, discovery, stats } = opts;
  const log = opts.log ?? transcript;
  const [, tcpPort] = tcpAddresses(listener, true);
  const clients = new Map<number, Client>();
  const dgram = new Uint8Array(512);
  const probe = new Uint8Array(1);
  let nextId = 1;

  const accept = wrapEvt(tcpAcceptEvt(listener), (ports): Step => ({ kind: "accept", ports }));
  const discover = wrapEvt(udpReceiveEvt(discovery, dgram), ([n, host, port]): Step => ({
    kind: "discover",
    text: new TextDecoder().decode(dgram.subarray(0, n)),
    host,
    port,
  }));
  const shutdown = wrapEvt(opts.shutdown, (): Step => ({ kind: "shutdown" }));

  const clientEvt = (c: Client): Evt<Step> =>
    choiceEvt(
      wrapEvt(readLineEvt(c.in, "any"), (line): Step =>
        isEofObject(line) ? { kind: "eof", client: c } : { kind: "line", client: c, line },
      ),
      wrapEvt(alarmEvt(c.lastActive + opts.idleMs), (): Step => ({ kind: "idle", client: c })),
    );

  const send = async (c: Client, text: string): Promise<boolean> => {
    try {
      await writeString(text + "\n", c.out);
      await flushOutput(c.out);
      return true;
    } catch {
      return false; // the peer is gone; its read side will tell the loop
    }
  };
  const drop = (c: Client, why: string): void => {
    clients.delete(c.id);
    log("server", `${c.name} ${why}`);
    try {
      closeOutputPort(c.out);
      closeInputPort(c.in);
    } catch {
      // already closed by its custodian
    }
  };
  const broadcast = async (from: Client | null, text: string): Promise<void> => {
    for (const c of clients.values()) {
      if (c === from) continue;
      if (await send(c, text)) {
        if (from) {
          stats.linesRelayed++;
          stats.bump(stats.relayedTo, c.name);
        }
      }
    }
  };

  log("server", `listening on 127.0.0.1:${tcpPort} (tcp); discovery on udp`);
  for (;;) {
    let step: Step;
    try {
      step = await sync(accept, discover, shutdown, ...[...clients.values()].map(clientEvt));
      stats.syncs++;
    } catch (e) {
      // A client's connection failed (reset): its read event raised when chosen. Find it with a
      // peek, which never consumes: the failed port raises again, the others do not.
      if (!(e instanceof ExnFail)) throw e;
      let found = false;
      for (const c of [...clients.values()]) {
        try {
          await syncTimeout(0, peekBytesAvailEvt(probe, 0, false, c.in));
        } catch {
          found = true;
          drop(c, `lost (${(e as Error).message.split("\n")[0]})`);
        }
      }
      if (!found) throw e;
      continue;
    }

    switch (step.kind) {
      case "accept": {
        const [inp, out] = step.ports;
        const [, , host, port] = tcpAddresses(inp, true);
        const c: Client = {
          id: nextId++,
          name: `#${nextId - 1}`,
          in: inp,
          out,
          lastActive: currentInexactMilliseconds(),
        };
        clients.set(c.id, c);
        stats.clientsServed++;
        log("server", `accepted ${c.name} from ${host}:${port} (${clients.size} online)`);
        await send(
          c,
          `* welcome; ${clients.size - 1} other(s) online. Say NICK <name>, /quit to leave`,
        );
        break;
      }
      case "line": {
        const { client: c, line } = step;
        c.lastActive = currentInexactMilliseconds();
        stats.linesReceived++;
        stats.bump(stats.receivedFrom, c.name);
        if (line.startsWith("NICK ")) {
          const old = c.name;
          c.name = line.slice(5).trim() || c.name;
          // Counts kept under the provisional name (#3) move to the chosen one.
          for (const m of [stats.receivedFrom, stats.relayedTo]) {
            const n = m.get(old) ?? 0;
            m.delete(old);
            m.set(c.name, (m.get(c.name) ?? 0) + n);
          }
          log("server", `${old} is now ${c.name}`);
          await broadcast(c, `* ${c.name} joined`);
        } else if (line === "/quit") {
          await send(c, "* bye");
          drop(c, "left (/quit)");
          await broadcast(c, `* ${c.name} left`);
        } else {
          log("server", `${c.name}: ${line}`);
          await broadcast(c, `${c.name}: ${line}`);
        }
        break;
      }
      case "eof":
        drop(step.client, "disconnected without /quit");
        await broadcast(step.client, `* ${step.client.name} dropped`);
        break;
      case "idle":
        await send(step.client, `* idle for ${opts.idleMs / 1000}s, bye`);
        drop(step.client, `idle for ${opts.idleMs / 1000}s: disconnected`);
        break;
      case "discover": {
        if (step.text.startsWith("DISCOVER")) {
          await udpSendTo(
            discovery,
            step.host,
            step.port,
            encoder.encode(`CHAT 127.0.0.1 ${tcpPort}`),
          );
          stats.datagramsAnswered++;
          log("server", `discovery from ${step.host}:${step.port} answered`);
        }
        break;
      }
      case "shutdown":
        log("server", `shutting down; closing ${clients.size} client(s)`);
        for (const c of [...clients.values()]) {
          await send(c, "* server shutting down");
          drop(c, "closed by shutdown");
        }
        return;
    }
  }
}
