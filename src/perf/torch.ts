/**
 * Predictor speed side by side with PyTorch, in the same run: the reference predictors (the
 * Neural Predictor's GCN, the BANANAS MLP ensemble, at the reference settings) fitted on the same
 * 172 NAS-Bench-101 cells (seed 0) and scored on the whole space, one thread each, by prednas and by
 * scripts/torch_reference.py under /usr/bin/python3 with Debian's python3-torch. Figures are the
 * time ratios prednas / PyTorch (below 1: prednas is faster), against the predictors issue's targets.
 *
 * Without torch it says how to install it instead (the other sections do not need it).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { measured, uniformSample } from "../predictors/evaluation.js";
import { createPredictor } from "../predictors/registry.js";
import { scoreAll } from "../predictors/scoring.js";
import { loadProblem } from "../spaces/registry.js";
import { NASBENCH101 } from "../spaces/nasbench101/problem.js";
import type { Nasbench101Space, Nb101Cell } from "../spaces/nasbench101/space.js";
import { projectRoot } from "../util/files.js";
import type { Figure, Section } from "./harness.js";

const PYTHON = "/usr/bin/python3";
const TRAIN_SIZE = 172;
const SEED = 0;

/** Ratio targets of the issue (prednas time / PyTorch time). */
const TARGETS = { gcnFit: 0.8, gcnScore: 0.5, mlpFit: 0.5, mlpScore: 1 } as const;

function torchAvailable(): string | undefined {
  const probe = spawnSync(PYTHON, ["-c", "import torch; print(torch.__version__)"], { encoding: "utf8" });
  return probe.status === 0 ? probe.stdout.trim() : undefined;
}

function write(dir: string, name: string, values: ArrayBufferView): void {
  writeFileSync(join(dir, name), new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
}

/** The training set and the whole space, as scripts/torch_reference.py reads them. */
function writeInputs(dir: string, space: Nasbench101Space, train: readonly Nb101Cell[], truths: Float64Array): void {
  const { vertices, features } = space.graph;
  const n = train.length;
  const adjacency = new Float32Array(n * vertices * vertices);
  const oneHot = new Float32Array(n * vertices * features);
  const counts = new Float32Array(n);
  space.graph.encode(train, adjacency, oneHot, counts);
  const accuracies = train.map((cell) => truths[cell.index]!);
  const mean = accuracies.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(accuracies.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  write(dir, "gcn_train_adjacency.f32", adjacency);
  write(dir, "gcn_train_features.f32", oneHot);
  write(dir, "gcn_train_counts.f32", counts);
  write(dir, "gcn_train_targets.f32", Float32Array.from(accuracies, (a) => (a - mean) / sd));
  const path = space.encodings.path!;
  const inputs = new Float32Array(n * path.width);
  path.encode(train, inputs);
  write(dir, "mlp_train_inputs.f32", inputs);
  write(dir, "mlp_train_targets.f32", Float32Array.from(accuracies, (a) => 100 * (1 - a)));
  // The whole space, compact: 0/1 adjacency bytes, labels (-3 for padding), counts; CSR paths.
  const size = space.enumeration.size;
  const { catalogue, pathTable } = space;
  const bits = new Uint8Array(size * vertices * vertices);
  const labels = new Int8Array(size * vertices).fill(-3);
  const sizes = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const v = catalogue.vertexCount(i);
    const matrix = catalogue.matrix(i);
    for (let x = 0; x < v; x++) for (let y = 0; y < v; y++) bits[i * vertices * vertices + x * vertices + y] = matrix[x * v + y]!;
    labels.set(catalogue.labels(i), i * vertices);
    sizes[i] = v;
  }
  write(dir, "all_adjacency.u8", bits);
  write(dir, "all_labels.i8", labels);
  write(dir, "all_counts.u8", sizes);
  write(dir, "all_path_offsets.i32", Int32Array.from(pathTable.offsets));
  write(dir, "all_path_indices.i16", Int16Array.from(pathTable.indices));
  const meta = {
    seed: SEED,
    size,
    gcn: { train: n, vertices, features, epochs: 300, batchSize: 10, learningRate: 1e-4, weightDecay: 1e-3 },
    mlp: { train: n, width: path.width, members: 5, layers: 10, width_units: 20, epochs: 150, batchSize: 32, learningRate: 0.01 },
  };
  writeFileSync(join(dir, "meta.json"), JSON.stringify(meta));
}

/** prednas's own times for the same work: fit in this thread, score on one worker thread. */
async function prednasTimes(space: Nasbench101Space, train: readonly Nb101Cell[], truths: Float64Array, spec: { space: string }) {
  const times: Record<string, number> = {};
  for (const [name, key] of [["gcn", "gcn"], ["mlp-ensemble", "mlp"]] as const) {
    const predictor = createPredictor(name, space);
    const fit = await measured(() => predictor.fit(train, train.map((cell) => truths[cell.index]!), { seed: SEED }));
    const score = await measured(() => scoreAll(predictor, { problem: spec, space }, { workers: 1 }));
    predictor.dispose();
    times[`${key}Fit`] = fit.seconds;
    times[`${key}Score`] = score.seconds;
  }
  return times as { gcnFit: number; gcnScore: number; mlpFit: number; mlpScore: number };
}

export const torchSection: Section = {
  name: "torch",
  description: `predictor speed against PyTorch in the same run: the reference GCN and MLP ensemble, fit on ${TRAIN_SIZE} NAS-Bench-101 cells, whole-space scoring, one thread each`,
  async run(): Promise<Figure[]> {
    const version = torchAvailable();
    if (version === undefined) {
      process.stderr.write(`  ${PYTHON} has no torch: install it with 'apt-get install python3-torch' to compare with PyTorch\n`);
      return [];
    }
    const problem = await loadProblem({ space: NASBENCH101.name });
    const space = problem.space as unknown as Nasbench101Space;
    const train = uniformSample(space, TRAIN_SIZE, SEED) as Nb101Cell[];
    const dir = mkdtempSync(join(tmpdir(), "prednas-torch-"));
    try {
      writeInputs(dir, space, train, problem.truths);
      const ours = await prednasTimes(space, train, problem.truths, problem.spec);
      const child = spawnSync(PYTHON, [join(projectRoot(), "scripts", "torch_reference.py"), dir], { encoding: "utf8", maxBuffer: 1 << 20 });
      if (child.status !== 0) throw new Error(`the PyTorch reference failed: ${child.stderr}`);
      const theirs = JSON.parse(child.stdout.trim().split("\n").at(-1)!) as typeof ours & { torch: string; finite: boolean };
      process.stderr.write(`  prednas: ${JSON.stringify(ours)}\n  PyTorch ${theirs.torch}: ${JSON.stringify(theirs)}\n`);
      const labels = { gcnFit: "GCN fit at N=172", gcnScore: "GCN whole-space scoring", mlpFit: "MLP ensemble fit at N=172", mlpScore: "MLP ensemble whole-space scoring" } as const;
      return (Object.keys(labels) as (keyof typeof labels)[]).map((key) => ({
        name: `${labels[key]}: prednas / PyTorch time`,
        value: ours[key] / theirs[key],
        unit: "x",
        target: { value: TARGETS[key], better: "lower" as const },
        note: `${ours[key].toFixed(2)} s against ${theirs[key].toFixed(2)} s (PyTorch ${theirs.torch}, 1 thread)`,
      }));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
