/** Shared data for tests: the real NAS-Bench-101 table, loaded once per test file. */
import { fileURLToPath } from "node:url";
import { Nasbench101Benchmark } from "../benchmark/nasbench101.js";
import { defaultDataDirectory } from "../benchmark/locate.js";

export const SHARED_DATA = defaultDataDirectory();
export const FIXTURES = `${SHARED_DATA}/fixtures`;
export const REPO_ROOT = fileURLToPath(new URL("../..", import.meta.url));

let loading: Promise<Nasbench101Benchmark> | undefined;

/** The shared table (the tests need it: CI has ../shared/data; a clean clone elsewhere must set PREDNAS_DATA). */
export function sharedBenchmark(): Promise<Nasbench101Benchmark> {
  loading ??= Nasbench101Benchmark.load();
  return loading;
}
