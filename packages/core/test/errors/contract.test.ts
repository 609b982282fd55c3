import { describe, expect, it } from "vitest";
import {
  check,
  checkProcedure,
  contractViolation,
  isExactNonnegativeInteger,
  isExactPositiveInteger,
  racketValueString,
} from "../../src/errors/contract.js";
import { ExnFailContract } from "../../src/errors/exn.js";

describe("contractViolation", () => {
  it("builds Racket's message, with an ordinal argument position", () => {
    const e = contractViolation("sync", "evt?", 5, 1);
    expect(e).toBeInstanceOf(ExnFailContract);
    expect(e.message).toBe(
      "sync: contract violation\n  expected: evt?\n  given: 5\n  argument position: 1st",
    );
    expect(contractViolation("f", "x", 1, 2).message).toMatch(/argument position: 2nd$/);
    expect(contractViolation("f", "x", 1, 3).message).toMatch(/argument position: 3rd$/);
    expect(contractViolation("f", "x", 1, 11).message).toMatch(/argument position: 11th$/);
    expect(contractViolation("f", "x", 1).message).toBe(
      "f: contract violation\n  expected: x\n  given: 1",
    );
  });
});

describe("check and checkProcedure", () => {
  it("throw a contract violation only when the check fails", () => {
    expect(() => check(true, "f", "x", 1)).not.toThrow();
    expect(() => check(false, "make-semaphore", "exact-nonnegative-integer?", -1, 1)).toThrow(
      /^make-semaphore: contract violation\n {2}expected: exact-nonnegative-integer\?\n {2}given: -1/,
    );
    expect(() => checkProcedure("wrap-evt", () => 0, 2)).not.toThrow();
    expect(() => checkProcedure("wrap-evt", 0, 2)).toThrow(
      "wrap-evt: contract violation\n  expected: procedure?\n  given: 0\n  argument position: 2nd",
    );
  });
});

describe("racketValueString", () => {
  it("prints values the way Racket does", () => {
    expect(racketValueString(false)).toBe("#f");
    expect(racketValueString(true)).toBe("#t");
    expect(racketValueString(undefined)).toBe("#<void>");
    expect(racketValueString(null)).toBe("null");
    expect(racketValueString('a"b')).toBe('"a\\"b"');
    expect(racketValueString(1.5)).toBe("1.5");
    expect(racketValueString(10n)).toBe("10");
    expect(racketValueString(Symbol("linefeed"))).toBe("'linefeed");
    function named() {}
    expect(racketValueString(named)).toBe("#<procedure:named>");
    expect(racketValueString(() => 0)).toBe("#<procedure>");
    expect(racketValueString(new Uint8Array([104, 105]))).toBe('#"hi"');
    expect(racketValueString(new Uint8Array(50).fill(97))).toBe(`#"${"a".repeat(40)}..."`);
    expect(racketValueString([1, "x", false])).toBe('\'(1 "x" #f)');
    expect(racketValueString({})).toBe("#<object>");
    class TcpListener {}
    expect(racketValueString(new TcpListener())).toBe("#<tcp-listener>");
    expect(racketValueString(Object.create(null))).toBe("#<object>");
  });
});

describe("integer predicates", () => {
  it("exact non-negative / positive integers", () => {
    expect([0, 1, 2 ** 53 - 1].every(isExactNonnegativeInteger)).toBe(true);
    expect([-1, 1.5, NaN, Infinity, 2 ** 53, "1"].some(isExactNonnegativeInteger)).toBe(false);
    expect(isExactPositiveInteger(1)).toBe(true);
    expect(isExactPositiveInteger(0)).toBe(false);
    expect(isExactPositiveInteger(-3)).toBe(false);
  });
});
