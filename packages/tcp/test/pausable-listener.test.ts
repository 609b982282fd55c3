import { describe, it, expect, afterEach } from "vitest";
import * as net from "node:net";
import { openPausable, pausableSelfTest } from "../src/pausable-listener.js";
import type { ListenSocket } from "../src/listen-socket.js";

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error("timed out");
    await sleep(5);
  }
}

const open: { ls: ListenSocket[]; socks: net.Socket[] } = { ls: [], socks: [] };
afterEach(() => {
  for (const s of open.socks.splice(0)) s.destroy();
  for (const l of open.ls.splice(0)) l.close();
});

async function pausable(backlog: number) {
  const accepted: net.Socket[] = [];
  const ls = await openPausable({ address: "127.0.0.1", family: 4 }, 0, backlog, {
    connection: (s) => {
      accepted.push(s);
      open.socks.push(s);
    },
    error: () => {},
  });
  open.ls.push(ls);
  return { ls, accepted };
}

function clients(port: number, n: number) {
  const state = { connected: 0, refused: 0 };
  for (let i = 0; i < n; i++) {
    const c = net.connect({ host: "127.0.0.1", port });
    c.on("connect", () => state.connected++);
    c.on("error", () => state.refused++);
    open.socks.push(c);
  }
  return state;
}

describe("pausable listener", () => {
  it("passes its self-test on this machine", async () => {
    const r = await pausableSelfTest();
    expect(r.detail).toMatch(/one accept per arm/);
    expect(r.ok).toBe(true);
  });

  it("accepts nothing while disarmed, exactly one per arm", async () => {
    const { ls, accepted } = await pausable(4);
    const st = clients(ls.port, 3);
    await until(() => st.connected === 3);
    await sleep(50);
    expect(accepted.length).toBe(0);
    ls.arm();
    await until(() => accepted.length === 1);
    await sleep(50);
    expect(accepted.length).toBe(1);
    ls.arm();
    ls.arm(); // arming twice is still one accept
    await until(() => accepted.length === 2);
    await sleep(50);
    expect(accepted.length).toBe(2);
  });

  it("keeps clients in the kernel backlog: listen(n) admits n + 1 on Linux", async () => {
    const { ls } = await pausable(2);
    const st = clients(ls.port, 6);
    await sleep(400);
    expect(st.connected).toBeGreaterThanOrEqual(2);
    expect(st.connected).toBeLessThanOrEqual(3);
    expect(st.refused).toBe(0);
  });

  it("setBacklog leaves a disarmed socket disarmed and an armed one armed", async () => {
    const { ls, accepted } = await pausable(4);
    const st = clients(ls.port, 2);
    await until(() => st.connected === 2);
    ls.setBacklog(1);
    await sleep(50);
    expect(accepted.length).toBe(0);
    ls.arm();
    ls.setBacklog(3);
    await until(() => accepted.length === 1);
    await sleep(50);
    expect(accepted.length).toBe(1);
  });

  it("disarm withdraws an arm", async () => {
    const { ls, accepted } = await pausable(4);
    ls.arm();
    ls.disarm();
    const st = clients(ls.port, 1);
    await until(() => st.connected === 1);
    await sleep(50);
    expect(accepted.length).toBe(0);
  });

  it("close resets the clients queued in the kernel", async () => {
    const { ls } = await pausable(4);
    const resets: string[] = [];
    const c = net.connect({ host: "127.0.0.1", port: ls.port });
    open.socks.push(c);
    c.on("error", (e: NodeJS.ErrnoException) => resets.push(e.code ?? ""));
    await new Promise((r) => c.once("connect", r));
    ls.close();
    c.resume();
    await until(() => resets.length === 1);
    expect(resets).toEqual(["ECONNRESET"]);
  });

  it("bind failures reject with Node's error", async () => {
    const { ls } = await pausable(4);
    await expect(
      openPausable({ address: "127.0.0.1", family: 4 }, ls.port, 4, {
        connection: () => {},
        error: () => {},
      }),
    ).rejects.toMatchObject({ code: "EADDRINUSE" });
  });
});
