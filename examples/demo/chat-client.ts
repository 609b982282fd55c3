// A simulated chat user: discovers the server over UDP, connects over TCP, introduces itself,
// follows a script, and reads everything the server sends (in a second thread).
import {
  sync,
  thread,
  threadWait,
  wrapEvt,
  alarmEvt,
  readLine,
  writeString,
  flushOutput,
  closeOutputPort,
  currentInexactMilliseconds,
  isEofObject,
  type InputPort,
} from "@rendezvous/core";
import { tcpConnect } from "@rendezvous/tcp";
import { udpOpenSocket, udpSendTo, udpReceiveEvt, udpClose } from "@rendezvous/udp";
import { log, type Stats } from "./transcript.js";

export type Action = { at: number; say: string } | { at: number; quit: true };

/** Lines the server relays from other users: chat lines and join/leave notices. */
const RELAYED = /^(\S+: |\* \S+ (joined|left|dropped)$)/;

export async function chatClient(
  name: string,
  discoveryPort: number,
  script: readonly Action[],
  stats: Stats,
): Promise<void> {
  // 1. Discovery: ask on UDP, wait up to a second for the answer.
  const sock = udpOpenSocket();
  const buf = new Uint8Array(128);
  await udpSendTo(sock, "127.0.0.1", discoveryPort, new TextEncoder().encode(`DISCOVER ${name}`));
  stats.discoveriesSent++;
  const answer = await sync(
    wrapEvt(udpReceiveEvt(sock, buf), ([n]) => new TextDecoder().decode(buf.subarray(0, n))),
    wrapEvt(alarmEvt(currentInexactMilliseconds() + 1000), () => null),
  );
  udpClose(sock);
  if (answer === null) throw new Error(`${name}: no answer to discovery`);
  stats.answersReceived++;
  const [, host, port] = answer.split(" ");
  log(name, `discovered the server at ${host}:${port}`);

  // 2. Connect and introduce ourselves.
  const [inp, out] = await tcpConnect(host!, Number(port));
  const reader = thread(() => readAll(name, inp, stats));
  const say = async (line: string) => {
    await writeString(line + "\n", out);
    await flushOutput(out);
    stats.bump(stats.sentBy, name);
  };
  await say(`NICK ${name}`);

  // 3. Follow the script.
  const t0 = currentInexactMilliseconds();
  for (const step of script) {
    await sync(alarmEvt(t0 + step.at));
    if ("say" in step) {
      log(name, `says "${step.say}"`);
      await say(step.say);
    } else {
      log(name, "says /quit");
      await say("/quit");
    }
  }
  await threadWait(reader); // until the server closes the connection
  closeOutputPort(out);
}

async function readAll(name: string, inp: InputPort, stats: Stats): Promise<void> {
  for (;;) {
    let line;
    try {
      line = await readLine(inp, "any");
    } catch {
      return; // our own connection was torn down
    }
    if (isEofObject(line)) return;
    if (RELAYED.test(line)) stats.bump(stats.readBy, name);
  }
}
