import { describe, it, expect } from "vitest";
import {
  tcpAccept,
  tcpAcceptEvt,
  tcpAcceptEnableBreak,
  isTcpAcceptReady,
  tcpAddresses,
  tcpClose,
  isTcpPort,
  TcpAcceptEvt,
} from "@rendezvous/tcp";
import {
  sync,
  syncTimeout,
  syncEnableBreak,
  wrapEvt,
  alwaysEvt,
  alarmEvt,
  choiceEvt,
  currentInexactMilliseconds,
  currentEvtPseudoRandomGenerator,
  makePseudoRandomGenerator,
  makeChannel,
  channelPut,
  makeCustodian,
  withCustodian,
  custodianShutdownAll,
  isPortClosed,
  ExnBreak,
  ExnFail,
  ExnFailContract,
} from "@rendezvous/core";
import {
  connected,
  closePorts,
  expectFdsBackAfterFile,
  type Ports,
  listenLoopback,
  rawClient,
  sleep,
  until,
  type RawClient,
} from "./tcp-helpers.js";

// Every descriptor this file opens must be closed again by its end.
expectFdsBackAfterFile();

/** The client port (peer port) of an accepted connection: identifies which client it was. */
const peerPort = ([i]: Ports) => tcpAddresses(i, true)[3];

describe("tcpAcceptEvt: the accept happens iff the event is chosen", () => {
  it("is ready when a client waits; its result is [in, out] of that client", async () => {
    const [l, port] = await listenLoopback();
    expect(await syncTimeout(0, tcpAcceptEvt(l))).toBe(false);
    const c = await connected(rawClient(port));
    await until(() => isTcpAcceptReady(l));
    const ports = (await sync(tcpAcceptEvt(l))) as Ports;
    expect(ports).toHaveLength(2);
    expect(isTcpPort(ports[0]) && isTcpPort(ports[1])).toBe(true);
    expect(peerPort(ports)).toBe(c.localPort);
    expect(isTcpAcceptReady(l)).toBe(false);
    closePorts(ports);
    c.sock.destroy();
    tcpClose(l);
  });

  it("raced against an alarm that wins, accepts nothing: the client is accepted later", async () => {
    const [l, port] = await listenLoopback();
    const lost = await sync(
      wrapEvt(tcpAcceptEvt(l), () => "accepted"),
      wrapEvt(alarmEvt(currentInexactMilliseconds() + 30), () => "alarm"),
    );
    expect(lost).toBe("alarm");
    const c = await connected(rawClient(port));
    // Several more losing rounds while the client waits: an alarm already due and a ready
    // channel compete with the accept, whose poll order is random.
    let acceptedNow: Ports | null = null;
    for (let i = 0; i < 20 && !acceptedNow; i++) {
      await until(() => isTcpAcceptReady(l));
      const ch = makeChannel<string>();
      void channelPut(ch, "ch");
      const r = await sync(
        wrapEvt(tcpAcceptEvt(l), (p) => p as Ports),
        wrapEvt(alarmEvt(currentInexactMilliseconds() - 1), () => "alarm"),
        ch,
      );
      if (Array.isArray(r)) acceptedNow = r;
      else expect(isTcpAcceptReady(l)).toBe(true); // the loser consumed nothing
    }
    const ports = acceptedNow ?? (await tcpAccept(l));
    expect(peerPort(ports)).toBe(c.localPort);
    expect(isTcpAcceptReady(l)).toBe(false);
    closePorts(ports);
    c.sock.destroy();
    tcpClose(l);
  });

  it("each accept that wins a random race consumes exactly one client, losers none", async () => {
    const saved = currentEvtPseudoRandomGenerator();
    currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(7));
    try {
      const [l, port] = await listenLoopback(8);
      const clients = Array.from({ length: 5 }, () => rawClient(port));
      for (const c of clients) await connected(c);
      const got: number[] = [];
      let losses = 0;
      for (let i = 0; i < 200 && got.length < 5; i++) {
        await until(() => isTcpAcceptReady(l));
        const r = await sync(
          wrapEvt(tcpAcceptEvt(l), (p) => p as Ports),
          wrapEvt(alwaysEvt, () => "x" as const),
        );
        if (r === "x") losses++;
        else {
          got.push(peerPort(r));
          closePorts(r);
        }
      }
      expect(losses).toBeGreaterThan(0);
      expect(got.sort()).toEqual(clients.map((c) => c.localPort).sort());
      await sleep(30);
      expect(isTcpAcceptReady(l)).toBe(false);
      for (const c of clients) c.sock.destroy();
      tcpClose(l);
    } finally {
      currentEvtPseudoRandomGenerator(saved);
    }
  });

  it("a blocked accept commits to the first client that arrives", async () => {
    const [l, port] = await listenLoopback();
    const p = sync(tcpAcceptEvt(l));
    await sleep(20);
    const c = await connected(rawClient(port));
    const ports = (await p) as Ports;
    expect(peerPort(ports)).toBe(c.localPort);
    closePorts(ports);
    c.sock.destroy();
    tcpClose(l);
  });

  it("two accept events on one listener in one sync consume one client", async () => {
    const [l, port] = await listenLoopback();
    const c1 = await connected(rawClient(port));
    const c2 = await connected(rawClient(port));
    await until(() => isTcpAcceptReady(l));
    const a = (await sync(tcpAcceptEvt(l), tcpAcceptEvt(l))) as Ports;
    // c2 may still be in the kernel queue here: then both events block and one commits.
    const b = (await sync(choiceEvt(tcpAcceptEvt(l), tcpAcceptEvt(l)))) as Ports;
    expect(new Set([peerPort(a), peerPort(b)])).toEqual(new Set([c1.localPort, c2.localPort]));
    const p = sync(tcpAcceptEvt(l), tcpAcceptEvt(l));
    const c3 = await connected(rawClient(port));
    const d = (await p) as Ports;
    expect(peerPort(d)).toBe(c3.localPort);
    await sleep(30);
    expect(isTcpAcceptReady(l)).toBe(false);
    for (const x of [a, b, d]) closePorts(x);
    for (const c of [c1, c2, c3]) c.sock.destroy();
    tcpClose(l);
  });

  it("the same accept event can be synced repeatedly", async () => {
    const [l, port] = await listenLoopback();
    const evt = tcpAcceptEvt(l);
    expect(evt).toBeInstanceOf(TcpAcceptEvt);
    const clients: RawClient[] = [];
    for (let i = 0; i < 3; i++) {
      const p = sync(evt);
      const c = await connected(rawClient(port));
      clients.push(c);
      const ports = (await p) as Ports;
      expect(peerPort(ports)).toBe(c.localPort);
      closePorts(ports);
    }
    for (const c of clients) c.sock.destroy();
    tcpClose(l);
  });

  it("an accept event that loses to a break accepts nothing", async () => {
    const [l, port] = await listenLoopback();
    const c = await connected(rawClient(port));
    await until(() => isTcpAcceptReady(l));
    const ac = new AbortController();
    ac.abort();
    await expect(syncEnableBreak(ac.signal, tcpAcceptEvt(l))).rejects.toBeInstanceOf(ExnBreak);
    await expect(tcpAcceptEnableBreak(ac.signal, l)).rejects.toBeInstanceOf(ExnBreak);
    expect(isTcpAcceptReady(l)).toBe(true);
    const ports = await tcpAccept(l);
    expect(peerPort(ports)).toBe(c.localPort);
    closePorts(ports);
    c.sock.destroy();
    tcpClose(l);
  });
});

describe("the listener as an event", () => {
  it("is ready when a client waits; its result is the listener; it accepts nothing", async () => {
    const [l, port] = await listenLoopback();
    expect(await syncTimeout(0, l)).toBe(false);
    const p = sync(l);
    const c = await connected(rawClient(port));
    expect(await p).toBe(l);
    expect(await sync(l)).toBe(l);
    expect(isTcpAcceptReady(l)).toBe(true);
    const ports = await tcpAccept(l);
    expect(peerPort(ports)).toBe(c.localPort);
    closePorts(ports);
    c.sock.destroy();
    tcpClose(l);
  });

  it("is ready when closed", async () => {
    const [l] = await listenLoopback();
    const p = sync(l);
    tcpClose(l);
    expect(await p).toBe(l);
    expect(await syncTimeout(0, l)).toBe(l);
  });
});

describe("closed listeners", () => {
  it("an accept event on a closed listener is ready and raises when chosen", async () => {
    const [l] = await listenLoopback();
    const evt = tcpAcceptEvt(l);
    tcpClose(l);
    const err = await syncTimeout(0, evt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExnFailContract);
    expect((err as Error).message).toBe(
      "tcp-accept-evt: listener is closed\n  listener: #<tcp-listener>",
    );
    // Created after the close, too (the constructor does not check).
    await expect(sync(tcpAcceptEvt(l))).rejects.toThrow(/^tcp-accept-evt: listener is closed/);
    await expect(tcpAccept(l)).rejects.toThrow(/^tcp-accept: listener is closed/);
    await expect(tcpAcceptEnableBreak(new AbortController().signal, l)).rejects.toThrow(
      /^tcp-accept\/enable-break: listener is closed/,
    );
  });

  it("a sync blocked on an accept event raises when the listener is closed", async () => {
    const [l] = await listenLoopback();
    const p = sync(tcpAcceptEvt(l)).catch((e: unknown) => e);
    const q = tcpAccept(l).catch((e: unknown) => e);
    await sleep(10);
    tcpClose(l);
    expect(await p).toBeInstanceOf(ExnFailContract);
    expect(((await q) as Error).message).toMatch(/^tcp-accept: listener is closed/);
  });
});

describe("tcpAccept and tcpAcceptEnableBreak", () => {
  it("tcpAcceptEnableBreak settles once: a break while waiting accepts nothing", async () => {
    const [l, port] = await listenLoopback();
    const ac = new AbortController();
    const p = tcpAcceptEnableBreak(ac.signal, l).catch((e: unknown) => e);
    await sleep(20);
    ac.abort();
    expect(await p).toBeInstanceOf(ExnBreak);
    const c = await connected(rawClient(port));
    const ports = await tcpAcceptEnableBreak(new AbortController().signal, l);
    expect(peerPort(ports)).toBe(c.localPort);
    closePorts(ports);
    c.sock.destroy();
    tcpClose(l);
  });

  it("accepted ports belong to the custodian current when tcpAcceptEvt was called", async () => {
    const [l, port] = await listenLoopback();
    const cust = makeCustodian();
    const evt = withCustodian(cust, () => tcpAcceptEvt(l));
    const c = await connected(rawClient(port));
    const ports = (await sync(evt)) as Ports;
    expect(isPortClosed(ports[0]) || isPortClosed(ports[1])).toBe(false);
    custodianShutdownAll(cust);
    expect(isPortClosed(ports[0]) && isPortClosed(ports[1])).toBe(true);
    await until(() => c.events.includes("end") || c.events.some((e) => e.startsWith("error")));
    c.sock.destroy();
    tcpClose(l);
  });

  it("accepting into a shut-down custodian raises and closes that connection", async () => {
    const [l, port] = await listenLoopback();
    const cust = makeCustodian();
    const evt = withCustodian(cust, () => tcpAcceptEvt(l));
    custodianShutdownAll(cust);
    const c = await connected(rawClient(port));
    const err = await sync(evt).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ExnFail);
    expect((err as Error).message).toMatch(/custodian has been shut down/);
    await until(() => c.events.includes("end") || c.events.some((e) => e.startsWith("error")));
    c.sock.destroy();
    tcpClose(l);
  });

  it("bad arguments: ExnFailContract, thrown by never-waiting calls, rejected by waiting ones", async () => {
    expect(() => tcpAcceptEvt(5 as never)).toThrow(
      "tcp-accept-evt: contract violation\n  expected: tcp-listener?\n  given: 5",
    );
    expect(() => isTcpAcceptReady("l" as never)).toThrow(/^tcp-accept-ready\?: contract violation/);
    await expect(tcpAccept(null as never)).rejects.toThrow(/^tcp-accept: contract violation/);
    await expect(tcpAcceptEnableBreak(5 as never, null as never)).rejects.toBeInstanceOf(
      ExnFailContract,
    );
  });
});
