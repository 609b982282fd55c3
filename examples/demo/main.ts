// `npm start`: the Rendezvous demo. With no arguments, a scripted chat on loopback that exits by
// itself; with --serve, the server alone until Ctrl-C.
import { runDemo } from "./demo.js";
import { serve } from "./serve.js";

const USAGE = `usage: npm start [-- --serve [--port N]]

  (no flags)     run the scripted demo on loopback and exit
  --serve        keep the chat server up on 127.0.0.1 (Ctrl-C to stop)
  --port N       with --serve: the TCP (and UDP discovery) port, default 7070`;

function usage(problem: string): never {
  process.stderr.write(`${problem}\n${USAGE}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let serveMode = false;
let port: number | undefined;
for (let i = 0; i < args.length; i++) {
  const a = args[i]!;
  if (a === "--serve") serveMode = true;
  else if (a === "--port") {
    const v = Number(args[++i]);
    if (!Number.isInteger(v) || v < 0 || v > 65535)
      usage(`--port needs a port number, got ${args[i] ?? "nothing"}`);
    port = v;
  } else if (a === "--help" || a === "-h") {
    process.stdout.write(USAGE + "\n");
    process.exit(0);
  } else usage(`unknown argument: ${a}`);
}
if (port !== undefined && !serveMode) usage("--port goes with --serve");

if (serveMode) {
  await serve(port ?? 7070);
} else {
  const watchdog = setTimeout(() => {
    process.stderr.write("demo: did not finish within 20 s\n");
    process.exit(1);
  }, 20_000);
  const ok = await runDemo();
  clearTimeout(watchdog);
  process.exitCode = ok ? 0 : 1;
}
