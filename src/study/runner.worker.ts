/** Worker thread of the study runner: runs whole search runs on its own copy of each problem. */
import { serveTasks } from "../util/workerPool.js";
import { loadProblem } from "../spaces/registry.js";
import type { Problem } from "../spaces/types.js";
import { runSearch } from "../search/methods.js";
import type { RunRecord } from "../search/record.js";
import type { WorkerJob } from "./runner.js";

const problems = new Map<string, Promise<Problem<unknown>>>();

serveTasks<WorkerJob, RunRecord>(async ({ job, data }) => {
  const spec = { space: job.space, ...(job.dataset === undefined ? {} : { dataset: job.dataset }), objective: job.objective, ...(data === undefined ? {} : { data }) };
  const id = JSON.stringify(spec);
  let problem = problems.get(id);
  if (problem === undefined) {
    problem = loadProblem(spec);
    problems.set(id, problem);
  }
  return runSearch(await problem, job);
});
