import assert from "node:assert/strict";
import { sync, wrapEvt, makeChannel, channelPut, channelTryGet } from "@rendezvous/core";

const jobs = makeChannel<string>();
const saved: string[] = [];
const save = async (job: string): Promise<void> => {
  if (job.startsWith("bad")) throw new Error(`cannot save ${job}`);
  saved.push(job);
};

// A wrap runs after the commit: the job is taken from the channel before `save` starts, and an
// exception (or a rejected promise) from the wrap rejects the sync without putting the job back.
void channelPut(jobs, "bad job");
await assert.rejects(sync(wrapEvt(jobs, (job) => save(job))), /cannot save bad job/);
assert.equal(channelTryGet(jobs), false); // gone: the commit is not undone

// So treat what a wrap does as "after": catch there, and decide yourself what a failure means.
void channelPut(jobs, "bad job again");
const failed: string[] = [];
await sync(wrapEvt(jobs, (job) => save(job).catch(() => void failed.push(job))));
assert.deepEqual(failed, ["bad job again"]); // kept for a retry, not lost
console.log({ saved, failed });
