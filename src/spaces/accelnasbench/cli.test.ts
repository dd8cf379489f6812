/**
 * Accel-NASBench through the commands, as a user runs them (the built dist/): bench info and query
 * give the surrogates' values (checked against the evaluator) and, for a measured architecture, the
 * measurements beside them; searches observe the accuracy surrogate; whatever needs the list of the
 * space is refused, naming the command and why.
 */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { prednas as run } from "../../test-support/cli.js";
import { seededRng } from "../../util/rng.js";
import { CHOICE_COUNT, QUANTITIES, readAccelData, SPLITS } from "./data.js";
import { ACCEL_NASBENCH } from "./problem.js";
import { AccelNasbenchSpace, EXAMPLE } from "./space.js";

const SPACE = ["--space", ACCEL_NASBENCH.name];
const data = readAccelData();
const space = new AccelNasbenchSpace();
const prednas = (args: string[], input?: string) => run(args, { cwd: mkdtempSync(join(tmpdir(), "prednas-accel-")), ...(input === undefined ? {} : { input }) });
const lines = (text: string) => text.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);

/** The measured record `record`'s architecture. */
const measuredArch = (record: number) => Array.from(data.measured.archs.subarray(record * CHOICE_COUNT, (record + 1) * CHOICE_COUNT));

describe("Accel-NASBench on the command line", () => {
  it("bench info names the surrogates, their fidelity and the measured data, and says they are surrogates", () => {
    const info = JSON.parse(prednas(["bench", "info", ...SPACE, "--json"]).stdout) as Record<string, unknown>;
    expect(info).toMatchObject({ space: "accel-nasbench", architectures: 104_485_552_128, measuredRecords: 5138, measuredArchitectures: 5125, metrics: [...QUANTITIES] });
    expect((info.surrogates as Record<string, { testR2: number }>).val_top1!.testR2).toBe(data.meta.surrogates[0]!.fidelity.test.r2);
    expect(prednas(["bench", "info", ...SPACE]).stdout).toMatch(/a model's prediction, not a measurement/);
  });

  it("bench query gives every surrogate's value, and the measurements of a measured architecture", () => {
    const record = 17;
    const arch = measuredArch(record);
    const answer = JSON.parse(prednas(["bench", "query", ...SPACE, "--blocks", space.key(arch), "--json"]).stdout) as { surrogate: Record<string, number>; measured: Record<string, unknown>[] };
    for (const name of QUANTITIES) expect(answer.surrogate[name]).toBe(data.surrogates[name].predict(arch));
    expect(answer.measured).toHaveLength(1);
    expect(answer.measured[0]).toMatchObject({ file: `result_${data.measured.files[record]}.json`, split: SPLITS[data.measured.split[record]!], val_top1: data.measured.values.val_top1[record] });
    // Unseen architectures, as JSON lines in every form the space reads: surrogate values only.
    const rng = seededRng(21);
    const drawn = Array.from({ length: 30 }, () => space.sampleUniform(rng));
    const input = drawn.map((a, i) => JSON.stringify(i % 3 === 0 ? { arch: space.key(a) } : i % 3 === 1 ? space.describeChoices(a) : { architecture: space.describeChoices(a) })).join("\n");
    const answers = lines(prednas(["bench", "query", ...SPACE], input).stdout) as { arch: string; surrogate: Record<string, number>; measured: unknown[] }[];
    expect(answers.map((a) => a.arch)).toEqual(drawn.map((a) => space.key(a)));
    expect(answers.map((a) => a.surrogate.latency_vck190)).toEqual(drawn.map((a) => data.surrogates.latency_vck190.predict(a)));
    expect(answers.every((a) => a.measured.length === 0)).toBe(true);
    expect(prednas(["bench", "query", ...SPACE, "--blocks", EXAMPLE]).stdout).toMatch(/judgedBy\s+surrogates/);
  });

  it("bench info --sample estimates the surrogate's distribution and random search's expected best, reproducibly", () => {
    const args = ["bench", "info", ...SPACE, "--sample", "3000", "--seed", "5", "--json"];
    const info = JSON.parse(prednas(args).stdout) as { sampleMean: number; sampleBest: { truth: number; key: string }; top0_1PercentFrom: number; expectedBestOfRandomSearch: { m: number; estimate: number; standardError: number }[] };
    expect(info.sampleBest.truth).toBe(data.surrogates.val_top1.predict(space.parse(info.sampleBest.key)) / 100);
    expect(info.top0_1PercentFrom).toBeGreaterThan(info.sampleMean);
    const curve = info.expectedBestOfRandomSearch;
    expect(curve.map((point) => point.m)).toEqual([1, 10, 50, 100, 150, 1000]);
    expect(curve[0]!.estimate).toBeCloseTo(info.sampleMean, 12);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.estimate).toBeGreaterThan(curve[i - 1]!.estimate);
    expect(curve.every((point) => point.standardError > 0 && point.estimate <= info.sampleBest.truth)).toBe(true);
    expect(prednas(args).stdout).toBe(JSON.stringify(info) + "\n");
    const listed = prednas(["bench", "info", "--space", "nasbench201", "--sample", "3000"]);
    expect(listed.status).toBe(2);
    expect(listed.stderr).toMatch(/--sample estimates the statistics of a space that cannot be listed; nasbench201 is listed whole/);
  });

  it("predictor eval trains on the authors' measured training split and ranks their measured test split", () => {
    const args = ["predictor", "eval", ...SPACE, "--predictor", "ridge", "--train-size", "100", "--seed", "4", "--json"];
    const result = JSON.parse(prednas(args).stdout) as { trainSize: number; trainPool: number; tested: number; kendallTau: number; fitSeconds: number };
    expect(result).toMatchObject({ trainSize: 100, trainPool: 4100, tested: 512 });
    expect(result.kendallTau).toBeGreaterThan(0.5);
    const again = JSON.parse(prednas(args).stdout) as { kendallTau: number };
    expect(again.kendallTau).toBe(result.kendallTau);
    expect(prednas([...args.slice(0, -3), "--train-size", "4101"]).stderr).toMatch(/from 1 to 4100 \(the measured training split of accel-nasbench\)/);
  });

  it("search observes the accuracy surrogate and says it is judged by one", () => {
    const record = JSON.parse(prednas(["search", ...SPACE, "--method", "random", "--budget", "15", "--seed", "3", "--json"]).stdout) as { queries: { key: string; value: number; truth: number }[] };
    expect(record.queries).toHaveLength(15);
    for (const query of record.queries) {
      expect(query.truth).toBe(data.surrogates.val_top1.predict(space.parse(query.key)) / 100);
      expect(query.value).toBe(query.truth);
    }
    const summary = prednas(["search", ...SPACE, "--method", "evolution", "--budget", "15", "--seed", "3"]);
    expect(summary.status).toBe(0);
    expect(summary.stdout).toMatch(/judged by\s+a surrogate/);
  });

  it("sample, neighbours and hash work; what needs the list of the space is refused, saying why", () => {
    const sampled = lines(prednas(["sample", ...SPACE, "--n", "3", "--seed", "1", "--uniform"]).stdout);
    expect(sampled).toHaveLength(3);
    expect(prednas(["hash", ...SPACE, "--blocks", EXAMPLE]).stdout).toBe(`${EXAMPLE}\n`);
    expect(lines(prednas(["neighbours", ...SPACE, "--blocks", EXAMPLE]).stdout)).toHaveLength(43);
    for (const [args, who] of [
      [["enumerate"], "prednas enumerate"],
      [["bench", "top", "--n", "3"], "prednas bench top"],
    ] as const) {
      const refused = prednas([...args, ...SPACE]);
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`${who} needs the whole table of the space, and Accel-NASBench cannot be listed`);
    }
    const full = prednas(["search", ...SPACE, "--pool", "full", "--budget", "20"]);
    expect(full.status).toBe(2);
    expect(full.stderr).toMatch(/the full pool scores every architecture of the space each iteration, and the space 'accel-nasbench'.* cannot be listed/);
  });
});
