import assert from "node:assert/strict";
import {
  makeCustodian,
  withCustodian,
  currentCustodian,
  custodianShutdownAll,
  custodianManage,
  custodianManagedList,
  thread,
  isThreadDead,
  sync,
  neverEvt,
  ExnFailContract,
} from "@rendezvous/core";

// A "session" owns everything it starts: threads, and any resource registered with its custodian.
const session = makeCustodian();
const closed: string[] = [];

const [worker, sub] = withCustodian(session, () => {
  const w = thread(() => sync(neverEvt)); // managed by `session`
  // Any resource can be put under a custodian: close() runs once at shutdown.
  const timer = setInterval(() => {}, 1000);
  custodianManage("heartbeat", timer, () => {
    clearInterval(timer);
    closed.push("heartbeat");
  });
  return [w, makeCustodian()]; // a sub-custodian, shut down with its parent
});

assert.deepEqual(custodianManagedList(session, currentCustodian()).length, 3);

custodianShutdownAll(session);
assert.equal(isThreadDead(worker), true);
assert.deepEqual(closed, ["heartbeat"]);
// Nothing more can be created under it, nor under its sub-custodians.
assert.throws(() => withCustodian(session, () => thread(() => {})), ExnFailContract);
assert.throws(() => makeCustodian(sub), /make-custodian: the custodian has been shut down/);

// `await using` shuts a custodian down when the block exits, whichever way it exits.
let t;
{
  await using scope = makeCustodian();
  t = withCustodian(scope, () => thread(() => sync(neverEvt)));
}
assert.equal(isThreadDead(t), true);
console.log(closed);
