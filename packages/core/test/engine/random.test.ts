import { afterEach, describe, expect, it } from "vitest";
import {
  currentEvtPseudoRandomGenerator,
  makePseudoRandomGenerator,
  randomOffset,
} from "../../src/engine/random.js";
import { ExnFailContract } from "../../src/errors/exn.js";

afterEach(() => currentEvtPseudoRandomGenerator(Math.random));

describe("makePseudoRandomGenerator", () => {
  it("is deterministic per seed and differs between seeds", () => {
    const a = makePseudoRandomGenerator(42);
    const b = makePseudoRandomGenerator(42);
    const c = makePseudoRandomGenerator(43);
    const xa = Array.from({ length: 100 }, () => a());
    const xb = Array.from({ length: 100 }, () => b());
    const xc = Array.from({ length: 100 }, () => c());
    expect(xa).toEqual(xb);
    expect(xc).not.toEqual(xa);
  });

  it("yields numbers in [0, 1), spread evenly", () => {
    const g = makePseudoRandomGenerator(0);
    const buckets = new Array(10).fill(0);
    for (let i = 0; i < 20_000; i++) {
      const x = g();
      expect(x >= 0 && x < 1).toBe(true);
      buckets[Math.floor(x * 10)]++;
    }
    for (const k of buckets) {
      expect(k).toBeGreaterThan(1700);
      expect(k).toBeLessThan(2300);
    }
  });

  it("accepts any finite seed (negative, fractional, large)", () => {
    for (const seed of [-1, 0.5, 2 ** 40, -(2 ** 53)]) {
      const x = makePseudoRandomGenerator(seed)();
      expect(x >= 0 && x < 1).toBe(true);
    }
  });

  it("rejects a non-finite seed", () => {
    for (const bad of [NaN, Infinity, "1"]) {
      expect(() => makePseudoRandomGenerator(bad as never)).toThrow(ExnFailContract);
    }
    expect(() => makePseudoRandomGenerator(NaN)).toThrow(
      /^make-pseudo-random-generator: contract violation/,
    );
  });
});

describe("currentEvtPseudoRandomGenerator", () => {
  it("defaults to Math.random; installs and returns a generator", () => {
    expect(currentEvtPseudoRandomGenerator()).toBe(Math.random);
    const g = makePseudoRandomGenerator(1);
    currentEvtPseudoRandomGenerator(g);
    expect(currentEvtPseudoRandomGenerator()).toBe(g);
  });

  it("rejects a non-procedure", () => {
    expect(() => currentEvtPseudoRandomGenerator(5 as never)).toThrow(
      /^current-evt-pseudo-random-generator: contract violation/,
    );
  });

  it("randomOffset draws from it, always within [0, n)", () => {
    currentEvtPseudoRandomGenerator(() => 0.75);
    expect(randomOffset(4)).toBe(3);
    // A generator that misbehaves (1, negative, NaN) still gives a valid offset.
    for (const bad of [1, -0.5, NaN, 7]) {
      currentEvtPseudoRandomGenerator(() => bad);
      const k = randomOffset(5);
      expect(k >= 0 && k < 5).toBe(true);
    }
  });
});
