// `npm start` must work on a fresh machine: the demo runs to a clean exit with its transcript and
// a summary that proves nothing was lost; bad flags print usage and exit 2.
import { describe, it, expect } from "vitest";
import { execFile, spawn } from "node:child_process";
import { connect } from "node:net";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const main = join(root, "examples/demo/main.ts");

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ["--import", "tsx", main, ...args],
      { cwd: root, timeout: 40_000 },
      (err, stdout, stderr) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe("the demo (npm start)", () => {
  it("runs the scripted chat to a clean exit, losing nothing", async () => {
    const { code, stdout } = await run([]);
    expect(stdout).toMatch(/accepted/);
    expect(stdout).toMatch(/discovery from/);
    expect(stdout).toMatch(/carol idle for/);
    expect(stdout).toMatch(/dave disconnected without \/quit/);
    expect(stdout).toMatch(/nothing lost, nothing duplicated/);
    expect(stdout).not.toMatch(/✗/);
    expect(code).toBe(0);
  }, 45_000);

  it("prints usage and exits 2 on a bad flag", async () => {
    const bad = await run(["--frobnicate"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/usage: npm start/);
    const portAlone = await run(["--port", "80"]);
    expect(portAlone.code).toBe(2);
  }, 45_000);

  it("serves real clients with --serve and shuts down cleanly on Ctrl-C (SIGINT)", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", main, "--serve", "--port", "0"], {
      cwd: root,
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      const deadline = Date.now() + 20_000;
      let port = 0;
      while (!port && Date.now() < deadline) {
        port = Number(/nc 127\.0\.0\.1 (\d+)/.exec(out)?.[1] ?? 0);
        if (!port) await new Promise((r) => setTimeout(r, 50));
      }
      expect(port).toBeGreaterThan(0);
      const sock = connect(port, "127.0.0.1");
      let got = "";
      sock.on("data", (d: Buffer) => (got += d.toString()));
      const closed = new Promise((r) => sock.on("close", r));
      sock.write("NICK tester\nhello from a test\n/quit\n");
      await closed;
      expect(got).toMatch(/welcome/);
      expect(got).toMatch(/bye/);
      expect(out).toMatch(/tester: hello from a test/);
      child.kill("SIGINT");
      expect(await exited).toBe(0);
      expect(out).toMatch(/served 1 client/);
    } finally {
      child.kill("SIGKILL");
    }
  }, 45_000);
});
