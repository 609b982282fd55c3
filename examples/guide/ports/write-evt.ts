import assert from "node:assert/strict";
import {
  makePipe,
  writeBytesAvailEvt,
  readBytes,
  sync,
  wrapEvt,
  alarmEvt,
  currentInexactMilliseconds,
} from "@rendezvous/core";

// A pipe that holds at most 4 unread bytes.
const [inp, out] = makePipe(4);
const bytes = new TextEncoder().encode("abcdef");

// writeBytesAvailEvt writes what fits, unbuffered, and only if chosen: its result is the count.
assert.equal(await sync(writeBytesAvailEvt(bytes, out)), 4);

// The pipe is full: the alarm wins and the event writes nothing.
const late = wrapEvt(alarmEvt(currentInexactMilliseconds() + 20), () => "full");
assert.equal(await sync(writeBytesAvailEvt(bytes, out, 4), late), "full");
assert.deepEqual(await readBytes(4, inp), new TextEncoder().encode("abcd"));
assert.equal(await sync(writeBytesAvailEvt(bytes, out, 4)), 2);
console.log("write events ok");
