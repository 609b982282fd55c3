import assert from "node:assert/strict";
import { sync, wrapEvt, makeChannel, channelPutEvt } from "@rendezvous/core";

// Each side offers "send mine" or "take theirs"; every round, exactly one exchange happens.
const aToB = makeChannel<string>();
const bToA = makeChannel<string>();

async function side(me: string, out: typeof aToB, inbox: typeof bToA): Promise<string[]> {
  const seen: string[] = [];
  for (let round = 0; round < 5; round++) {
    seen.push(
      await sync(
        wrapEvt(channelPutEvt(out, `${me}${round}`), () => `sent ${me}${round}`),
        wrapEvt(inbox, (v) => `got ${v}`),
      ),
    );
  }
  return seen;
}

const [a, b] = await Promise.all([side("a", aToB, bToA), side("b", bToA, aToB)]);
// Whatever one side sent, the other got: nothing lost, nothing duplicated.
for (let i = 0; i < 5; i++) {
  const [x, y] = [a[i]!, b[i]!];
  assert.ok(x.replace("sent", "got") === y || y.replace("sent", "got") === x, `${x} / ${y}`);
}
console.log(a, b);
