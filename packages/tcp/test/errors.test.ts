import { describe, it, expect } from "vitest";
import { ExnFailContract, ExnFailNetworkErrno } from "@rendezvous/core";
import { errnoOf, networkError, listenerClosed, tcpContract } from "../src/errors.js";

describe("Node errors as Racket errnos", () => {
  it("maps libuv's negated POSIX codes to [code, 'posix'] with strerror-like text", () => {
    expect(errnoOf({ errno: -111, code: "ECONNREFUSED" })).toEqual({
      errno: [111, "posix"],
      text: "Connection refused",
    });
    expect(errnoOf({ errno: -98 }).errno).toEqual([98, "posix"]);
  });

  it("maps libuv's resolver codes to glibc's EAI values, [code, 'gai']", () => {
    expect(errnoOf({ errno: -3008, code: "ENOTFOUND" })).toEqual({
      errno: [-2, "gai"],
      text: "Name or service not known",
    });
    expect(errnoOf({ errno: -3001, code: "EAI_AGAIN" }).errno).toEqual([-3, "gai"]);
  });

  it("falls back to the code name when Node gives no number", () => {
    expect(errnoOf({ code: "EPIPE" }).errno).toEqual([32, "posix"]);
  });

  it("builds Racket's message layout", () => {
    const e = networkError("tcp-connect", "connection failed", { errno: -111 }, [
      ["hostname", "example.org"],
      ["port number", 80],
    ]);
    expect(e).toBeInstanceOf(ExnFailNetworkErrno);
    expect(e.message).toBe(
      "tcp-connect: connection failed\n  hostname: example.org\n  port number: 80\n  system error: Connection refused; errno=111",
    );
    expect(networkError(null, "x", { errno: -3008 }).message).toBe(
      "x\n  system error: Name or service not known; gai_err=-2",
    );
  });

  it("closed listeners and bad arguments are contract errors", () => {
    expect(listenerClosed("tcp-accept")).toBeInstanceOf(ExnFailContract);
    expect(tcpContract("tcp-close", "tcp-listener?", false).message).toBe(
      "tcp-close: contract violation\n  expected: tcp-listener?\n  given: #f",
    );
  });
});
