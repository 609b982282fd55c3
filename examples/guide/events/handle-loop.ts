import assert from "node:assert/strict";
import { sync, handleEvt, alwaysEvt } from "@rendezvous/core";

// handleEvt's procedure runs on a fresh stack after the commit (Racket: tail position), so a loop
// written as recursion through handlers runs in constant stack.
function countdown(n: number): Promise<string> {
  return sync(handleEvt(alwaysEvt, () => (n === 0 ? "liftoff" : countdown(n - 1))));
}
assert.equal(await countdown(100_000), "liftoff");
console.log("100,000 nested handlers, no stack overflow");
