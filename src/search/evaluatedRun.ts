/**
 * One way to run an evaluated search in a run directory, for whoever asks (`prednas search`, a
 * study of a space file, the library): the run's identity, the directory opened and locked
 * (evaluation/runDirectory.ts), the backend its settings name (the user's command, or prednas
 * workers through a queue), the search, its record written, the queue's run finished when the
 * run is, and everything closed whatever happens.
 */
import { commandBackend } from "../evaluation/commandBackend.js";
import { openQueueBackend, type QueueBackend } from "../queue/controller.js";
import { RunDirectory, runIdentity } from "../evaluation/runDirectory.js";
import type { Scheduler } from "../evaluation/scheduler.js";
import { parseQueueUrl } from "../queue/connection.js";
import type { SearchProblem } from "../spaces/types.js";
import { attemptSettings, evaluatorIdentity, type EvaluationSettings } from "../evaluation/settings.js";
import type { EvaluationBackend } from "../evaluation/backend.js";
import { runEvaluatedSearch, type SearchRequest } from "./methods.js";
import type { EvaluationRunRecord } from "./record.js";

export interface RunInDirectoryRequest extends Omit<SearchRequest, "parallel" | "minimize" | "retries" | "journal"> {
  readonly settings: EvaluationSettings;
  readonly runDir: string;
  /** Hears what the user should know (attempts stopped, Redis's state). */
  readonly onWarning: (message: string) => void;
  readonly onProgress?: (scheduler: Scheduler<unknown, unknown>) => void;
}

/**
 * Runs the search of `request` evaluated as its settings say, in its run directory (resuming what
 * the directory holds). Resolves with the record, or undefined when `stop` ended the wait for a
 * queue's Redis before the run began.
 */
export async function runInDirectory<A>(problem: SearchProblem<A>, request: RunInDirectoryRequest): Promise<EvaluationRunRecord | undefined> {
  const { settings, onWarning } = request;
  const graceMs = settings.killGrace * 1000;
  const identity = runIdentity({
    method: request.method,
    options: request.options,
    seed: request.seed,
    budget: request.budget,
    parallel: settings.parallel,
    problem: problem as SearchProblem<unknown>,
    evaluator: evaluatorIdentity(settings),
    ...(request.enqueue === undefined ? {} : { enqueue: request.enqueue }),
  });
  const runDir = await RunDirectory.open(request.runDir, identity, { graceMs, onWarning });
  let queueBackend: QueueBackend | undefined;
  try {
    if (settings.queue !== undefined) {
      queueBackend = await openQueueBackend({ location: parseQueueUrl(settings.queue), runDir: runDir.dir, onStatus: onWarning, ...(request.stop === undefined ? {} : { signal: request.stop }) }).catch((error: unknown) => {
        if (request.stop?.aborted) return undefined;
        throw error;
      });
      if (queueBackend === undefined) return undefined;
    }
    const { settings: _settings, runDir: _runDir, onWarning: _onWarning, ...search } = request;
    const backend: EvaluationBackend<unknown, Record<string, unknown>> =
      queueBackend ??
      commandBackend({
        command: settings.evaluate!,
        runDir: runDir.dir,
        logDir: runDir.logDir,
        runningDir: runDir.runningDir,
        graceMs,
        ...(settings.evaluationTimeout === undefined ? {} : { timeoutMs: settings.evaluationTimeout * 1000 }),
      });
    // The settings every attempt carries (to a worker, in its job).
    const carried = attemptSettings(settings);
    const record = await runEvaluatedSearch(problem, {
      ...search,
      parallel: settings.parallel,
      minimize: settings.minimize,
      retries: settings.retries,
      ...(settings.evaluationTimeout === undefined ? {} : { evaluationTimeout: settings.evaluationTimeout }),
      evaluator: queueBackend?.description ?? settings.evaluate!,
      evaluate: { run: (job) => backend.run({ ...job, settings: carried }), interrupt: () => backend.interrupt() },
      runDir: runDir.dir,
      journal: { replay: runDir.replay, append: (entry) => runDir.append(entry) },
    });
    runDir.writeRecord(record);
    if (queueBackend !== undefined && !record.interrupted) await queueBackend.finish();
    return record;
  } finally {
    await queueBackend?.close();
    await runDir.close();
  }
}
