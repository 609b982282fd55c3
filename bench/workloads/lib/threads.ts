// The thread layer may not be exported yet: look it up at run time so the bench works either way.
import * as core from "@rendezvous/core";

export interface ThreadApi {
  readonly thread: (thunk: () => Promise<void>) => unknown;
  readonly threadWait: (t: unknown) => Promise<unknown>;
}

/** `thread` and `threadWait` from @rendezvous/core, or `null` when they are not exported. */
export function threadApi(): ThreadApi | null {
  const m = core as unknown as Record<string, unknown>;
  const thread = m["thread"];
  const threadWait = m["threadWait"];
  if (typeof thread !== "function" || typeof threadWait !== "function") return null;
  return {
    thread: thread as ThreadApi["thread"],
    threadWait: threadWait as ThreadApi["threadWait"],
  };
}
