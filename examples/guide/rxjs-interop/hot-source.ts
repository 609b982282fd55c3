import assert from "node:assert/strict";
import { EventEmitter } from "node:events";
import { fromEvent } from "rxjs";
import {
  sync,
  syncTimeout,
  observableAsyncChannel,
  wrapEvt,
  makeSemaphore,
  semaphorePost,
} from "@rendezvous/core";

// A hot source: events happen whether anyone is syncing or not.
const sensor = new EventEmitter();
const readings = observableAsyncChannel(
  fromEvent(sensor, "reading", (v: number) => v),
  3,
);

sensor.emit("reading", 20.5);
sensor.emit("reading", 21.0);

// Each get takes exactly one buffered value, iff it is chosen.
assert.equal(await sync(readings), 20.5);

// Here a ready semaphore competes with the channel: whichever wins, nothing is lost.
const stop = makeSemaphore(0);
semaphorePost(stop);
const r = await sync(
  wrapEvt(readings, (v) => `reading ${v}`),
  wrapEvt(stop, () => "stop"),
);
assert.ok(r === "stop" || r === "reading 21");
assert.equal(readings.size, r === "stop" ? 1 : 0);

// At most 3 values are buffered; beyond that the newest are dropped, and counted.
for (let i = 0; i < 5; i++) sensor.emit("reading", i);
assert.equal(readings.size, 3);
assert.ok(readings.dropped >= 2);

readings.close(); // unsubscribes; buffered values can still be taken, then doneEvt is ready
while ((await syncTimeout(0, readings)) !== false);
assert.equal(await syncTimeout(0, readings.doneEvt), undefined);
console.log(`dropped ${readings.dropped}`);
