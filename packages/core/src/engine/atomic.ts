// Racket's "atomic mode", for a single-threaded host: engine state changes happen inside
// `atomically`, and user code triggered by them (wraps, handlers, NACK wake-ups, callbacks) is
// deferred until the outermost atomic section ends. So no user code ever runs in the middle of a
// primitive's bookkeeping, and a handler that syncs again runs from the flush loop instead of
// growing the stack.

type Task = (a: any, b: any) => void;

let depth = 0;
let flushing = false;
// Parallel arrays that never shrink (shrinking a JS array reallocates it): slots are cleared as
// they run, and the indices reset when the queue drains.
const tasks: (Task | undefined)[] = [];
const argsA: unknown[] = [];
const argsB: unknown[] = [];
let head = 0;
let count = 0;

/**
 * Runs `fn` as one atomic step of the engine; deferred work runs when the outermost step ends.
 * Primitive authors wrap every entry point that can commit waiters (a post, an arriving datagram,
 * a timer) in it.
 *
 * @example
 * ```ts
 * import { atomically } from "@rendezvous/core/protocol";
 * atomically(() => {
 *   // make an event ready and commit its waiters
 * });
 * ```
 */
export function atomically<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    if (--depth === 0 && !flushing && head < count) flush();
  }
}

/** Enters an atomic step without a closure (hot paths); pair with {@link exitAtomic} in `finally`. @internal */
export function enterAtomic(): void {
  depth++;
}

/** Leaves an atomic step entered with {@link enterAtomic}. @internal */
export function exitAtomic(): void {
  if (--depth === 0 && !flushing && head < count) flush();
}

/** `true` inside an atomic step entered from another one, or from a deferred task. @internal */
export function inNestedStep(): boolean {
  return depth > 1 || flushing;
}

/**
 * How many atomic steps enclose the caller (0: none). The thread layer uses it to tell a sync
 * started by a guard or a NACK maker (inside another sync's step) from one the body waits in.
 * @internal
 */
export function atomicDepth(): number {
  return depth;
}

/** Queues `task(a, b)` to run when the current atomic step ends (at once if there is none). @internal */
export function defer<A, B>(task: (a: A, b: B) => void, a: A, b: B): void {
  const i = count++;
  tasks[i] = task as Task;
  argsA[i] = a;
  argsB[i] = b;
  if (depth === 0 && !flushing) flush();
}

function flush(): void {
  flushing = true;
  try {
    while (head < count) {
      const i = head++;
      const t = tasks[i]!;
      const a = argsA[i];
      const b = argsB[i];
      tasks[i] = argsA[i] = argsB[i] = undefined;
      try {
        t(a, b);
      } catch (err) {
        // Tasks settle their own errors; anything escaping is a bug, reported without losing the
        // tasks queued behind it.
        queueMicrotask(() => {
          throw err;
        });
      }
    }
  } finally {
    head = count = 0;
    flushing = false;
  }
}
