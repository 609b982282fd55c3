import assert from "node:assert/strict";
import { makeInputPort, readLine, eof, type InputPortFeed } from "@rendezvous/core";

// A source that produces numbered lines on a timer, and stops when the port says it has enough.
let feed!: InputPortFeed;
let n = 0;
let timer: ReturnType<typeof setInterval> | undefined;
const run = () => {
  timer ??= setInterval(() => {
    feed.push(new TextEncoder().encode(`line ${++n}\n`));
    if (n === 5) {
      feed.end();
      clearInterval(timer);
    }
  }, 1);
};
const inp = makeInputPort(
  "ticker",
  {
    start(f) {
      feed = f;
      run();
    },
    pause() {
      clearInterval(timer);
      timer = undefined;
    },
    resume: run,
    close() {
      clearInterval(timer);
    },
  },
  { highWaterMark: 16 },
);

const lines: string[] = [];
for (let l = await readLine(inp); l !== eof; l = await readLine(inp)) lines.push(l as string);
assert.deepEqual(lines, ["line 1", "line 2", "line 3", "line 4", "line 5"]);
console.log(lines);
