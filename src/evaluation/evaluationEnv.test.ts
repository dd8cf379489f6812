/**
 * `--evaluation-env KEY=VALUE`, one evaluation setting declared once (evaluation/settings.ts),
 * reaches the evaluation command's environment by every way a run is made: `prednas search`
 * (the built dist/), a study preset, a queue's job as a worker reads and runs it (in this process,
 * and end to end: a real `prednas worker` and a local Redis, queue/localRedis.ts), and the
 * library. Each evaluation here reports the variable's value as its own, so the record shows
 * whether it arrived.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prednas, SPACE, startPrednas } from "../test-support/cli.js";
import { startRedis } from "../queue/localRedis.js";
import { spaceFileSearchProblem } from "../spaces/registry.js";
import { resolveMethodOptions } from "../search/methods.js";
import { runInDirectory } from "../search/evaluatedRun.js";
import type { EvaluationRunRecord } from "../search/record.js";
import { parsePreset } from "../study/preset.js";
import { runStudy } from "../study/runner.js";
import { jobFromData } from "../queue/protocol.js";
import { commandBackend } from "./commandBackend.js";
import { resolveSettings } from "./settings.js";
import { sourceOf } from "../options/schema.js";

const scratch = mkdtempSync(join(tmpdir(), "prednas-evaluation-env-"));
let counter = 0;
const fresh = (name: string): string => join(scratch, `${name}-${counter++}`);
/** An evaluation whose value is the variable PREDNAS_TEST_VALUE of its environment. */
const ECHO_VALUE = 'cat > /dev/null; echo "{\\"value\\": ${PREDNAS_TEST_VALUE:-0}}"';
const values = (record: EvaluationRunRecord) => record.evaluations.map((evaluation) => evaluation.value);

describe("--evaluation-env KEY=VALUE", () => {
  it("reaches the command of prednas search, is part of the run's identity, and refuses a secret", () => {
    const runDir = fresh("search");
    const run = (env: string[]) => prednas(["search", "--space-file", SPACE, "--evaluate", ECHO_VALUE, "--run-dir", runDir, "--method", "random", "--budget", "3", "--json", ...env.flatMap((e) => ["--evaluation-env", e])], { cwd: scratch });
    const result = run(["PREDNAS_TEST_VALUE=7", "OTHER=a=b"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(values(JSON.parse(result.stdout) as EvaluationRunRecord)).toEqual([7, 7, 7]);
    expect(JSON.parse(readFileSync(join(runDir, "run.json"), "utf8")).run.evaluator.env).toEqual(["PREDNAS_TEST_VALUE=7", "OTHER=a=b"]);
    // Another value is another run.
    expect(run(["PREDNAS_TEST_VALUE=8"]).stderr).toMatch(/holds another run .*evaluator\.env/);
    const secret = prednas(["search", "--space-file", SPACE, "--evaluate", ECHO_VALUE, "--run-dir", fresh("secret"), "--evaluation-env", "PREDNAS_QUEUE_PASSWORD=x"], { cwd: scratch });
    expect(secret.status).toBe(2);
    expect(secret.stderr).toMatch(/--evaluation-env.*KEY=VALUE/);
    const alone = prednas(["search", "--space-file", SPACE, "--evaluation-env", "A=1"], { cwd: scratch });
    expect(alone.stderr).toMatch(/--evaluation-env apply to evaluations by your command: give --evaluate/);
  }, 120_000);

  it("reaches the command of a study preset's runs", async () => {
    const preset = parsePreset({ spaceFile: SPACE, evaluate: ECHO_VALUE, env: ["PREDNAS_TEST_VALUE=5"], budget: 2, runs: 1, configurations: [{ method: "random" }] }, "p.json");
    const dir = fresh("study");
    const outcome = await runStudy(preset, dir);
    expect(outcome.evaluations).toEqual({ total: 2, failed: 0 });
    const record = JSON.parse(readFileSync(join(dir, "evaluations.jsonl"), "utf8").trim()) as EvaluationRunRecord;
    expect(values(record)).toEqual([5, 5]);
    expect(() => parsePreset({ spaceFile: SPACE, evaluate: ECHO_VALUE, env: ["not an entry"], configurations: [{ method: "random" }] }, "p.json")).toThrow(/p\.json: preset: option env\[0\] must be KEY=VALUE, KEY a variable name and not prednas's secret, got "not an entry"/);
  }, 120_000);

  it("travels in a queue's job to the worker, which runs its command with it; a job's settings are checked", async () => {
    const runDir = fresh("worker");
    const job = jobFromData({ run: "prednas-run-x", key: "k", arch: { a: 1 }, seed: 0, attempt: 1, id: "k-a1", settings: { env: ["PREDNAS_TEST_VALUE=3"] } });
    const backend = commandBackend({ command: ECHO_VALUE, runDir, logDir: join(runDir, "logs"), runningDir: join(runDir, "running"), graceMs: 1000 });
    const report = await backend.run(job);
    expect(report.result).toMatchObject({ ok: true, value: 3 });
    // A job from Redis is not trusted: no command, no secret.
    const refused = (settings: unknown) => () => jobFromData({ run: "prednas-run-x", key: "k", arch: {}, seed: 0, attempt: 1, id: "k-a1", settings });
    expect(refused({ evaluate: "rm -rf /" })).toThrow(/the job's settings are not valid/);
    expect(refused({ env: ["PREDNAS_QUEUE_PASSWORD=x"] })).toThrow(/the job's settings are not valid/);
  }, 60_000);

  it("reaches a real prednas worker's command through a queue (prednas search --queue)", async () => {
    const redis = await startRedis();
    const worker = startPrednas(["worker", "--queue", redis.url, "--evaluate", ECHO_VALUE, "--work-dir", fresh("work"), "--stall-timeout", "1"], { cwd: scratch });
    try {
      const controller = startPrednas(["search", "--space-file", SPACE, "--queue", redis.url, "--run-dir", fresh("queue"), "--method", "random", "--budget", "2", "--json", "--evaluation-env", "PREDNAS_TEST_VALUE=9"], { cwd: scratch });
      const { status } = await controller.done;
      expect(controller.stderr()).toBe("");
      expect(status).toBe(0);
      expect(values(JSON.parse(controller.stdout()) as EvaluationRunRecord)).toEqual([9, 9]);
    } finally {
      if (worker.child.exitCode === null && worker.child.signalCode === null) worker.child.kill("SIGKILL");
      await worker.done;
      await redis.stop();
    }
  }, 120_000);

  it("reaches the command of a library run (runInDirectory)", async () => {
    const problem = spaceFileSearchProblem(SPACE);
    const settings = resolveSettings({ evaluate: ECHO_VALUE, env: ["PREDNAS_TEST_VALUE=11"] }, sourceOf("settings"));
    const record = await runInDirectory(problem, { method: "random", seed: 0, budget: 2, options: resolveMethodOptions("random"), settings, runDir: fresh("library"), onWarning: () => {} });
    expect(values(record!)).toEqual([11, 11]);
  }, 60_000);
});
