/**
 * Accel-NASBench as the registry knows it: the MnasNet space (space.ts), about 1.04e11
 * architectures, judged by the XGBoost surrogates that ship with prednas (data.ts). It cannot be
 * listed, so its problem is a surrogate problem (spaces/types.ts): no table, no truths by index.
 *
 * A query observes the accuracy surrogate's ImageNet validation top-1 (the benchmark's proxy
 * training), as a fraction (percent / 100, the scale every space shares), and is judged by the same
 * value: **every search here is judged by a surrogate**, never by a trained network. `bench query`
 * gives all ten surrogates' values and, for the 5,125 measured architectures, the measurements
 * beside them.
 */
import { resolve } from "node:path";
import { InputError } from "../../util/errors.js";
import type { MeasuredSet, MetricInfo, SpaceDefinition, SurrogateProblem } from "../types.js";
import { builtinDataPath, CHOICE_COUNT, EXTRA_MEASURES, QUANTITIES, readAccelData, SPLITS, type AccelData, type Quantity } from "./data.js";
import { AccelNasbenchSpace, EXAMPLE } from "./space.js";
import type { ChoicesArch } from "../custom/choices.js";

const NAME = "accel-nasbench";
const SIZE = 104_485_552_128;

const OBJECTIVES: readonly MetricInfo[] = [{ name: "validation", label: "ImageNet validation top-1 as the XGBoost surrogate predicts it (the benchmark's proxy training)" }];

const LABELS: Readonly<Record<Quantity, string>> = {
  val_top1: "ImageNet validation top-1, percent (proxy training)",
  train_time: "proxy training time, seconds",
  throughput_a100: "inference throughput on an A100, images/s",
  throughput_3090: "inference throughput on an RTX 3090, images/s",
  throughput_tpuv2: "inference throughput on a TPUv2, images/s per core",
  throughput_tpuv3: "inference throughput on a TPUv3, images/s per core",
  throughput_zcu102: "inference throughput on a ZCU102 FPGA, images/s",
  throughput_vck190: "inference throughput on a VCK190 FPGA, images/s",
  latency_zcu102: "inference latency on a ZCU102 FPGA, ms",
  latency_vck190: "inference latency on a VCK190 FPGA, ms",
};

/** The surrogates' values for one architecture (each a float32, as xgboost gives it). */
export function surrogateValues(data: AccelData, arch: ChoicesArch): Record<Quantity, number> {
  return Object.fromEntries(QUANTITIES.map((name) => [name, data.surrogates[name].predict(arch)])) as Record<Quantity, number>;
}

/** The records of one of the authors' splits: architecture and measured top-1 (as a fraction). */
function measuredSet(data: AccelData, split: number): MeasuredSet<ChoicesArch> {
  const records = [...data.measured.split.keys()].filter((record) => data.measured.split[record] === split);
  return {
    archs: records.map((record) => Array.from(data.measured.archs.subarray(record * CHOICE_COUNT, (record + 1) * CHOICE_COUNT))),
    values: Float64Array.from(records, (record) => data.measured.values.val_top1[record]! / 100),
  };
}

/** The measured records of each measured architecture, by its key. */
function measuredByKey(data: AccelData, space: AccelNasbenchSpace): Map<string, number[]> {
  const byKey = new Map<string, number[]>();
  const { archs, files } = data.measured;
  for (let record = 0; record < files.length; record++) {
    const key = space.key(Array.from(archs.subarray(record * CHOICE_COUNT, (record + 1) * CHOICE_COUNT)));
    byKey.set(key, [...(byKey.get(key) ?? []), record]);
  }
  return byKey;
}

export const ACCEL_NASBENCH: SpaceDefinition = {
  name: NAME,
  title: "Accel-NASBench",
  description: "the MnasNet space of Accel-NASBench (about 1.04e11 architectures: 7 blocks x expansion, kernel, layers, squeeze-excite) on ImageNet, judged by XGBoost surrogates of 5,125 measured architectures; cannot be listed",
  size: SIZE,
  objectives: OBJECTIVES,
  input: {
    flags: [{ flag: "--blocks <STRING>", description: `Accel-NASBench architecture: 7 blocks e<expansion>k<kernel>l<layers>[se] joined by '-', e.g. ${EXAMPLE}` }],
    fromFlags: ({ blocks }) => (blocks === undefined ? undefined : { arch: blocks }),
    jsonForm: `{"arch": "${EXAMPLE}"} (or the authors' {"block0_e": 1, ...}, or a result file)`,
  },
  nativeStream: "python",

  async load(spec): Promise<SurrogateProblem<ChoicesArch>> {
    const objective = spec.objective ?? OBJECTIVES[0]!.name;
    if (!OBJECTIVES.some((o) => o.name === objective)) throw new InputError(`unknown objective '${objective}' for Accel-NASBench (known: ${OBJECTIVES.map((o) => o.name).join(", ")})`);
    if (spec.dataset !== undefined) throw new InputError(`Accel-NASBench has one dataset (ImageNet): --dataset does not apply`);
    const path = resolve(spec.data ?? builtinDataPath());
    let data: AccelData;
    try {
      data = readAccelData(path);
    } catch (error) {
      throw new InputError(`${path} cannot be read as Accel-NASBench data (${(error as Error).message}); the built-in data is made by scripts/accel_surrogates.py`);
    }
    const space = new AccelNasbenchSpace();
    const measured = measuredByKey(data, space);
    const accuracy = data.surrogates.val_top1;
    const info = Object.fromEntries(data.meta.surrogates.map(({ name, trees, fidelity }) => [name, { trees, testR2: fidelity.test.r2, testKendallTau: fidelity.test.kendall_tau, testMae: fidelity.test.mae }]));
    return {
      spec: { space: NAME, objective, ...(spec.data === undefined ? {} : { data: path }) },
      space,
      objective,
      truthLabel: "ImageNet validation top-1 of the XGBoost surrogate (a surrogate's prediction, not a measurement)",
      oracle: {
        observe: (arch) => {
          const truth = accuracy.predict(arch) / 100;
          return { value: truth, truth };
        },
      },
      benchmark: {
        source: { data: path, origin: spec.data === undefined ? "built-in" : "--data", judgedBy: "XGBoost surrogates (scripts/accel_surrogates.py)" },
        metrics: QUANTITIES.map((name) => ({ name, label: LABELS[name] })),
        info: () => ({
          xgboost: data.meta.xgboost,
          seed: data.meta.seed,
          measuredRecords: data.measured.files.length,
          measuredArchitectures: measured.size,
          surrogates: info,
          authorsAccuracyFigures: { testR2: data.meta.authorsAccuracy.r2, testKendallTau: data.meta.authorsAccuracy.kendall_tau, testMae: data.meta.authorsAccuracy.mae },
        }),
        measuredSplit: () => ({ train: measuredSet(data, SPLITS.indexOf("train")), test: measuredSet(data, SPLITS.indexOf("test")) }),
        query: (arch) => {
          const key = space.key(arch);
          const records = measured.get(key) ?? [];
          return {
            arch: key,
            architecture: space.describeChoices(arch),
            surrogate: surrogateValues(data, arch),
            measured: records.map((record) => ({
              file: `result_${data.measured.files[record]}.json`,
              split: SPLITS[data.measured.split[record]!],
              ...Object.fromEntries([...QUANTITIES, ...EXTRA_MEASURES].map((name) => [name, data.measured.values[name][record]!])),
            })),
          };
        },
      },
      parse: (input) => space.parse(input),
    };
  },
};
