import { checkProcedure, check } from "../errors/contract.js";

/** A generator of pseudo-random numbers in [0, 1). */
export type PseudoRandomGenerator = () => number;

/**
 * Returns a deterministic pseudo-random generator for `seed` (sfc32 seeded through splitmix32):
 * install it with {@link currentEvtPseudoRandomGenerator} to replay a run's choices exactly.
 *
 * @example
 * ```ts
 * import { makePseudoRandomGenerator } from "@rendezvous/core";
 * const a = makePseudoRandomGenerator(42), b = makePseudoRandomGenerator(42);
 * a() === b(); // true
 * ```
 */
export function makePseudoRandomGenerator(seed: number): PseudoRandomGenerator {
  check(Number.isFinite(seed), "make-pseudo-random-generator", "real?", seed, 1);
  let s = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
  const split = (): number => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
  let a = split(),
    b = split(),
    c = split(),
    d = split();
  return () => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t / 4294967296;
  };
}

let current: PseudoRandomGenerator = Math.random;

/**
 * Gets, or installs, the generator `sync` draws from to rotate its candidates (Racket's
 * `current-evt-pseudo-random-generator`). With a seeded generator, a run's choices replay exactly.
 *
 * @example
 * ```ts
 * import { currentEvtPseudoRandomGenerator, makePseudoRandomGenerator } from "@rendezvous/core";
 * currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(7));
 * const g = currentEvtPseudoRandomGenerator(); // the installed generator
 * ```
 */
export function currentEvtPseudoRandomGenerator(): PseudoRandomGenerator;
export function currentEvtPseudoRandomGenerator(g: PseudoRandomGenerator): void;
export function currentEvtPseudoRandomGenerator(
  g?: PseudoRandomGenerator,
): PseudoRandomGenerator | void {
  if (g === undefined) return current;
  checkProcedure("current-evt-pseudo-random-generator", g, 1);
  current = g;
}

/** A rotation offset in [0, n) drawn from the current generator. @internal */
export function randomOffset(n: number): number {
  const k = Math.floor(current() * n);
  return k >= 0 && k < n ? k : 0;
}
