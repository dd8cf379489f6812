import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { expandJobs, parsePreset, readPresetFile } from "./preset.js";

const dir = mkdtempSync(join(tmpdir(), "prednas-study-space-"));
writeFileSync(join(dir, "space.json"), JSON.stringify({ type: "choices", name: "mine", choices: { a: [1, 2, 3], b: ["x", "y"] } }));
const base = { budget: 5, runs: 2, configurations: [{ method: "random" }, { method: "predictor", options: { predictor: "ridge" } }] };

describe("a study preset of a space file", () => {
  it("takes the space file relative to the preset file, its space's name, and the options fitted to it", () => {
    const path = join(dir, "preset.json");
    writeFileSync(path, JSON.stringify({ ...base, spaceFile: "space.json", evaluate: "python train.py", parallel: 3 }));
    const preset = readPresetFile(path);
    expect(preset).toMatchObject({ space: "mine", spaceFile: join(dir, "space.json"), objective: "value", parallel: 3 });
    const jobs = expandJobs(preset);
    expect(jobs).toHaveLength(4);
    expect(jobs[1]!.options).toMatchObject({ predictorOptions: { encoding: "onehot" } });
    // The preset as a study records it reads back the same.
    expect(parsePreset(JSON.parse(JSON.stringify(preset)), "study.json")).toEqual(preset);
  });

  it("refuses what does not fit, saying where", () => {
    const spaceFile = join(dir, "space.json");
    expect(() => parsePreset({ ...base, spaceFile }, "p.json")).toThrow(/p\.json: preset: a space file of your own needs the training command that evaluates it: give evaluate/);
    expect(() => parsePreset({ ...base, evaluate: "train" }, "p.json")).toThrow(/p\.json: preset: evaluate apply to a study of a space file of your own: give spaceFile/);
    expect(() => parsePreset({ ...base, spaceFile, evaluate: "train", dataset: "cifar10" }, "p.json")).toThrow(/dataset names a benchmark's/);
    expect(() => parsePreset({ ...base, spaceFile, evaluate: "train", space: "nasbench201" }, "p.json")).toThrow(/give space or spaceFile, not both/);
    expect(() => parsePreset({ ...base, spaceFile, evaluate: "train", configurations: [{ method: "predictor", options: { pool: "full" } }] }, "p.json")).toThrow(/the full pool scores every architecture/);
    expect(() => parsePreset({ ...base, spaceFile: join(dir, "nope.json"), evaluate: "train" }, "p.json")).toThrow(/cannot read the space file/);
  });
});
