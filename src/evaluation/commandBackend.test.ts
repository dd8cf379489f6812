import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { groupAlive, processStartTime } from "../util/processes.js";
import type { EvaluationJob } from "./backend.js";
import { commandBackend, stopLeftRunning } from "./commandBackend.js";

let attempts = 0;
function backend(command: string, options: { timeoutMs?: number; graceMs?: number } = {}) {
  const runDir = mkdtempSync(join(tmpdir(), "prednas-command-"));
  return {
    runDir,
    backend: commandBackend<unknown>({ command, runDir, logDir: join(runDir, "logs"), runningDir: join(runDir, "running"), graceMs: options.graceMs ?? 200, ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }) }),
  };
}
/** Whether a process runs (a zombie waiting for init to reap it does not). */
function running(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]![0] !== "Z";
  } catch {
    return false;
  }
}
const job = (attempt = 1): EvaluationJob<unknown> => ({ arch: { depth: 3 }, key: '{"depth":3}', description: { depth: 3 }, seed: 42, attempt, id: `0001-test-${++attempts}` });

describe("the user's command as the evaluation", () => {
  it("gets the architecture on standard input and in the environment, and its last line is the result; the rest goes to the logs", async () => {
    const { runDir, backend: run } = backend(
      'cat > "$PREDNAS_RUN_DIR/stdin.json"; echo "$PREDNAS_ARCH_KEY|$PREDNAS_ARCH_JSON|$PREDNAS_SEED|$PREDNAS_ATTEMPT" > "$PREDNAS_RUN_DIR/env.txt"; echo epoch 1; echo \'{"value": 0.75, "accuracy": 0.75, "params": 1200}\'; echo warming >&2',
    );
    const report = await run.run(job());
    expect(report.result).toEqual({ ok: true, value: 0.75, metrics: { accuracy: 0.75, params: 1200 } });
    expect(JSON.parse(readFileSync(join(runDir, "stdin.json"), "utf8"))).toEqual({ key: '{"depth":3}', arch: { depth: 3 }, seed: 42, runDir });
    expect(readFileSync(join(runDir, "env.txt"), "utf8")).toBe('{"depth":3}|{"depth":3}|42|1\n');
    expect(report.logs).toHaveLength(2);
    expect(readFileSync(join(runDir, report.logs![0]!), "utf8")).toMatch(/^epoch 1\n/);
    expect(readFileSync(join(runDir, report.logs![1]!), "utf8")).toBe("warming\n");
    expect(groupAlive(report.pid)).toBe(false);
  });

  it.each([
    ["a CUDA-style crash", 'echo "Traceback (most recent call last):" >&2; echo "RuntimeError: CUDA error: out of memory" >&2; exit 1', { kind: "exit", exitCode: 1, transient: true }, /CUDA error/],
    ["a Python error", 'echo "ValueError: bad width" >&2; exit 1', { kind: "exit", exitCode: 1, transient: false }, /ValueError/],
    ["an exit status above 128", "exit 137", { kind: "exit", exitCode: 137, transient: true }, undefined],
    ["a kill by a signal", "kill -9 $$", { kind: "signal", signal: "SIGKILL", transient: true }, undefined],
    ["garbage on the last line", 'echo \'{"value": 1}\'; echo "done!"', { kind: "no-result", transient: false, message: 'the last line of standard output is not JSON: "done!"' }, undefined],
    ["a value that is not a number", 'echo \'{"value": "high"}\'', { kind: "bad-value", transient: false }, undefined],
    ["no value", 'echo \'{"accuracy": 0.9}\'', { kind: "bad-value", transient: false, message: 'the last line of standard output has no "value"' }, undefined],
    ["nothing at all", "true", { kind: "no-result", transient: false }, undefined],
  ])("records %s as a failure, with what to know of it", async (_what, command, failure, stderr) => {
    const report = await backend(command).backend.run(job());
    expect(report.result.ok).toBe(false);
    const found = (report.result as unknown as { failure: Record<string, unknown> }).failure;
    expect(found).toMatchObject(failure);
    if (stderr !== undefined) expect(found.stderrTail).toMatch(stderr);
  });

  it("stops an attempt that runs too long, its whole process group, grandchildren that ignore SIGTERM included", async () => {
    const { runDir, backend: run } = backend(`trap '' TERM; sleep 30 & echo $! > "$PREDNAS_RUN_DIR/grandchild"; sleep 30`, { timeoutMs: 300, graceMs: 200 });
    const start = Date.now();
    const report = await run.run(job());
    expect(Date.now() - start).toBeLessThan(3000);
    expect(report.result).toMatchObject({ ok: false, failure: { kind: "timeout", transient: true, message: "timed out after 0.3 s: its process group was stopped" } });
    expect(groupAlive(report.pid)).toBe(false);
    expect(running(Number(readFileSync(join(runDir, "grandchild"), "utf8")))).toBe(false);
  });

  it("stops what a command leaves running when it exits, and what runs when the run is interrupted", async () => {
    const leaving = await backend(`sleep 30 & echo '{"value": 1}'`).backend.run(job());
    expect(leaving.result.ok).toBe(true);
    expect(groupAlive(leaving.pid)).toBe(false);
    const { backend: run } = backend("sleep 30");
    const attempt = run.run(job());
    await new Promise((resolve) => setTimeout(resolve, 200));
    await run.interrupt();
    const report = await attempt;
    expect(report.result).toMatchObject({ ok: false, failure: { kind: "interrupted" } });
    expect(groupAlive(report.pid)).toBe(false);
  });
});

describe("attempts a dead controller left running", () => {
  it("are stopped when their process group is still theirs, and left alone when the PID now belongs to another process", async () => {
    const runningDir = join(mkdtempSync(join(tmpdir(), "prednas-left-")), "running");
    mkdirSync(runningDir);
    const orphan = spawn("sh", ["-c", "sleep 30 & sleep 30"], { detached: true, stdio: "ignore" });
    const stranger = spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const host = hostname();
    writeFileSync(join(runningDir, "a.json"), JSON.stringify({ pgid: orphan.pid, started: processStartTime(orphan.pid!), host, key: "a", attempt: 1, controller: 1, since: "then" }));
    // The same PID, but started at another time: not the recorded process.
    writeFileSync(join(runningDir, "b.json"), JSON.stringify({ pgid: stranger.pid, started: "boot+1", host, key: "b", attempt: 1, controller: 1, since: "then" }));
    // Torn by a kill while it was written.
    writeFileSync(join(runningDir, "c.json"), "{");
    const found = await stopLeftRunning(runningDir, 200);
    expect(found.stopped).toHaveLength(1);
    expect(found.stopped[0]).toMatch(/^a \(attempt 1, process group \d+/);
    expect(groupAlive(orphan.pid!)).toBe(false);
    expect(groupAlive(stranger.pid!)).toBe(true);
    stranger.kill("SIGKILL");
  });
});
