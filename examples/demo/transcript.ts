// A timestamped, aligned transcript on stdout, and the counters the summary checks.
import { currentInexactMonotonicMilliseconds } from "@rendezvous/core";

const start = currentInexactMonotonicMilliseconds();

/** Prints `[  1.234s] who     text`. */
export function log(who: string, text: string): void {
  const t = ((currentInexactMonotonicMilliseconds() - start) / 1000).toFixed(3).padStart(7);
  process.stdout.write(`[${t}s] ${who.padEnd(7)} ${text}\n`);
}

/** What the server and the clients count, to show at the end that nothing was lost. */
export class Stats {
  /** Steps of the server loop: one sync each, one event committed each. */
  syncs = 0;
  clientsServed = 0;
  linesReceived = 0;
  linesRelayed = 0;
  datagramsAnswered = 0;
  /** Chat lines the server wrote to each client, by name. */
  readonly relayedTo = new Map<string, number>();
  /** Chat lines each client read, by name. */
  readonly readBy = new Map<string, number>();
  /** Lines each client sent, by name, and lines the server received from each. */
  readonly sentBy = new Map<string, number>();
  readonly receivedFrom = new Map<string, number>();
  /** Discovery datagrams sent by clients, and answers they got. */
  discoveriesSent = 0;
  answersReceived = 0;

  bump(map: Map<string, number>, key: string): void {
    map.set(key, (map.get(key) ?? 0) + 1);
  }
}
