import assert from "node:assert/strict";
import {
  syncTimeout,
  choiceEvt,
  wrapEvt,
  alwaysEvt,
  currentEvtPseudoRandomGenerator,
  makePseudoRandomGenerator,
} from "@rendezvous/core";

// Three ready events, one of them inside a choice: choices are flattened, so each wins ~1/3.
const a = wrapEvt(alwaysEvt, () => "a");
const b = wrapEvt(alwaysEvt, () => "b");
const c = wrapEvt(alwaysEvt, () => "c");

async function tally(seed: number): Promise<Record<string, number>> {
  currentEvtPseudoRandomGenerator(makePseudoRandomGenerator(seed));
  const counts: Record<string, number> = { a: 0, b: 0, c: 0 };
  for (let i = 0; i < 3000; i++) counts[(await syncTimeout(0, choiceEvt(a, b), c)) as string]!++;
  return counts;
}

const first = await tally(42);
console.log(first); // each close to 1000
for (const k of ["a", "b", "c"]) assert.ok(first[k]! > 800 && first[k]! < 1200);

// A seed replays a run exactly.
assert.deepEqual(await tally(42), first);
