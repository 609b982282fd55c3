import { describe, expect, it } from "vitest";
import {
  Exn,
  ExnBreak,
  ExnFail,
  ExnFailContract,
  ExnFailNetwork,
  ExnFailNetworkErrno,
} from "../../src/errors/exn.js";

describe("exception hierarchy", () => {
  it("mirrors Racket: exn ⊃ exn:fail ⊃ contract, network ⊃ errno; exn ⊃ exn:break", () => {
    const contract = new ExnFailContract("c");
    const errno = new ExnFailNetworkErrno("n", [111, "posix"]);
    const brk = new ExnBreak("b");
    expect(contract).toBeInstanceOf(ExnFail);
    expect(contract).toBeInstanceOf(Exn);
    expect(contract).toBeInstanceOf(Error);
    expect(contract).not.toBeInstanceOf(ExnFailNetwork);
    expect(errno).toBeInstanceOf(ExnFailNetwork);
    expect(errno).toBeInstanceOf(ExnFail);
    expect(brk).toBeInstanceOf(Exn);
    expect(brk).not.toBeInstanceOf(ExnFail);
  });

  it("names each error after its class and keeps message and cause", () => {
    const cause = new Error("root");
    const e = new ExnFailNetwork("udp-send: udp socket is closed", { cause });
    expect(e.name).toBe("ExnFailNetwork");
    expect(e.message).toBe("udp-send: udp socket is closed");
    expect(e.cause).toBe(cause);
    expect(new ExnFailContract("x").name).toBe("ExnFailContract");
    expect(new ExnBreak("x").name).toBe("ExnBreak");
    expect(String(new ExnFail("boom"))).toBe("ExnFail: boom");
  });

  it("ExnFailNetworkErrno carries [code, kind]", () => {
    const e = new ExnFailNetworkErrno("tcp-connect: connection failed", [111, "posix"]);
    expect(e.errno).toEqual([111, "posix"]);
    expect(new ExnFailNetworkErrno("h", [-2, "gai"], { cause: 1 }).errno).toEqual([-2, "gai"]);
    expect(e.name).toBe("ExnFailNetworkErrno");
  });

  it("has a stack trace", () => {
    expect(new ExnFail("s").stack).toContain("ExnFail: s");
  });
});
