/** Benchmarks of the tabular benchmark: first load, cached load to the first answer, memory, query throughput. */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { MersenneTwister } from "../util/rng.js";
import { Nasbench101Benchmark } from "../spaces/nasbench101/table/benchmark.js";
import { randomSpec } from "../spaces/cell/sample.js";
import { median, timeMedian, type Section } from "./harness.js";
import { NASBENCH101_RULES } from "../spaces/nasbench101/ops.js";

const PROBE = fileURLToPath(new URL("./loadProbe.js", import.meta.url));

/** The shared CSV beside the project, when there is one: the first-load figure to compare the built-in table with. */
const SHARED_CSV = fileURLToPath(new URL("../../../shared/data/nasbench101/nasbench101_108_test.csv.gz", import.meta.url));

function probe(cacheDir: string, data?: string): { msToFirstAnswer: number; rssBytes: number; cache: string } {
  const env = { ...process.env, PREDNAS_CACHE_DIR: cacheDir, ...(data === undefined ? {} : { PREDNAS_DATA: data }) };
  if (data === undefined) delete env.PREDNAS_DATA;
  const child = spawnSync(process.execPath, [PROBE], { env, encoding: "utf8" });
  if (child.status !== 0) throw new Error(`the load probe failed: ${child.stderr}`);
  return JSON.parse(child.stdout) as { msToFirstAnswer: number; rssBytes: number; cache: string };
}

export const benchmarkSection: Section = {
  name: "benchmark",
  description: "NAS-Bench-101 table: first load (built-in table, and the shared CSV when present), cached load, memory, query throughput",
  async run() {
    const firstLoad = (data?: string): number => {
      const times: number[] = [];
      for (let i = 0; i < 3; i++) {
        const cacheDir = mkdtempSync(join(tmpdir(), "prednas-bench-cache-"));
        try {
          const first = probe(cacheDir, data);
          if (first.cache === "hit") throw new Error("a fresh cache directory was not empty");
          times.push(first.msToFirstAnswer);
        } finally {
          rmSync(cacheDir, { recursive: true, force: true });
        }
      }
      return median(times) / 1000;
    };
    const builtIn = firstLoad();
    const csv = existsSync(SHARED_CSV) ? firstLoad(SHARED_CSV) : undefined;
    const cacheDir = mkdtempSync(join(tmpdir(), "prednas-bench-cache-"));
    const cached: { msToFirstAnswer: number; rssBytes: number }[] = [];
    try {
      probe(cacheDir);
      for (let i = 0; i < 7; i++) cached.push(probe(cacheDir));
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }

    // Queries as a user sends them: unpruned 7-vertex specs from the official generator, as nested arrays.
    const benchmark = await Nasbench101Benchmark.load();
    const rng = MersenneTwister.numpy(0);
    const specs = Array.from({ length: 20_000 }, () => randomSpec(rng, NASBENCH101_RULES).original());
    let found = 0;
    const queryMs = await timeMedian(5, () => {
      for (const spec of specs) found += benchmark.query(spec).index >= 0 ? 1 : 0;
    });
    return [
      {
        name: "first load of the built-in table to the first answer (process, no cache)",
        value: builtIn,
        unit: "s",
        target: { value: csv ?? 5, better: "lower" },
        note: csv === undefined ? "(target 5 s: no shared CSV here to compare with)" : "(target: the shared CSV's first load, same run)",
      },
      ...(csv === undefined ? [] : [{ name: "first load of the shared CSV to the first answer (process, no cache)", value: csv, unit: "s" }]),
      {
        name: "cached load to the first answer (process, incl. Node start)",
        value: median(cached.map((c) => c.msToFirstAnswer)),
        unit: "ms",
        target: { value: 300, better: "lower" },
      },
      {
        name: "resident memory of a loaded benchmark",
        value: median(cached.map((c) => c.rssBytes)) / 2 ** 20,
        unit: "MiB",
        target: { value: 200, better: "lower" },
      },
      {
        name: "query throughput (unpruned spec -> answer)",
        value: (specs.length / queryMs) * 1000,
        unit: "queries/s",
        target: { value: 50_000, better: "higher" },
        note: found === 0 ? "(no query answered)" : undefined,
      },
    ];
  },
};
