import { describe, it, expect } from "vitest";
import { makePipe } from "../../src/port/pipe.js";
import { eof, isEofObject } from "../../src/port/eof.js";
import {
  closeInputPort,
  closeOutputPort,
  isInputPort,
  isOutputPort,
  isPortClosed,
  portClosedEvt,
} from "../../src/port/port-ops.js";
import { isProgressEvt, portProgressEvt } from "../../src/port/progress-evt.js";
import { readByte } from "../../src/port/read.js";
import { writeString } from "../../src/port/write.js";
import { isEvt } from "../../src/engine/sync-run.js";
import { sync, syncTimeout } from "../../src/engine/sync.js";
import { ExnFailContract } from "../../src/errors/exn.js";
import { track, turn } from "../helpers.js";

describe("predicates", () => {
  it("tell input from output ports; ports are events", () => {
    const [inp, out] = makePipe();
    expect([isInputPort(inp), isInputPort(out), isOutputPort(out), isOutputPort(inp)]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    expect(isInputPort("x")).toBe(false);
    expect(isEvt(inp) && isEvt(out)).toBe(true);
  });

  it("eof is one value", () => {
    expect(isEofObject(eof)).toBe(true);
    expect(isEofObject(undefined)).toBe(false);
    expect(String(eof)).toBe("#<eof>");
  });

  it("isPortClosed follows closing and checks its argument", () => {
    const [inp, out] = makePipe();
    expect(isPortClosed(inp) || isPortClosed(out)).toBe(false);
    closeInputPort(inp);
    closeOutputPort(out);
    expect(isPortClosed(inp) && isPortClosed(out)).toBe(true);
    expect(() => isPortClosed(3 as never)).toThrow(ExnFailContract);
    expect(() => closeInputPort(out as never)).toThrow(
      /^close-input-port: contract violation\n {2}expected: input-port\?/,
    );
  });
});

describe("portClosedEvt", () => {
  it("is ready once an input port closes, for good; its result is itself", async () => {
    const [inp] = makePipe();
    const e = portClosedEvt(inp);
    expect(await syncTimeout(0, e)).toBe(false);
    const r = track(sync(e));
    await turn();
    expect(r.status).toBe("pending");
    closeInputPort(inp);
    await turn();
    expect(r.value).toBe(e);
    expect(await sync(e)).toBe(e);
  });
});

describe("portProgressEvt", () => {
  it("becomes ready when bytes are read, or the port closes", async () => {
    const [inp, out] = makePipe();
    await writeString("ab", out);
    const p = portProgressEvt(inp);
    expect(isProgressEvt(p, inp)).toBe(true);
    expect(await syncTimeout(0, p)).toBe(false);
    const r = track(sync(p));
    await readByte(inp);
    await turn();
    expect(r.value).toBe(p);
    const p2 = portProgressEvt(inp);
    closeInputPort(inp);
    expect(await sync(p2)).toBe(p2);
  });
});
