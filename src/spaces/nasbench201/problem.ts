/**
 * NAS-Bench-201 as the registry knows it: the 15,625-cell topology space over the built-in table
 * (NATS-Bench tss; table.ts says which columns and why), on one of three datasets.
 *
 * The protocol of the literature (docs/study.md, "NAS-Bench-201"): a query observes the
 * validation accuracy, targets, regret and SEG are on the validation accuracy, and every query
 * also records the test accuracy, so that the report gives the test accuracy of the architecture
 * each run returns. With `--objective test` the search observes and is judged by the test
 * accuracy instead. The table stores accuracies in percent, as the benchmark does; queries
 * observe them as fractions (percent / 100), the scale every space and predictor shares.
 */
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { InputError } from "../../util/errors.js";
import type { Benchmark, MetricInfo, Problem, ProblemSpec, SpaceDefinition } from "../types.js";
import { parseArch } from "./cell.js";
import { Nasbench201Space, type Nb201Cell } from "./space.js";
import { builtinTablePath, CELL_COUNT, DATASETS, QUANTITIES, readNasbench201Table, type Dataset, type Quantity } from "./table.js";

const NAME = "nasbench201";

const OBJECTIVES: readonly MetricInfo[] = [
  { name: "validation", label: "validation accuracy (mean over the benchmark's trials, 200 epochs)" },
  { name: "test", label: "test accuracy (mean over the benchmark's trials, 200 epochs)" },
];

const METRICS: Readonly<Record<Quantity, string>> = {
  validation: "validation accuracy in percent (mean over trials, 200 epochs)",
  test: "test accuracy in percent (mean over trials, 200 epochs)",
  parameters: "parameters of the network, millions",
  "train-time": "the benchmark's simulated training time for 200 epochs, seconds",
};

/** A cell from its JSON form: {"arch": "|op~0|+..."} or {"index": i}, or the arch string itself. */
function parseCell(space: Nasbench201Space, input: unknown): Nb201Cell {
  if (typeof input === "string") return space.cellOf(parseArch(input));
  if (typeof input === "object" && input !== null && "arch" in input) return space.cellOf(parseArch(String(input.arch)));
  if (typeof input === "object" && input !== null && "index" in input) {
    const index = input.index;
    if (!Number.isInteger(index) || (index as number) < 0 || (index as number) >= CELL_COUNT) throw new InputError(`a NAS-Bench-201 index is an integer from 0 to ${CELL_COUNT - 1}, got ${JSON.stringify(index)}`);
    return { index: index as number };
  }
  throw new InputError('expected a NAS-Bench-201 cell as {"arch": "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|...|"} (or {"index": i})');
}

export const NASBENCH201: SpaceDefinition = {
  name: NAME,
  title: "NAS-Bench-201",
  description: "the NAS-Bench-201 topology space (15,625 cells: 6 edges x 5 operations) on CIFAR-10, CIFAR-100 and ImageNet16-120 (NATS-Bench tss, 200 epochs)",
  size: CELL_COUNT,
  datasets: DATASETS,
  objectives: OBJECTIVES,
  input: {
    flags: [{ flag: "--arch <STRING>", description: "NAS-Bench-201 cell: its string, |op~0|+|op~0|op~1|+|op~0|op~1|op~2|" }],
    fromFlags: ({ arch }) => (arch === undefined ? undefined : { arch }),
    jsonForm: '{"arch": "|nor_conv_3x3~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|avg_pool_3x3~1|skip_connect~2|"}',
  },
  nativeStream: "python",
  peers: {
    afterQueries: 150,
    figures: [],
    protocols: {},
    likeForLike: "",
    notes: ["Local search needs 127 trained architectures on average to find the CIFAR-100 optimum (White et al., \"Local search is state of the art for NAS benchmarks\")."],
  },

  async load(spec: ProblemSpec): Promise<Problem<Nb201Cell>> {
    const dataset = (spec.dataset ?? DATASETS[0]) as Dataset;
    if (!(DATASETS as readonly string[]).includes(dataset)) throw new InputError(`unknown dataset '${dataset}' for NAS-Bench-201 (known: ${DATASETS.join(", ")})`);
    const objective = spec.objective ?? OBJECTIVES[0]!.name;
    if (!OBJECTIVES.some((o) => o.name === objective)) throw new InputError(`unknown objective '${objective}' for NAS-Bench-201 (known: ${OBJECTIVES.map((o) => o.name).join(", ")})`);
    const path = resolve(spec.data ?? builtinTablePath());
    if (spec.data !== undefined && !existsSync(path)) throw new InputError(`--data names ${path}, which does not exist: give a NAS-Bench-201 table (prednas bench info --space nasbench201 says which it reads by default)`);
    let table;
    try {
      table = readNasbench201Table(path);
    } catch (error) {
      throw new InputError(`${path} cannot be read as a NAS-Bench-201 table (${(error as Error).message})`);
    }
    const values = table.values[dataset];
    const truths = Float64Array.from(values[objective as "validation" | "test"], (percent) => percent / 100);
    const tests = Float64Array.from(values.test, (percent) => percent / 100);
    const space = new Nasbench201Space(table.opCodes);
    const benchmark: Benchmark<Nb201Cell> = {
      source: { table: path, origin: spec.data === undefined ? "built-in" : "--data", dataset },
      metrics: QUANTITIES.map((name) => ({ name, label: METRICS[name] })),
      missing: [],
      values: (name) => {
        if (!(QUANTITIES as readonly string[]).includes(name)) throw new InputError(`NAS-Bench-201 has no metric '${name}' (metrics: ${QUANTITIES.join(", ")})`);
        return values[name as Quantity];
      },
      query: ({ index }) => ({
        ...(space.describe({ index }) as object),
        dataset,
        validationAccuracy: values.validation[index]!,
        testAccuracy: values.test[index]!,
        parametersMillions: values.parameters[index]!,
        trainTimeSeconds: values["train-time"][index]!,
      }),
    };
    return {
      spec: { space: NAME, dataset, objective, ...(spec.data === undefined ? {} : { data: path }) },
      space,
      objective,
      truths,
      truthLabel: `${objective === "test" ? "test" : "validation"} accuracy on ${dataset}`,
      oracle: { observe: ({ index }) => (objective === "test" ? { value: truths[index]!, truth: truths[index]! } : { value: truths[index]!, truth: truths[index]!, test: tests[index]! }) },
      benchmark,
      parse: (input) => parseCell(space, input),
    };
  },
};
