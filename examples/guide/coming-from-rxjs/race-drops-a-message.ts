import assert from "node:assert/strict";
import { defer, firstValueFrom, race } from "rxjs";

// A minimal message queue with a promise-returning receive, like many broker clients: receive()
// takes the next message off the queue as soon as there is one.
class Queue<T> {
  private items: T[] = [];
  private takers: ((v: T) => void)[] = [];
  send(v: T): void {
    const take = this.takers.shift();
    if (take) take(v);
    else this.items.push(v);
  }
  receive(): Promise<T> {
    const v = this.items.shift();
    if (v !== undefined) return Promise.resolve(v);
    return new Promise((resolve) => this.takers.push(resolve));
  }
  get size(): number {
    return this.items.length;
  }
}

const urgent = new Queue<string>();
const normal = new Queue<string>();
urgent.send("urgent #1");
normal.send("normal #1");

// race subscribes to every source — so both receives run — and keeps the first to emit.
const next = await firstValueFrom(
  race(
    defer(() => urgent.receive()),
    defer(() => normal.receive()),
  ),
);
assert.equal(next, "urgent #1");
// The losing receive had already taken "normal #1"; unsubscribing cannot put it back.
assert.equal(urgent.size + normal.size, 0);
console.log(`got ${next}; "normal #1" was taken and dropped`);
