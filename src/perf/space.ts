/** Benchmarks of the cell space: hash throughput and enumeration of the whole space. */
import { availableParallelism } from "node:os";
import { hashModule } from "../spaces/cell/hash.js";
import { enumerateSpace } from "../spaces/nasbench101/enumerate.js";
import { Nasbench101Benchmark } from "../spaces/nasbench101/table/benchmark.js";
import { timeMedian, type Section } from "./harness.js";

export const spaceSection: Section = {
  name: "space",
  description: "NAS-Bench-101 hashing (one core) and enumeration of the whole space (all cores)",
  async run() {
    const { catalogue } = await Nasbench101Benchmark.load();
    // 100,000 cells spread over the space, in the form the hash takes (pruned matrix + labels).
    const cells = Array.from({ length: 100_000 }, (_, i) => {
      const index = Math.floor((i * catalogue.size) / 100_000);
      return { matrix: catalogue.matrix(index), n: catalogue.vertexCount(index), labels: catalogue.labels(index) };
    });
    let sink = 0;
    const hashMs = await timeMedian(5, () => {
      for (const cell of cells) sink += hashModule(cell.matrix, cell.n, cell.labels).length;
    });
    if (sink === 0) throw new Error("no hash was computed");
    const enumerateMs = await timeMedian(3, () => enumerateSpace());
    return [
      { name: "hash throughput (one core, to 32-hex string)", value: (cells.length / hashMs) * 1000, unit: "cells/s", target: { value: 50_000, better: "higher" } },
      {
        name: `enumerate the whole space (${availableParallelism()} worker threads)`,
        value: enumerateMs / 1000,
        unit: "s",
        target: { value: 60, better: "lower" },
      },
    ];
  },
};
