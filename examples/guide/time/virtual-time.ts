import assert from "node:assert/strict";
import { asyncScheduler, VirtualTimeScheduler } from "rxjs";
import {
  sync,
  syncTimeout,
  alarmEvt,
  wrapEvt,
  currentScheduler,
  makeChannel,
} from "@rendezvous/core";

// All time goes through an RxJS scheduler: install a virtual one and an hour passes instantly.
const vts = new VirtualTimeScheduler();
currentScheduler(vts);
try {
  const hourly = sync(wrapEvt(alarmEvt(60 * 60 * 1000), () => "an hour later"));
  const gaveUp = syncTimeout(30, makeChannel()); // 30 s timeout
  vts.flush(); // runs every scheduled action, advancing virtual time
  assert.equal(await hourly, "an hour later");
  assert.equal(await gaveUp, false);
  assert.equal(vts.now(), 60 * 60 * 1000);
  console.log("virtual time:", vts.now(), "ms");
} finally {
  currentScheduler(asyncScheduler);
}
