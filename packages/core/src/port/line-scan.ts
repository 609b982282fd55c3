// Finding the end of a line in an input port's unread bytes, for read-line's five modes.
import type { ByteQueue } from "./byte-queue.js";

/** `readLine`'s separators (Racket's symbols, as strings). */
export type LineMode = "linefeed" | "return" | "return-linefeed" | "any" | "any-one";

/** @internal */
export const LINE_MODES: readonly LineMode[] = [
  "linefeed",
  "return",
  "return-linefeed",
  "any",
  "any-one",
];

const LF = 10;
const CR = 13;

/** The separator length of the last successful {@link scanLine} (0: the line ended at eof). @internal */
export let scanSepLength = 0;

/**
 * Finds the next line in `q`: returns its length (separator excluded; see {@link scanSepLength}),
 * or -1 when more bytes could still change the answer (no separator yet, or a final CR that a LF
 * may follow in the `"any"` and `"return-linefeed"` modes). With `atEnd`, the rest is the line.
 * @internal
 */
export function scanLine(q: ByteQueue, mode: LineMode, atEnd: boolean): number {
  const n = q.length;
  let from = 0;
  for (;;) {
    let i: number;
    switch (mode) {
      case "linefeed":
        i = q.indexOf2(LF, LF, from);
        break;
      case "return":
      case "return-linefeed":
        i = q.indexOf2(CR, CR, from);
        break;
      default:
        i = q.indexOf2(CR, LF, from);
    }
    if (i < 0) break;
    if (mode === "linefeed" || mode === "return" || mode === "any-one" || q.byteAt(i) === LF) {
      scanSepLength = 1;
      return i;
    }
    // A CR in "any" or "return-linefeed" mode: what follows decides.
    if (i + 1 >= n) {
      if (!atEnd) return -1;
      if (mode === "any") {
        scanSepLength = 1;
        return i;
      }
      break;
    }
    if (q.byteAt(i + 1) === LF) {
      scanSepLength = 2;
      return i;
    }
    if (mode === "any") {
      scanSepLength = 1;
      return i;
    }
    from = i + 1;
  }
  if (!atEnd) return -1;
  scanSepLength = 0;
  return n;
}
