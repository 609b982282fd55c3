import assert from "node:assert/strict";
import {
  makePipe,
  writeString,
  readLineEvt,
  sync,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
} from "@rendezvous/core";

const [inp, out] = makePipe();
await writeString("half a li", out);

// A read event commits iff it is chosen, and only a complete line: when the alarm wins, the
// half line stays in the port, untouched.
const timeout = () => wrapEvt(alarmEvt(currentInexactMilliseconds() + 20), () => "timed out");
assert.equal(await sync(readLineEvt(inp), timeout()), "timed out");

await writeString("ne\n", out);
assert.equal(await sync(readLineEvt(inp), timeout()), "half a line");
console.log("nothing was lost to the timeout");
