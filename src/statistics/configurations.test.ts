import { describe, expect, it } from "vitest";
import { handMadeRun } from "../test-support/studyRuns.js";
import { configurationKey, dropRepeatedRuns, groupByConfiguration } from "./configurations.js";

const predictor = (options: Record<string, unknown>, seed = 0, budget = 2) =>
  handMadeRun([0.5, 0.6], { method: "predictor", options: { predictor: "mlp-ensemble", acquisition: "mean", ...options }, seed, budget });

describe("configurations", () => {
  it("are keyed by method, every option (in any key order), budget and objective, not by seed", () => {
    const a = predictor({ pool: "random", poolSize: 100 }, 0);
    const b = handMadeRun([0.1], { method: "predictor", options: { poolSize: 100, pool: "random", acquisition: "mean", predictor: "mlp-ensemble" }, seed: 1, budget: 2 });
    expect(configurationKey(a)).toBe(configurationKey(b));
    expect(configurationKey(a)).not.toBe(configurationKey({ ...a, budget: 3 }));
    expect(configurationKey(a)).not.toBe(configurationKey({ ...a, objective: "test-repeat0" }));
    // The full pool's S is the space size whatever was asked: a job's default S and a run's recorded S name the same configuration.
    expect(configurationKey(predictor({ pool: "full", poolSize: 1000 }))).toBe(configurationKey(predictor({ pool: "full", poolSize: 423_624 })));
  });

  it("group runs by seed, read pool, S and predictor from the options, and sort baselines first, then pools by S", () => {
    const runs = [
      predictor({ pool: "mutation", poolSize: 1000, extra: { deep: 1 } }, 1),
      predictor({ pool: "random", poolSize: 1000 }),
      predictor({ pool: "mutation", poolSize: 1000, extra: { deep: 1 } }, 0),
      predictor({ pool: "full", poolSize: 423_624 }),
      predictor({ pool: "random", poolSize: 100 }),
      handMadeRun([0.5], { method: "local" }),
      handMadeRun([0.5], { method: "random" }),
    ];
    const configurations = groupByConfiguration(runs);
    expect(configurations.map((c) => c.label)).toEqual([
      "random search",
      "local search",
      "predictor mlp-ensemble / pool full",
      "predictor mlp-ensemble / pool random S=100",
      "predictor mlp-ensemble / pool random S=1,000",
      "predictor mlp-ensemble / pool mutation S=1,000",
    ]);
    const mutation = configurations[5]!;
    expect(mutation).toMatchObject({ method: "predictor", predictor: "mlp-ensemble", pool: "mutation", poolSize: 1000 });
    expect(mutation.runs.map((r) => r.seed)).toEqual([0, 1]);
    expect(configurations[0]!.pool).toBeUndefined();
  });

  it("tell apart configurations that share a label by the settings that differ", () => {
    const labels = groupByConfiguration([
      predictor({ pool: "random", poolSize: 100, acquisition: "ucb", poolOptions: { parents: 5 } }),
      predictor({ pool: "random", poolSize: 100, acquisition: "its", poolOptions: { parents: 5 } }),
      predictor({ pool: "random", poolSize: 100, acquisition: "its", poolOptions: { parents: 5 } }, 0, 4),
    ]).map((c) => c.label);
    expect(labels).toEqual([
      'predictor mlp-ensemble / pool random S=100 (acquisition="its", budget=2)',
      'predictor mlp-ensemble / pool random S=100 (acquisition="ucb", budget=2)',
      'predictor mlp-ensemble / pool random S=100 (acquisition="its", budget=4)',
    ]);
  });

  it("keep one run per configuration and seed", () => {
    const runs = [predictor({ pool: "full" }, 0), predictor({ pool: "full" }, 1), { ...predictor({ pool: "full" }, 0), queries: [] }];
    const { runs: kept, repeated } = dropRepeatedRuns(runs);
    expect(kept).toEqual(runs.slice(0, 2));
    expect(repeated).toEqual([runs[2]]);
  });
});
