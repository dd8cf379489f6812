/**
 * The built-in study presets. Sizes are set by measured run times on a 2-core machine (see
 * docs/study.md): `quick` answers C1 to C3 in direction in minutes; `paper` is the grid of
 * docs/study.md with R = 30 runs per configuration within about two hours; `gcn` retests C1 to C3
 * with the GCN predictor in about an hour (R = 12: its fits and full-space scorings are slower).
 */
import { InputError } from "../util/errors.js";
import { parsePreset, readPresetFile, type ConfigurationSpec, type StudyPreset } from "./preset.js";

const POOLS = ["random", "mutation", "evolution", "annealing", "mixed"] as const;

function poolGrid(predictor: string, sizes: readonly number[], pools: readonly string[] = POOLS): ConfigurationSpec[] {
  return [
    { method: "predictor", options: { predictor, pool: "full" } },
    ...pools.flatMap((pool) => sizes.map((poolSize): ConfigurationSpec => ({ method: "predictor", options: { predictor, pool, poolSize } }))),
  ];
}

const BASELINES: ConfigurationSpec[] = [
  { method: "random" },
  { method: "evolution" },
  { method: "local" },
  { method: "local", options: { atLocalOptimum: "restart" } },
  { method: "bananas" },
];

/** Raw presets, parsed (and so checked against the method, predictor and pool registries) on use. */
export const PRESETS: Readonly<Record<string, unknown>> = {
  quick: {
    name: "quick",
    description: "C1 to C3 in direction: MLP ensemble, full pool, random and mutation pools at S = 100 and 1,000, random search",
    objective: "test-mean",
    budget: 100,
    runs: 6,
    configurations: [{ method: "random" }, ...poolGrid("mlp-ensemble", [100, 1000], ["random", "mutation"])],
  },
  paper: {
    name: "paper",
    description: "docs/study.md's grid: every pool at S = 100, 1,000, 10,000 and the full pool with the MLP ensemble, and the baselines; R = 30",
    objective: "test-mean",
    budget: 150,
    runs: 30,
    configurations: [...BASELINES, ...poolGrid("mlp-ensemble", [100, 1000, 10000])],
  },
  gcn: {
    name: "gcn",
    description:
      "C1 to C3 retested with the GCN (which ranks the top of the space far better than the MLP ensemble): full pool, random pools at S = 100 and 1,000, annealing at S = 100, random search; R = 12",
    objective: "test-mean",
    budget: 150,
    runs: 12,
    configurations: [{ method: "random" }, ...poolGrid("gcn", [100, 1000], ["random"]), { method: "predictor", options: { predictor: "gcn", pool: "annealing", poolSize: 100 } }],
  },
};

/** A built-in preset by name, or a preset file. */
export function loadPreset(nameOrFile: string): StudyPreset {
  const builtIn = PRESETS[nameOrFile];
  if (builtIn !== undefined) return parsePreset(builtIn, nameOrFile);
  if (!nameOrFile.endsWith(".json")) {
    throw new InputError(`unknown preset '${nameOrFile}' (built in: ${Object.keys(PRESETS).join(", ")}; or give a .json file)`);
  }
  return readPresetFile(nameOrFile);
}
