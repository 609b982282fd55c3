// Child-process entry: runs one sample of one Node side and prints it as one JSON line.
// Usage: node [flags] --import tsx bench/harness/child.ts <workload> <side> '<{"params":…,"caps":…}>'
import { workloads } from "../workloads/index.js";
import type { Caps, Params } from "./types.js";

async function main(): Promise<void> {
  const [name, sideName, json] = process.argv.slice(2);
  const w = workloads.find((x) => x.name === name);
  const side = w?.sides.find((s) => s.name === sideName);
  if (!w || !side || side.kind !== "node" || json === undefined)
    throw new Error(
      `child: no node side ${JSON.stringify(sideName)} in workload ${JSON.stringify(name)}`,
    );
  const { params, caps } = JSON.parse(json) as { params: Params; caps: Caps };
  const sample = await side.run(params, caps);
  process.stdout.write(JSON.stringify(sample) + "\n");
}

main().then(
  // Some workloads leave parties blocked or looping forever (producers): exit explicitly.
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
