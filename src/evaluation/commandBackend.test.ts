import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { hostname, tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { fill, smallTmpfs } from "../test-support/mounts.js";
import { InputError } from "../util/errors.js";
import { MAX_LINE_BYTES } from "../util/lines.js";
import { groupAlive, newToken, processStartTime } from "../util/processes.js";
import type { EvaluationJob } from "./backend.js";
import { MAX_VARIABLE_BYTES } from "./childEnvironment.js";
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
/** A shell loop that waits until FILE (under the run directory) is written: a command's own synchronisation, no sleep. */
const waitFile = (file: string) => `while [ ! -s "$PREDNAS_RUN_DIR/${file}" ]; do sleep 0.01; done`;
/** Starts a process in a session of its own (out of the attempt's group) that writes its PID to FILE and sleeps. */
const escape = (file: string) => `setsid sh -c 'echo $$ > "$PREDNAS_RUN_DIR/${file}"; exec sleep 611' < /dev/null > /dev/null 2>&1 & ${waitFile(file)}`;
const pidIn = (runDir: string, file: string) => Number(readFileSync(join(runDir, file), "utf8"));

const savedEnvironment = { ...process.env };
afterEach(() => {
  for (const name of Object.keys(process.env)) if (!(name in savedEnvironment)) delete process.env[name];
  Object.assign(process.env, savedEnvironment);
});

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
    [
      "metrics nested 100,000 deep",
      `printf '{"value": 1, "m": '; head -c 100000 /dev/zero | tr '\\0' '['; head -c 100000 /dev/zero | tr '\\0' ']'; echo '}'`,
      { kind: "no-result", transient: false, message: "the last line of standard output nests objects and arrays deeper than 64 levels" },
      undefined,
    ],
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

describe("faults of the command and of its environment", () => {
  it("gives the command no secret of prednas's: not the queue password, nor a variable holding it or a Redis URL with credentials", async () => {
    process.env.PREDNAS_QUEUE_PASSWORD = "s3cret-pw";
    process.env.MY_QUEUE = "redis://:s3cret-pw@localhost:6379";
    process.env.OTHER_URL = "rediss://user:other-pw@redis.example:6380/1";
    process.env.HARMLESS = "kept";
    process.env.COPY = "s3cret-pw";
    process.env.DSN = "postgres://app:s3cret-pw@db:5432/x";
    // A substring of the password is no secret: a short password must not cost the command its PATH.
    process.env.PARTIAL = "s3cret";
    const { runDir, backend: run } = backend(`env > "$PREDNAS_RUN_DIR/env.txt"; echo '{"value": 1}'`);
    expect((await run.run(job())).result.ok).toBe(true);
    const env = readFileSync(join(runDir, "env.txt"), "utf8");
    expect(env).not.toMatch(/s3cret-pw|other-pw|PREDNAS_QUEUE_PASSWORD/);
    expect(env).toMatch(/^HARMLESS=kept$/m);
    expect(env).toMatch(/^PARTIAL=s3cret$/m);
    expect(env).not.toMatch(/^(COPY|DSN|MY_QUEUE|OTHER_URL)=/m);
    expect(env).toMatch(/^PREDNAS_ATTEMPT_TOKEN=[0-9a-f]{32}$/m);
  });

  it("waits a timeout longer than Node's timers hold (2^31 - 1 ms) instead of firing at once", async () => {
    const report = await backend(`sleep 0.3; echo '{"value": 1}'`, { timeoutMs: 3_000_000_000 }).backend.run(job());
    expect(report.result).toEqual({ ok: true, value: 1, metrics: {} });
  });

  it("reads a result line of any length up to 16 MiB, and says so beyond", async () => {
    const curve = Array.from({ length: 8000 }, (_, i) => 0.123456789 + i / 1e6);
    const { runDir, backend: run } = backend(`cat "$PREDNAS_RUN_DIR/result.json"`);
    writeFileSync(join(runDir, "result.json"), `epoch 1\n${JSON.stringify({ value: 0.9, curve })}\n\n`);
    const long = await run.run(job());
    expect(long.result).toEqual({ ok: true, value: 0.9, metrics: { curve } });
    writeFileSync(join(runDir, "huge.json"), `{"value": 1, "blob": "${"x".repeat(MAX_LINE_BYTES)}"}\n`);
    const huge = await backend(`cat "${join(runDir, "huge.json")}"`).backend.run(job());
    expect(huge.result).toMatchObject({ ok: false, failure: { kind: "no-result", transient: false, message: expect.stringMatching(/^the last line of standard output is longer than 16 MiB, the most a result line may hold/) } });
  });

  it("stops what an attempt started outside its process group (setsid), when it ends, times out or is interrupted", async () => {
    const ended = backend(`${escape("ended")}; echo '{"value": 1}'`);
    expect((await ended.backend.run(job())).result.ok).toBe(true);
    expect(running(pidIn(ended.runDir, "ended"))).toBe(false);
    const timedOut = backend(`${escape("timedout")}; sleep 30`, { timeoutMs: 500 });
    expect((await timedOut.backend.run(job())).result).toMatchObject({ ok: false, failure: { kind: "timeout" } });
    expect(running(pidIn(timedOut.runDir, "timedout"))).toBe(false);
    const interrupted = backend(`${escape("interrupted")}; sleep 30`);
    const attempt = interrupted.backend.run(job());
    await waitUntilFile(join(interrupted.runDir, "interrupted"));
    await interrupted.backend.interrupt();
    expect((await attempt).result).toMatchObject({ ok: false, failure: { kind: "interrupted" } });
    expect(running(pidIn(interrupted.runDir, "interrupted"))).toBe(false);
  });

  it("puts an architecture's JSON over 64 KiB on standard input only, not in the environment (spawn E2BIG)", async () => {
    const description = { name: "x".repeat(200_000) };
    const { runDir, backend: run } = backend(`cat > "$PREDNAS_RUN_DIR/stdin.json"; echo "\${PREDNAS_ARCH_JSON-absent} \${PREDNAS_ARCH_KEY-absent} $PREDNAS_SEED" > "$PREDNAS_RUN_DIR/env.txt"; echo '{"value": 1}'`);
    const report = await run.run({ ...job(), key: JSON.stringify(description), description });
    expect(report.result.ok).toBe(true);
    expect(JSON.parse(readFileSync(join(runDir, "stdin.json"), "utf8")).arch).toEqual(description);
    expect(readFileSync(join(runDir, "env.txt"), "utf8")).toBe("absent absent 42\n");
    expect(MAX_VARIABLE_BYTES).toBe(65_536);
  });

  it("reports a command the system refuses to start as a failed attempt, leaking no file descriptor", async () => {
    process.env.HUGE_VARIABLE = "x".repeat(200_000);
    const { backend: run } = backend(`echo '{"value": 1}'`);
    const descriptors = readdirSync("/proc/self/fd").length;
    const report = await run.run(job());
    expect(report.result).toMatchObject({ ok: false, failure: { kind: "error", message: "cannot run the command: spawn E2BIG", transient: false } });
    expect(readdirSync("/proc/self/fd").length).toBe(descriptors);
  });

  it("on a full disk, refuses the attempt with the directory named, and stops the command waiting on its input", async (context) => {
    const disk = smallTmpfs("1m");
    if (typeof disk === "string") return context.skip(disk);
    try {
      const runningDir = join(disk.dir, "running");
      const marker = `prednas-full-disk-${process.pid}`;
      const run = commandBackend<unknown>({ command: `cat; echo ${marker}; sleep 30`, runDir: disk.dir, logDir: join(disk.dir, "logs"), runningDir, graceMs: 200 });
      fill(disk.dir);
      const failure = await run.run(job()).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(InputError);
      expect((failure as Error).message).toMatch(new RegExp(`^cannot write ${runningDir}/.*\\.json: no space is left on its device: .* \\(ENOSPC\\)$`));
      // The shell that waited on its input is gone (its command line holds the marker).
      const left = readdirSync("/proc").filter((pid) => /^\d+$/.test(pid) && running(Number(pid)) && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker));
      expect(left).toEqual([]);
    } finally {
      disk.unmount();
    }
  });
});

async function waitUntilFile(path: string): Promise<void> {
  const start = Date.now();
  while (!existsSync(path) || readFileSync(path, "utf8") === "") {
    if (Date.now() - start > 60_000) throw new Error(`timed out waiting for ${path}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

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

  it("are stopped by their token when they left the recorded group, which is gone", async () => {
    const runningDir = join(mkdtempSync(join(tmpdir(), "prednas-left-")), "running");
    mkdirSync(runningDir);
    const token = newToken();
    const escaped = spawn("setsid", ["sleep", "611"], { detached: true, stdio: "ignore", env: { ...process.env, PREDNAS_ATTEMPT_TOKEN: token } });
    await new Promise((resolve) => escaped.once("spawn", resolve));
    writeFileSync(join(runningDir, "a.json"), JSON.stringify({ pgid: 999_999_999, started: "boot+1", token, host: hostname(), key: "a", attempt: 1, controller: 1, since: "then" }));
    // Nothing read from the file is trusted: a forged group id, a token that is not one.
    writeFileSync(join(runningDir, "b.json"), JSON.stringify({ pgid: -1, token: "x", host: hostname(), key: "b", attempt: 1, controller: 1, since: "then" }));
    const found = await stopLeftRunning(runningDir, 200);
    expect(found.stopped).toHaveLength(1);
    expect(found.gone).toBe(1);
    expect(running(escaped.pid!)).toBe(false);
  });
});
