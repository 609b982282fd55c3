import { describe, it, expect } from "vitest";
import { Inbox, DATAGRAM_OVERHEAD, defaultBufferSize } from "../src/inbox.js";

const dg = (n: number, tag = 0) => ({
  data: new Uint8Array(n).fill(tag),
  address: "127.0.0.1",
  port: 1,
});

describe("Inbox", () => {
  it("is a FIFO bounded by its byte limit, each datagram charged its length plus the overhead", () => {
    const q = new Inbox(3 * (10 + DATAGRAM_OVERHEAD));
    expect(q.offer(dg(10, 1))).toBe(true);
    expect(q.offer(dg(10, 2))).toBe(true);
    expect(q.offer(dg(10, 3))).toBe(true);
    expect(q.offer(dg(0, 4))).toBe(false); // even an empty datagram costs the overhead
    expect(q.dropped).toBe(1);
    expect(q.size).toBe(3);
    expect(q.shift()!.data[0]).toBe(1);
    expect(q.offer(dg(10, 5))).toBe(true);
    expect([q.shift(), q.shift(), q.shift()].map((d) => d!.data[0])).toEqual([2, 3, 5]);
    expect(q.shift()).toBeUndefined();
    expect(q.charged).toBe(0);
  });

  it("stays compact over a long life and forgets everything on clear (not counted as drops)", () => {
    const q = new Inbox(1 << 30);
    for (let i = 0; i < 5000; i++) {
      q.offer(dg(1, i & 255));
      q.offer(dg(1, (i + 1) & 255));
      q.shift();
    }
    expect(q.size).toBe(5000);
    q.clear();
    expect([q.size, q.charged, q.dropped]).toEqual([0, 0, 0]);
  });

  it("defaults to the system's receive buffer size", () => {
    expect(new Inbox().limit).toBe(defaultBufferSize());
    expect(defaultBufferSize()).toBeGreaterThanOrEqual(2304);
  });
});
