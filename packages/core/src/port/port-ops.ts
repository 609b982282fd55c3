// Predicates, closing, closed events and buffer modes: what applies to a port as a whole.
import { NOT_READY, PrimitiveEvt, type NotReady } from "../protocol/evt.js";
import type { Candidate } from "../protocol/candidate.js";
import { atomically } from "../engine/atomic.js";
import { check } from "../errors/contract.js";
import { ExnFail, ExnFailContract } from "../errors/exn.js";
import { InputPort } from "./input-port.js";
import { OutputPort } from "./output-port.js";
import type { BufferMode } from "./byte-sink.js";
import { checkInputPort, checkOutputPort } from "./port-errors.js";

/** A port of either direction. */
export type Port = InputPort | OutputPort;

/**
 * `true` if `v` is an input port (Racket's `input-port?`).
 * @example
 * ```ts
 * import { makePipe, isInputPort } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * isInputPort(inp); // true
 * isInputPort(out); // false
 * ```
 */
export function isInputPort(v: unknown): v is InputPort {
  return v instanceof InputPort;
}

/**
 * `true` if `v` is an output port (Racket's `output-port?`).
 * @example
 * ```ts
 * import { makePipe, isOutputPort } from "@rendezvous/core";
 * const [, out] = makePipe();
 * isOutputPort(out); // true
 * ```
 */
export function isOutputPort(v: unknown): v is OutputPort {
  return v instanceof OutputPort;
}

function checkPort(who: string, p: unknown, pos: number): asserts p is Port {
  check(p instanceof InputPort || p instanceof OutputPort, who, "port?", p, pos);
}

/**
 * `true` if `p` has been closed (Racket's `port-closed?`).
 * @example
 * ```ts
 * import { makePipe, isPortClosed, closeInputPort } from "@rendezvous/core";
 * const [inp] = makePipe();
 * closeInputPort(inp);
 * isPortClosed(inp); // true
 * ```
 */
export function isPortClosed(p: Port): boolean {
  checkPort("port-closed?", p, 1);
  return p.closed;
}

/**
 * Closes an input port (Racket's `close-input-port`): unread bytes are dropped, the source is told
 * to release its resource, and every read waiting on the port (and every read after) raises
 * `ExnFail` "…: input port is closed". Closing a closed port does nothing. Never waits.
 *
 * @example
 * ```ts
 * import { makePipe, closeInputPort, readByte } from "@rendezvous/core";
 * const [inp] = makePipe();
 * const pending = readByte(inp);
 * closeInputPort(inp);
 * await pending.catch((e) => e.message); // "read-byte: input port is closed\n  input port: #<input-port:pipe>"
 * ```
 */
export function closeInputPort(inp: InputPort): void {
  checkInputPort("close-input-port", inp, 1);
  inp.close();
}

/**
 * Closes an output port (Racket's `close-output-port`): what is buffered is handed to the sink,
 * which then ends the stream (a pipe's reader sees eof; a TCP peer gets a FIN). Writes after it
 * raise `ExnFail` "…: output port is closed". Closing a closed port does nothing.
 *
 * Unlike Racket's, it never waits: the final flush is handed to the sink whatever its room (a Node
 * stream queues it; a pipe takes it), so a full peer cannot make it block. Use
 * {@link flushOutput} first to wait until everything has left.
 *
 * @example
 * ```ts
 * import { makePipe, writeString, closeOutputPort, readLine } from "@rendezvous/core";
 * const [inp, out] = makePipe();
 * await writeString("last words", out);
 * closeOutputPort(out);
 * await readLine(inp); // "last words"
 * ```
 */
export function closeOutputPort(out: OutputPort): void {
  checkOutputPort("close-output-port", out, 1);
  out.close("end");
}

/**
 * The class of {@link portClosedEvt}'s events.
 *
 * @example
 * ```ts
 * import { makePipe, portClosedEvt, PortClosedEvt } from "@rendezvous/core";
 * const [inp] = makePipe();
 * portClosedEvt(inp) instanceof PortClosedEvt; // true
 * ```
 */
export class PortClosedEvt extends PrimitiveEvt<PortClosedEvt> {
  /** @internal */
  constructor(
    /** The port this event watches. */
    readonly port: Port,
  ) {
    super();
  }
  /** @internal */
  attempt(): PortClosedEvt | NotReady {
    return this.port.closed ? this : NOT_READY;
  }
  poll(_c: Candidate): PortClosedEvt | NotReady {
    if (this.port instanceof InputPort) this.port.need = 0;
    return this.attempt();
  }
  block(c: Candidate): void {
    if (this.port instanceof InputPort) this.port.addWaiter(c);
    else this.port.waiters.push(c);
  }
  abandon(c: Candidate): void {
    if (this.port instanceof InputPort) this.port.removeWaiter(c);
    else this.port.waiters.remove(c);
  }
}

/**
 * An event ready (for good) once `p` is closed; its result is the event itself (Racket's
 * `port-closed-evt`).
 *
 * @example
 * ```ts
 * import { makePipe, portClosedEvt, closeOutputPort, sync } from "@rendezvous/core";
 * const [, out] = makePipe();
 * const closed = portClosedEvt(out);
 * setTimeout(() => closeOutputPort(out), 10);
 * (await sync(closed)) === closed; // true, after 10 ms
 * ```
 */
export function portClosedEvt(p: Port): PortClosedEvt {
  checkPort("port-closed-evt", p, 1);
  return new PortClosedEvt(p);
}

const MODES = "(or/c 'none 'line 'block)";

/**
 * Gets or sets a port's buffer mode (Racket's `file-stream-buffer-mode`).
 *
 * - With one argument: the mode (`"block"`, `"line"` or `"none"`), or `false` when the port has
 *   none to report (pipes, as in Racket).
 * - With a mode: sets it. Output ports: `"block"` buffers until full (4096 bytes by default) or
 *   flushed, `"line"` also flushes after a write containing a newline or a return, `"none"` hands
 *   each write over at once (what is already buffered goes first). Input ports take `"block"` (read
 *   ahead up to the source's high-water mark) or `"none"` (nothing is read ahead of a waiting
 *   reader); `"line"` raises `ExnFailContract`. A port without buffering (a pipe) raises `ExnFail`.
 *
 * @example
 * ```ts
 * import { makeOutputPort } from "@rendezvous/core/protocol";
 * import { fileStreamBufferMode } from "@rendezvous/core";
 * const out = makeOutputPort("log", { capacity: () => Infinity, write: (_c, done) => done(), end() {}, abandon() {} });
 * fileStreamBufferMode(out); // "block"
 * fileStreamBufferMode(out, "line");
 * fileStreamBufferMode(out); // "line"
 * ```
 */
export function fileStreamBufferMode(p: Port): BufferMode | false;
export function fileStreamBufferMode(p: Port, mode: BufferMode): void;
export function fileStreamBufferMode(p: Port, mode?: BufferMode): BufferMode | false | void {
  const who = "file-stream-buffer-mode";
  checkPort(who, p, 1);
  if (mode === undefined) {
    if (p instanceof InputPort) return p.bufferMode ?? false;
    return p.bufferable ? p.mode : false;
  }
  check(mode === "none" || mode === "line" || mode === "block", who, MODES, mode, 2);
  if (p instanceof InputPort) {
    if (mode === "line")
      throw new ExnFailContract(
        `${who}: 'line buffering not supported for an input port\n  port: ${p.toString()}`,
      );
    if (p.bufferMode === null)
      throw new ExnFail(
        `${who}: buffering not supported for input port\n  mode: '${mode}\n  input port: ${p.toString()}`,
      );
    p.bufferMode = mode;
    atomically(() => p.flow());
    return;
  }
  if (!p.bufferable)
    throw new ExnFail(
      `${who}: buffering not supported for output port\n  mode: '${mode}\n  output port: ${p.toString()}`,
    );
  atomically(() => {
    p.mode = mode;
    // Switching to unbuffered: what is buffered leaves as soon as the sink has room.
    if (mode === "none" && p.len > 0) {
      p.flushing = true;
      p.drain();
      if (p.len > 0) p.scheduleWake();
    }
  });
}
