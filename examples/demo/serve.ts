// `npm start -- --serve [--port N]`: the relay server alone, for people to try with `nc`.
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
import { udpOpenSocket, udpBind } from "@rendezvous/udp";
import { chatServer } from "./chat-server.js";
import { log, Stats } from "./transcript.js";

export async function serve(port: number): Promise<void> {
  const everything = makeCustodian();
  const stop = makeSemaphore(0);
  const stats = new Stats();
  await withCustodian(everything, async () => {
    const listener = await tcpListen(port, 16, true, "127.0.0.1");
    const [, tcpPort] = tcpAddresses(listener, true);
    const discovery = await udpOpenSocket("127.0.0.1", false);
    await udpBind(discovery, "127.0.0.1", tcpPort);
    log(
      "serve",
      `try:  nc 127.0.0.1 ${tcpPort}   (discovery: echo DISCOVER | nc -u -w1 127.0.0.1 ${tcpPort})`,
    );
    log("serve", "Ctrl-C stops the server");
    // Ctrl-C is the break: the loop's shutdown event becomes ready, the custodian closes the rest.
    process.once("SIGINT", () => {
      log("serve", "Ctrl-C");
      semaphorePost(stop);
    });
    const server = thread(() =>
      chatServer({
        listener,
        discovery,
        shutdown: semaphorePeekEvt(stop),
        idleMs: 5 * 60_000,
        stats,
      }),
    );
    await threadWait(server);
  });
  custodianShutdownAll(everything);
  log("serve", `served ${stats.clientsServed} client(s), relayed ${stats.linesRelayed} line(s)`);
}
