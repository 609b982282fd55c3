import assert from "node:assert/strict";
import { makeChannel, channelGet, channelPut } from "@rendezvous/core";

// A channel is a rendezvous: a put waits for a get and vice versa.
const ping = makeChannel<number>();
const pong = makeChannel<number>();

const player = (async () => {
  for (let i = 0; i < 3; i++) await channelPut(pong, (await channelGet(ping)) + 1);
})();

let ball = 0;
for (let i = 0; i < 3; i++) {
  await channelPut(ping, ball);
  ball = await channelGet(pong);
}
await player;
assert.equal(ball, 3);
console.log("ball came back", ball, "times");
