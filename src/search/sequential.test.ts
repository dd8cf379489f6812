import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { loadProblem } from "../spaces/registry.js";
import { CONFIGS } from "./fixtures/sequentialConfigs.js";
import { resolveMethodOptions, runSearch } from "./methods.js";

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
