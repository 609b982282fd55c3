// In-memory pipes: the output port's sink is the input port's buffer. The limit bounds unread
// bytes, except that a reader waiting for more (a long line, a large readBytes) makes room for what
// it needs — as in Racket, where bytes being peeked do not count against the limit.
import { check, isExactPositiveInteger } from "../errors/contract.js";
import { InputPort } from "./input-port.js";
import { OutputPort } from "./output-port.js";
import type { ByteSink } from "./byte-sink.js";

/**
 * Makes a pipe (Racket's `make-pipe`): an input port and an output port, bytes written to the
 * second readable from the first. With a `limit`, writes wait while the pipe holds `limit` unread
 * bytes (a reader waiting for more than `limit` bytes — a long line, a large `readBytes` — makes
 * room for what it needs, as peeked bytes do not count in Racket). Closing the output port gives
 * the reader eof after the unread bytes; bytes written after the input port is closed are dropped.
 * Pipe ports are unbuffered and not custodian-managed, as in Racket.
 *
 * @throws {@link ExnFailContract} unless `limit` is `false`/`undefined` or a positive integer.
 *
 * @example
 * ```ts
 * import { makePipe, writeString, readLine, closeOutputPort } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("ping\n", out);
 * await readLine(inp); // "ping"
 * closeOutputPort(out);
 * ```
 */
export function makePipe(
  limit?: number | false,
  inputName: string = "pipe",
  outputName: string = "pipe",
): [InputPort, OutputPort] {
  const who = "make-pipe";
  const bounded = limit !== undefined && limit !== false;
  check(
    !bounded || isExactPositiveInteger(limit),
    who,
    "(or/c #f exact-positive-integer?)",
    limit,
    1,
  );
  check(typeof inputName === "string", who, "string?", inputName, 2);
  check(typeof outputName === "string", who, "string?", outputName, 3);
  const max = bounded ? (limit as number) : Infinity;
  const inp = new InputPort(inputName, max, null);
  let out: OutputPort | null = null;
  // The input side's flow control wakes the writers: `resume` means room appeared.
  inp.source = {
    start() {},
    resume: () => out?.feed.ready(),
    close: () => out?.feed.ready(),
  };
  const sink: ByteSink = {
    capacity: () => (inp.closed ? Infinity : Math.max(max, inp.demand()) - inp.q.length),
    write(chunk, done) {
      inp.pushBytes(chunk);
      done();
    },
    end: () => inp.pushEnd(),
    abandon: () => inp.pushEnd(),
  };
  out = new OutputPort(outputName, sink, "none", 0, false);
  return [inp, out];
}
