// The exception a port raises when the Node or web stream under it fails: Racket's wording for a
// failed stream port, with the stream's own error as the cause.
import { ExnFail } from "../errors/exn.js";

/** @internal */
export function streamError(
  direction: "reading from" | "writing to",
  port: string,
  err: unknown,
): ExnFail {
  const detail = err instanceof Error ? err.message : String(err);
  return new ExnFail(`error ${direction} stream port\n  port: ${port}\n  system error: ${detail}`, {
    cause: err,
  });
}
