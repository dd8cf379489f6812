/** Worker thread of the whole-space scoring (scoring.ts): rebuilds the problem, restores snapshots, scores ranges. */
import { loadProblem } from "../spaces/registry.js";
import type { Problem } from "../spaces/types.js";
import { serveTasks } from "../util/workerPool.js";
import { restorePredictor } from "./registry.js";
import { scoreRange, type ScoringTask } from "./scoring.js";
import type { Prediction, Predictor } from "./types.js";

let problem: { key: string; loaded: Promise<Problem<unknown>> } | undefined;
let predictor: { id: string; restored: Promise<Predictor<unknown>> } | undefined;

async function score(task: ScoringTask): Promise<Prediction> {
  const key = JSON.stringify(task.problem);
  if (problem?.key !== key) problem = { key, loaded: loadProblem(task.problem) };
  const { space } = await problem.loaded;
  if (predictor?.id !== task.snapshotId) {
    const previous = predictor;
    predictor = { id: task.snapshotId, restored: restorePredictor(space, task.snapshot) };
    (await previous?.restored)?.dispose();
  }
  return scoreRange(await predictor.restored, space, task.start, task.end);
}

serveTasks<ScoringTask, Prediction>(score, ({ mean, std }) => (std === undefined ? [mean.buffer as ArrayBuffer] : [mean.buffer as ArrayBuffer, std.buffer as ArrayBuffer]));
