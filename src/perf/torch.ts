/**
 * Predictor speed side by side with PyTorch, in the same run: the reference predictors (the
 * Neural Predictor's GCN, the BANANAS MLP ensemble, at the reference settings) fitted on the same
 * 172 NAS-Bench-101 cells (seed 0) and scored on the whole space, one thread each, by prednas and by
 * scripts/torch_reference.py under /usr/bin/python3 with Debian's python3-torch. Figures are the
 * time ratios prednas / PyTorch (below 1: prednas is faster), against the predictors issue's targets.
 *
 * A ratio is only as good as its peer (issue 22: README once quoted ratios against a PyTorch 13
 * times slower than this machine's). So the peer runs at its best, and its configuration is
 * printed and checked:
 * - its process gets none of the variables that force OpenBLAS's kernel or cache size
 *   (OPENBLAS_CORETYPE, OPENBLAS_L2_SIZE) or ATen's SIMD level, so OpenBLAS picks its own kernel
 *   for this CPU, and one thread for OpenBLAS, OpenMP and MKL: the comparison is one thread each,
 *   and OpenBLAS's second thread (it starts one per core whatever torch.set_num_threads says)
 *   spins for work, which on a loaded 2-core machine made the same small products 1.5-2x slower
 *   (measured 2026-12-06 at load 8-9: 70x144 by 144x144, 20,000 times, 3.1 s with two threads against 1.6-2.1 s with one);
 * - a peer whose BLAS kernel or ATen level lacks the AVX2 this CPU has, that runs another thread
 *   count, or that calls the reference (netlib) BLAS, is degraded: no ratio is printed then;
 * - each side runs REPEATS times, alternately, and the minimum of each is compared (load from
 *   other processes only ever adds time); the load average is printed with each side, and each
 *   side's CPU time beside its wall time (on a busy machine the ratio of the CPU times says more;
 *   prednas's includes its scoring worker's start and V8's own threads).
 *
 * Without torch it says how to install it instead (the other sections do not need it).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { measured, uniformSample } from "../predictors/evaluation.js";
import { createPredictor } from "../predictors/registry.js";
import { scoreAll } from "../predictors/scoring.js";
import { loadProblem } from "../spaces/registry.js";
import { NASBENCH101 } from "../spaces/nasbench101/problem.js";
import type { Nasbench101Space, Nb101Cell } from "../spaces/nasbench101/space.js";
import { projectRoot } from "../util/files.js";
import { tf } from "../predictors/tf.js";
import { median, type Figure, type Section } from "./harness.js";

const PYTHON = "/usr/bin/python3";
const TRAIN_SIZE = 172;
const SEED = 0;
/** Runs of each side, alternating; the minimum of each is compared. */
const REPEATS = 3;

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

type Times = { gcnFit: number; gcnScore: number; mlpFit: number; mlpScore: number };
/** Wall seconds per operation, and the process's CPU seconds (what the work cost whatever the load). */
type Timed = Times & { cpu: Times };
const OPERATIONS = ["gcnFit", "gcnScore", "mlpFit", "mlpScore"] as const;

/** The peer's configuration, as scripts/torch_reference.py reports it. */
interface PeerConfiguration {
  readonly torch: string;
  readonly blasInfo: string | null;
  readonly mkl: boolean;
  readonly cpuCapability: string | null;
  readonly blasLibraries: string[];
  readonly openblas: { library: string; coretype: string; config: string; threads: number } | null;
  readonly threads: number;
  readonly interopThreads: number;
  readonly environment: Record<string, string>;
  readonly cpuFlags: string[];
  readonly loadAverage: number;
}

/** Variables that pin OpenBLAS's or ATen's kernels below what the CPU offers (the peer runs without them). */
const DEGRADING_VARIABLES = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE", "ATEN_CPU_CAPABILITY", "MKL_DEBUG_CPU_TYPE", "MKL_ENABLE_INSTRUCTIONS"] as const;
/** One thread for every threading layer under torch. */
const ONE_THREAD = { OPENBLAS_NUM_THREADS: "1", GOTO_NUM_THREADS: "1", OMP_NUM_THREADS: "1", MKL_NUM_THREADS: "1" } as const;
/** OpenBLAS 0.3's x86-64 kernels with AVX2 and FMA (the others are slower on a CPU that has them). */
const OPENBLAS_AVX2_CORES = new Set(["Haswell", "Zen", "SkylakeX", "CooperLake", "SapphireRapids"]);

/** The peer's environment: this one without the degrading variables, one thread each layer. */
function peerEnvironment(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...ONE_THREAD };
  for (const name of DEGRADING_VARIABLES) delete env[name];
  return env;
}

/** Why the peer's configuration is known to be slower than its best on this CPU (empty: it is not). */
export function degradations(peer: PeerConfiguration): string[] {
  const reasons: string[] = [];
  const avx2 = peer.cpuFlags.includes("avx2") && peer.cpuFlags.includes("fma");
  for (const name of DEGRADING_VARIABLES) if (peer.environment[name] !== undefined) reasons.push(`${name}=${peer.environment[name]} is set`);
  if (peer.threads !== 1) reasons.push(`torch runs ${peer.threads} threads, not 1`);
  if (peer.openblas !== null) {
    if (peer.openblas.threads !== 1) reasons.push(`OpenBLAS runs ${peer.openblas.threads} threads, not 1`);
    if (avx2 && !OPENBLAS_AVX2_CORES.has(peer.openblas.coretype)) reasons.push(`OpenBLAS uses its ${peer.openblas.coretype} kernels, without the AVX2 and FMA this CPU has`);
  } else if (!peer.mkl) {
    reasons.push(`torch calls neither OpenBLAS nor MKL (loaded: ${peer.blasLibraries.join(", ") || "no BLAS"}): a reference BLAS`);
  }
  if (avx2 && peer.cpuCapability !== "AVX2" && peer.cpuCapability !== "AVX512") reasons.push(`ATen runs its ${peer.cpuCapability} kernels on a CPU with AVX2`);
  return reasons;
}

function describePeer(peer: PeerConfiguration): string {
  const blas = peer.openblas
    ? `OpenBLAS (${peer.openblas.config}; core type ${peer.openblas.coretype}, ${peer.openblas.threads} thread(s), ${peer.openblas.library})`
    : peer.mkl ? "MKL" : `BLAS ${peer.blasLibraries.join(", ")}`;
  const env = Object.entries(peer.environment).map(([name, value]) => `${name}=${value}`).join(" ") || "none";
  return `PyTorch ${peer.torch}: BLAS_INFO=${peer.blasInfo}, ${blas}; ATen ${peer.cpuCapability}; torch threads ${peer.threads} (inter-op ${peer.interopThreads}); environment: ${env}`;
}

/** The peer's timed run (a process of its own). */
function peerTimes(dir: string): Timed & { configuration: PeerConfiguration } {
  const child = spawnSync(PYTHON, [join(projectRoot(), "scripts", "torch_reference.py"), dir], { encoding: "utf8", maxBuffer: 1 << 20, env: peerEnvironment() });
  if (child.status !== 0) throw new Error(`the PyTorch reference failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split("\n").at(-1)!) as Timed & { configuration: PeerConfiguration };
}

/** prednas's own times for the same work: fit in this thread, score on one worker thread. */
async function prednasTimes(space: Nasbench101Space, train: readonly Nb101Cell[], truths: Float64Array, spec: { space: string }): Promise<Timed> {
  const times: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  for (const [name, key] of [["gcn", "gcn"], ["mlp-ensemble", "mlp"]] as const) {
    const predictor = createPredictor(name, space);
    const fit = await measured(() => predictor.fit(train, train.map((cell) => truths[cell.index]!), { seed: SEED }));
    const score = await measured(() => scoreAll(predictor, { problem: spec, space }, { workers: 1 }));
    predictor.dispose();
    times[`${key}Fit`] = fit.seconds;
    times[`${key}Score`] = score.seconds;
    cpu[`${key}Fit`] = fit.cpuSeconds;
    cpu[`${key}Score`] = score.cpuSeconds;
  }
  return { ...(times as Times), cpu: cpu as Times };
}

const load = () => loadavg()[0]!.toFixed(2);
const seconds = (times: readonly Times[], key: keyof Times) => times.map((t) => t[key].toFixed(2)).join(" ");

export const torchSection: Section = {
  name: "torch",
  description: `predictor speed against PyTorch in the same run: the reference GCN and MLP ensemble, fit on ${TRAIN_SIZE} NAS-Bench-101 cells, whole-space scoring, one thread each, minimum of ${REPEATS} alternating runs per side`,
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
      const removed = DEGRADING_VARIABLES.filter((name) => process.env[name] !== undefined).map((name) => `${name}=${process.env[name]}`);
      if (removed.length > 0) process.stdout.write(`  the peer runs without ${removed.join(", ")} (set in this environment)\n`);
      const ours: Timed[] = [];
      const theirs: (Timed & { configuration: PeerConfiguration })[] = [];
      for (let run = 0; run < REPEATS; run++) {
        const before = load();
        ours.push(await prednasTimes(space, train, problem.truths, problem.spec));
        process.stdout.write(`  run ${run + 1} prednas (load ${before}): ${OPERATIONS.map((key) => `${key} ${ours.at(-1)![key].toFixed(2)} s (CPU ${ours.at(-1)!.cpu[key].toFixed(2)} s)`).join(", ")}\n`);
        const peer = peerTimes(dir);
        theirs.push(peer);
        process.stdout.write(`  run ${run + 1} PyTorch (load ${peer.configuration.loadAverage.toFixed(2)}): ${OPERATIONS.map((key) => `${key} ${peer[key].toFixed(2)} s (CPU ${peer.cpu[key].toFixed(2)} s)`).join(", ")}\n`);
      }
      const wasmSimd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
      process.stdout.write(`  prednas: node ${process.version} ${process.execArgv.join(" ")}, tfjs ${tf.version_core} on ${tf.getBackend()} (SIMD ${wasmSimd}), fit in the main thread, scoring on 1 worker thread\n`);
      const configuration = theirs.at(-1)!.configuration;
      process.stdout.write(`  ${describePeer(configuration)}\n`);
      const reasons = [...new Set(theirs.flatMap((peer) => degradations(peer.configuration)))];
      if (reasons.length > 0) {
        process.stdout.write(`  no ratio: the PyTorch peer ran degraded (${reasons.join("; ")})\n`);
        return [];
      }
      const labels = { gcnFit: "GCN fit at N=172", gcnScore: "GCN whole-space scoring", mlpFit: "MLP ensemble fit at N=172", mlpScore: "MLP ensemble whole-space scoring" } as const;
      return OPERATIONS.map((key) => {
        const best = Math.min(...ours.map((t) => t[key]));
        const peerBest = Math.min(...theirs.map((t) => t[key]));
        const cpuRatio = Math.min(...ours.map((t) => t.cpu[key])) / Math.min(...theirs.map((t) => t.cpu[key]));
        return {
          name: `${labels[key]}: prednas / PyTorch time`,
          value: best / peerBest,
          unit: "x",
          target: { value: TARGETS[key], better: "lower" as const },
          note: `min ${best.toFixed(2)} s against ${peerBest.toFixed(2)} s, CPU time ratio ${cpuRatio.toFixed(3)} (medians ${median(ours.map((t) => t[key])).toFixed(2)} / ${median(theirs.map((t) => t[key])).toFixed(2)}; prednas ${seconds(ours, key)}, PyTorch ${seconds(theirs, key)})`,
        };
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
