/**
 * Worker thread of the predictors: scores ranges of the whole space with a snapshot (scoring.ts),
 * and fits and predicts for a search loop (threaded.ts). It rebuilds the problem from its spec,
 * and keeps one predictor: the last snapshot restored, or the last one fitted here.
 */
import { loadSearchProblem } from "../spaces/registry.js";
import type { SearchProblem } from "../spaces/types.js";
import { serveTasks } from "../util/workerPool.js";
import { predictorFactory, restorePredictor } from "./registry.js";
import { scoreRange, type PredictorWorkerTask } from "./scoring.js";
import type { Prediction, Predictor, PredictorSnapshot } from "./types.js";

let problem: { key: string; loaded: Promise<SearchProblem<unknown>> } | undefined;
let predictor: { id: string; ready: Promise<Predictor<unknown>> } | undefined;

function problemOf(spec: PredictorWorkerTask["problem"]): Promise<SearchProblem<unknown>> {
  const key = JSON.stringify(spec);
  if (problem?.key !== key) problem = { key, loaded: loadSearchProblem(spec) };
  return problem.loaded;
}

/** Makes `ready` the predictor this worker holds, as `id`, and frees the one it held. */
async function hold(id: string, ready: Promise<Predictor<unknown>>): Promise<Predictor<unknown>> {
  const previous = predictor;
  predictor = { id, ready };
  if (previous !== undefined) (await previous.ready.catch(() => undefined))?.dispose();
  return ready;
}

async function handle(task: PredictorWorkerTask): Promise<Prediction | PredictorSnapshot> {
  const loaded = await problemOf(task.problem);
  const { space } = loaded;
  const parse = (input: unknown) => loaded.parse(input);
  if (task.kind === "fit") {
    const fitted = await hold(
      task.snapshotId,
      (async () => {
        const created = predictorFactory(task.predictor).create(space, task.options as never);
        await created.fit(task.archs.map(parse), task.values, { seed: task.seed });
        return created;
      })(),
    );
    return fitted.snapshot!();
  }
  const held = predictor?.id === task.snapshotId ? await predictor.ready : await hold(task.snapshotId, restorePredictor(space, task.snapshot));
  return task.kind === "predict" ? held.predict(task.archs.map(parse)) : scoreRange(held, space, task.start, task.end);
}

serveTasks<PredictorWorkerTask, Prediction | PredictorSnapshot>(handle, (result) => {
  if (!("mean" in result)) return [];
  return result.std === undefined ? [result.mean.buffer as ArrayBuffer] : [result.mean.buffer as ArrayBuffer, result.std.buffer as ArrayBuffer];
});
