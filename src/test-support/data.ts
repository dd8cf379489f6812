/** Data for tests: the built-in NAS-Bench-101 table (loaded once per test file), fixtures, the shared data. */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Nasbench101Benchmark } from "../spaces/nasbench101/table/benchmark.js";

export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** Fixtures copied into the repository (see their README). */
export const FIXTURES = fileURLToPath(new URL("../spaces/nasbench101/fixtures", import.meta.url));
/**
 * The shared data beside the repository (CI has it, read-only); tests that compare the shipped
 * tables with it run only where it is, and say so where it is not.
 */
export const SHARED_DATA = fileURLToPath(new URL("../../../shared/data", import.meta.url));
export const SHARED_PRESENT = existsSync(SHARED_DATA);

let loading: Promise<Nasbench101Benchmark> | undefined;

/** The table built into prednas. */
export function builtinBenchmark(): Promise<Nasbench101Benchmark> {
  loading ??= Nasbench101Benchmark.load();
  return loading;
}
