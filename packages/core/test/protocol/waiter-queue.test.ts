import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { WaiterQueue } from "../../src/protocol/waiter-queue.js";
import { Candidate } from "../../src/protocol/candidate.js";
import { SyncRun } from "../../src/engine/sync-run.js";
import { alwaysEvt } from "../../src/combinators/always.js";

const run = new SyncRun(
  false,
  () => {},
  () => {},
);
const cand = () => new Candidate(run, alwaysEvt, null, null);

function contents(q: WaiterQueue): Candidate[] {
  const out: Candidate[] = [];
  for (let c = q.head; c; c = c.qnext) out.push(c);
  return out;
}

describe("WaiterQueue", () => {
  it("is a FIFO", () => {
    const q = new WaiterQueue();
    const [a, b, c] = [cand(), cand(), cand()];
    q.push(a);
    q.push(b);
    q.push(c);
    expect(q.size).toBe(3);
    expect(q.shift()).toBe(a);
    expect(q.shift()).toBe(b);
    expect(q.shift()).toBe(c);
    expect(q.shift()).toBeNull();
    expect(q.size).toBe(0);
    expect(q.head).toBeNull();
    expect(q.tail).toBeNull();
  });

  it("removes from the head, the middle and the tail in O(1); removal is idempotent", () => {
    const q = new WaiterQueue();
    const xs = [cand(), cand(), cand(), cand()];
    for (const x of xs) q.push(x);
    q.remove(xs[1]!);
    q.remove(xs[1]!);
    expect(contents(q)).toEqual([xs[0], xs[2], xs[3]]);
    q.remove(xs[0]!);
    q.remove(xs[3]!);
    expect(contents(q)).toEqual([xs[2]]);
    expect(q.head).toBe(xs[2]);
    expect(q.tail).toBe(xs[2]);
    expect(q.size).toBe(1);
    expect(xs[1]!.queue).toBeNull();
  });

  it("ignores a candidate that belongs to another queue", () => {
    const q1 = new WaiterQueue();
    const q2 = new WaiterQueue();
    const a = cand();
    q1.push(a);
    q2.remove(a);
    expect(q1.size).toBe(1);
    expect(q2.size).toBe(0);
    expect(a.queue).toBe(q1);
  });

  it("behaves like an array model under random pushes, shifts and removals", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(
            fc.constant({ op: "push" as const, i: 0 }),
            fc.constant({ op: "shift" as const, i: 0 }),
            fc.record({ op: fc.constant("remove" as const), i: fc.nat(30) }),
          ),
          { maxLength: 80 },
        ),
        (ops) => {
          const q = new WaiterQueue();
          const model: Candidate[] = [];
          const made: Candidate[] = [];
          for (const { op, i } of ops) {
            if (op === "push") {
              const c = cand();
              made.push(c);
              q.push(c);
              model.push(c);
            } else if (op === "shift") {
              expect(q.shift()).toBe(model.shift() ?? null);
            } else if (made.length > 0) {
              const c = made[i % made.length]!;
              q.remove(c);
              const k = model.indexOf(c);
              if (k >= 0) model.splice(k, 1);
            }
            expect(contents(q)).toEqual(model);
            expect(q.size).toBe(model.length);
            expect(q.tail).toBe(model[model.length - 1] ?? null);
          }
        },
      ),
      { seed: 77, numRuns: 300 },
    );
  });
});
