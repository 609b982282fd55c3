import { describe, it, expect } from "vitest";
import { ExnFailNetworkErrno, ExnFailNetwork, ExnFailContract } from "@rendezvous/core";
import {
  networkError,
  posixError,
  systemErrorOf,
  socketStateError,
  udpContract,
} from "../src/errors.js";

describe("errors", () => {
  it("maps libuv's errno and resolver codes to Racket's pairs", () => {
    expect(systemErrorOf({ errno: -111, code: "ECONNREFUSED" }).errno).toEqual([111, "posix"]);
    expect(systemErrorOf({ errno: -3008, code: "ENOTFOUND" })).toEqual({
      errno: [-2, "gai"],
      text: "Name or service not known",
    });
    expect(systemErrorOf({ errno: -3001, code: "EAI_AGAIN" }).errno).toEqual([-3, "gai"]);
    // Node's ERR_SOCKET_BUFFER_SIZE carries the system error in `info`.
    expect(systemErrorOf({ code: "ERR_SOCKET_BUFFER_SIZE", info: { errno: -22 } }).errno).toEqual([
      22,
      "posix",
    ]);
    expect(systemErrorOf({ code: "EMSGSIZE" }).errno).toEqual([90, "posix"]);
    expect(posixError("EAFNOSUPPORT").errno).toEqual([97, "posix"]);
  });

  it("lays messages out as Racket does", () => {
    const e = networkError("udp-bind!", "can't bind", { errno: -98 }, [
      ["address", "127.0.0.1"],
      ["port number", 5],
    ]);
    expect(e).toBeInstanceOf(ExnFailNetworkErrno);
    expect(e.message).toBe(
      "udp-bind!: can't bind\n  address: 127.0.0.1\n  port number: 5\n  system error: Address already in use; errno=98",
    );
    expect(networkError("udp-send-to", "can't resolve address", { errno: -3008 }).message).toMatch(
      /gai_err=-2$/,
    );
    const s = socketStateError("udp-send", "not connected");
    expect(s).toBeInstanceOf(ExnFailNetwork);
    expect(s.message).toBe("udp-send: udp socket is not connected\n  socket: #<udp>");
    expect(udpContract("udp-ttl", "udp?", 5)).toBeInstanceOf(ExnFailContract);
    expect(udpContract("udp-ttl", "udp?", 5).message).toBe(
      "udp-ttl: contract violation\n  expected: udp?\n  given: 5",
    );
  });
});
