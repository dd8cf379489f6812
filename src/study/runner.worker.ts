/** Worker thread of the study runner: runs whole search runs on its own copy of the problem. */
import { serveTasks } from "../util/workerPool.js";
import { loadProblem, type Nasbench101Problem } from "../spaces/registry.js";
import { runSearch } from "../search/methods.js";
import type { RunRecord } from "../search/record.js";
import type { WorkerJob } from "./runner.js";

const problems = new Map<string, Promise<Nasbench101Problem>>();

serveTasks<WorkerJob, RunRecord>(async ({ job, data }) => {
  const id = `${data ?? ""}|${job.objective}`;
  let problem = problems.get(id);
  if (problem === undefined) {
    problem = loadProblem("nasbench101", { data, objective: job.objective });
    problems.set(id, problem);
  }
  return runSearch(await problem, job);
});
