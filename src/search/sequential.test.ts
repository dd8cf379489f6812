/**
 * The runs whose records the sequential loop produced before searches became asynchronous
 * (fixtures/sequential-records.json: a digest of every query of each): with one evaluation in flight the
 * asynchronous loop must reproduce them bit for bit. They were computed with the sequential code of
 * commit 04fbdf1 (runSearch on each configuration, sha256 of JSON.stringify(record.queries)).
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadProblem } from "../spaces/registry.js";
import { resolveMethodOptions, runSearch } from "./methods.js";

interface SequentialConfig {
  readonly space: string;
  readonly dataset?: string;
  readonly method: string;
  readonly options: Record<string, unknown>;
  readonly seed: number;
  readonly budget: number;
}

const ridge = (space: string) => ({ predictor: "ridge", predictorOptions: { encoding: space === "nasbench101" ? "adjacency" : "onehot" } });

const CONFIGS: readonly SequentialConfig[] = [
  ...(["nasbench101", "nasbench201"] as const).flatMap((space): SequentialConfig[] => [
    { space, method: "random", options: {}, seed: 3, budget: 60 },
    { space, method: "evolution", options: { populationSize: 20, tournamentSize: 5 }, seed: 4, budget: 70 },
    { space, method: "local", options: {}, seed: 5, budget: 70 },
    { space, method: "local", options: { atLocalOptimum: "restart", fullNeighbourhood: true }, seed: 6, budget: 70 },
    ...["random", "mutation", "evolution", "annealing", "mixed", "neighbourhood", "full"].map(
      (pool, i): SequentialConfig => ({ space, method: "predictor", options: { ...ridge(space), pool, poolSize: 100 }, seed: 7 + i, budget: 30 }),
    ),
    { space, method: "predictor", options: { predictor: "mlp-ensemble", predictorOptions: { members: 2, epochs: 10 }, pool: "mutation", poolSize: 50, acquisition: "ucb", batchSize: 7, initialSamples: 5 }, seed: 20, budget: 33 },
    { space, method: "bananas", options: { predictorOptions: { members: 2, epochs: 10 } }, seed: 21, budget: 25 },
  ]),
  { space: "nasbench201", dataset: "cifar100", method: "predictor", options: { predictor: "gcn", predictorOptions: { epochs: 10 }, pool: "random", poolSize: 50 }, seed: 22, budget: 20 },
];

const expected = JSON.parse(readFileSync(new URL("./fixtures/sequential-records.json", import.meta.url), "utf8")) as { sha256: string; queries: number; first: string; last: string; poolShortfall: unknown }[];

describe("with one evaluation in flight, the asynchronous harness is the sequential loop", () => {
  it.each(CONFIGS.map((config, i) => [`${config.space}${config.dataset ? `/${config.dataset}` : ""} ${config.method} ${JSON.stringify(config.options)}`, i] as const))(
    "%s: the records of the sequential code, bit for bit",
    async (_name, i) => {
      const config = CONFIGS[i]!;
      const problem = await loadProblem({ space: config.space, ...(config.dataset ? { dataset: config.dataset } : {}) });
      const record = await runSearch(problem, { method: config.method, seed: config.seed, budget: config.budget, options: resolveMethodOptions(config.method, config.options) });
      const want = expected[i]!;
      expect({ queries: record.queries.length, first: record.queries[0]!.key, last: record.queries.at(-1)!.key, poolShortfall: record.poolShortfall ?? null }).toEqual({
        queries: want.queries,
        first: want.first,
        last: want.last,
        poolShortfall: want.poolShortfall,
      });
      expect(createHash("sha256").update(JSON.stringify(record.queries)).digest("hex")).toBe(want.sha256);
    },
  );
});
