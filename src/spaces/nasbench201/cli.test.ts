/** NAS-Bench-201 through every command, as a user runs them (the built dist/, as `npm test` builds it first). */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../../test-support/data.js";
import { seededRng } from "../../util/rng.js";
import { formatArch, numberToCodes } from "./cell.js";
import { NASBENCH201 } from "./problem.js";
import { readNasbench201Table } from "./table.js";

const MAIN = join(REPO_ROOT, "dist", "cli", "main.js");
const SPACE = ["--space", NASBENCH201.name];
const table = readNasbench201Table();
const archOf = (index: number) => formatArch(numberToCodes(table.opCodes[index]!));

function prednas(args: string[], input?: string) {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run 'npm run build' first (npm test does)`);
  const result = spawnSync(process.execPath, [MAIN, ...args], { input, encoding: "utf8", env: process.env, cwd: mkdtempSync(join(tmpdir(), "prednas-nb201-")), maxBuffer: 1 << 26 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const lines = (text: string) => text.trim().split("\n").map((line) => JSON.parse(line) as Record<string, unknown>);

describe("NAS-Bench-201 on the command line", () => {
  it("bench info and query answer from the built-in table, for random cells, on every dataset", () => {
    const info = JSON.parse(prednas(["bench", "info", ...SPACE, "--dataset", "cifar100", "--json"]).stdout) as { architectures: number; best: { index: number; value: number }; metric: string };
    expect(info.architectures).toBe(15_625);
    expect(info.metric).toBe("validation");
    expect(info.best.index).toBe(9930);
    const rng = seededRng(11);
    const hidden = Array.from({ length: 50 }, () => rng.below(15_625));
    for (const dataset of ["cifar10", "cifar100", "imagenet16-120"] as const) {
      const input = hidden.map((index) => JSON.stringify({ arch: archOf(index) })).join("\n");
      const answers = lines(prednas(["bench", "query", ...SPACE, "--dataset", dataset], input).stdout);
      expect(answers.map((a) => a.index)).toEqual(hidden);
      expect(answers.map((a) => a.validationAccuracy)).toEqual(hidden.map((i) => table.values[dataset].validation[i]));
      expect(answers.map((a) => a.testAccuracy)).toEqual(hidden.map((i) => table.values[dataset].test[i]));
    }
    const one = prednas(["bench", "query", ...SPACE, "--arch", archOf(9930), "--dataset", "cifar100"]);
    expect(one.stdout).toMatch(/validationAccuracy\s+73\.49333340657552/);
    expect(one.stdout).toMatch(/rank \(validation\)\s+1 of 15625/);
    const top = lines(prednas(["bench", "top", ...SPACE, "--n", "3", "--metric", "test", "--json"]).stdout);
    expect(top.map((row) => row.index)[0]).toBe(6111);
  });

  it("hash, sample, neighbours and enumerate work on its cells", () => {
    const arch = archOf(1);
    expect(prednas(["hash", ...SPACE, "--arch", arch]).stdout).toBe(`${arch}\n`);
    const keyed = prednas(["hash", ...SPACE], `${JSON.stringify({ arch })}\n{"arch": "|bad~0|"}\n${JSON.stringify({ index: 2 })}\n`);
    expect(keyed.stdout.split("\n")).toEqual([arch, expect.stringMatching(/^error: line 2: .*needs 3 groups/), archOf(2), ""]);
    expect(keyed.status).toBe(1);
    const sample = prednas(["sample", ...SPACE, "--n", "5", "--seed", "3"]);
    expect(lines(sample.stdout)).toHaveLength(5);
    expect(sample.stdout).toBe(prednas(["sample", ...SPACE, "--n", "5", "--seed", "3"]).stdout);
    expect(lines(prednas(["neighbours", ...SPACE, "--arch", arch]).stdout)).toHaveLength(24);
    const all = prednas(["enumerate", ...SPACE]);
    expect(all.stdout.trim().split("\n")).toHaveLength(15_625);
    expect(all.stderr).toMatch(/15625 architectures/);
  });

  it("refuses an unknown space and another space's architecture flags, naming what would work", () => {
    const unknown = prednas(["bench", "info", "--space", "nope"]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toMatch(/unknown search space 'nope' \(known: .*nasbench201/);
    const misplaced = prednas(["hash", "--arch", archOf(0)]);
    expect(misplaced.status).toBe(2);
    expect(misplaced.stderr).toMatch(/--arch gives a NAS-Bench-201 architecture; the space is .* \(use --space nasbench201/);
    const dataset = prednas(["bench", "info", ...SPACE, "--dataset", "svhn"]);
    expect(dataset.stderr).toMatch(/unknown dataset 'svhn' for NAS-Bench-201 \(known: cifar10, cifar100, imagenet16-120\)/);
  });

  it("searches with a GCN and a mutation pool, and by local search, observing validation and recording test accuracy", () => {
    const gcn = prednas(["search", ...SPACE, "--dataset", "cifar100", "--predictor", "gcn", "--pool", "mutation", "--pool-size", "100", "--budget", "30", "--options", '{"predictorOptions":{"epochs":20,"width":32,"head":16}}', "--json"]);
    expect(gcn.status).toBe(0);
    const record = JSON.parse(gcn.stdout) as { space: string; dataset: string; objective: string; queries: { key: string; value: number; truth: number; test: number }[] };
    expect([record.space, record.dataset, record.objective]).toEqual([NASBENCH201.name, "cifar100", "validation"]);
    expect(record.queries).toHaveLength(30);
    const byKey = new Map(Array.from({ length: 15_625 }, (_, i) => [archOf(i), i]));
    for (const query of record.queries) {
      const i = byKey.get(query.key)!;
      expect(query.value).toBe(query.truth);
      expect(query.truth).toBe(table.values.cifar100.validation[i]! / 100);
      expect(query.test).toBe(table.values.cifar100.test[i]! / 100);
    }
    const local = prednas(["search", ...SPACE, "--dataset", "cifar100", "--method", "local", "--budget", "150"]);
    expect(local.stdout).toMatch(/test accuracy 0\.\d+/);
    expect(local.stdout).toMatch(/truth\s+0\.\d+ \(validation accuracy on cifar100\)/);
  });

  it("runs a study named for the space, and reports it against the validation accuracy", () => {
    const dir = mkdtempSync(join(tmpdir(), "prednas-nb201-study-"));
    const preset = join(dir, "p.json");
    writeFileSync(preset, JSON.stringify({ name: "nb201", space: NASBENCH201.name, dataset: "cifar10", budget: 20, runs: 2, configurations: [{ method: "random" }, { method: "local" }] }));
    const study = prednas(["study", "--preset", preset, "--out", join(dir, "s")]);
    expect(study.status).toBe(0);
    const report = readFileSync(join(dir, "s", "report.md"), "utf8");
    expect(report).toContain("|A| = 15,625 architectures");
    expect(report).toContain("validation accuracy on cifar10 (the truth)");
  });

  it("evaluates a predictor's ranking of the whole space", () => {
    const result = JSON.parse(prednas(["predictor", "eval", ...SPACE, "--predictor", "ridge", "--train-size", "100", "--workers", "0", "--json"]).stdout) as { heldOut: number; kendallTau: number };
    expect(result.heldOut).toBe(15_525);
    expect(result.kendallTau).toBeGreaterThan(0.2);
  });

  it("evaluates, when no predictor is named, the space's default: the one its searches use and predictor list names", () => {
    const result = JSON.parse(prednas(["predictor", "eval", ...SPACE, "--train-size", "30", "--options", '{"epochs": 5}', "--workers", "0", "--json"]).stdout) as { predictor: string };
    const search = JSON.parse(prednas(["search", ...SPACE, "--budget", "12", "--pool-size", "20", "--json"]).stdout) as { options: { predictor: string } };
    const listed = (JSON.parse(prednas(["predictor", "list", "--json"]).stdout) as { name: string; default?: string }[]).filter((predictor) => predictor.default !== undefined);
    expect(result.predictor).toBe("gcn-listmle");
    expect(search.options.predictor).toBe(result.predictor);
    expect(listed.map((predictor) => [predictor.name, predictor.default])).toEqual([
      ["mlp-ensemble", expect.stringMatching(/without a graph/)],
      ["gcn-listmle", expect.stringMatching(/with a graph/)],
    ]);
  });
});
