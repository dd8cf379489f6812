/**
 * Running a search method against an evaluation backend: the scheduler (evaluations in flight,
 * budget, retries, journal), the seeded generator, the signals that stop it, and the end of the
 * run (waiting for what still runs). methods.ts turns what this returns into run records.
 */
import { seededRng } from "../util/rng.js";
import type { SearchSpace } from "../spaces/types.js";
import type { EvaluationBackend } from "../evaluation/backend.js";
import type { JournalEntry } from "../evaluation/journal.js";
import { Scheduler } from "../evaluation/scheduler.js";
import type { SearchContext } from "./context.js";
import type { LoopStatistics } from "./predictorSearch.js";
import { SETTING_DEFAULTS } from "../evaluation/settings.js";

/** How a run evaluates, beyond its method: the parts a run directory and the command line set. */
export interface EvaluationSettings {
  /** Evaluations in flight at most (default 1: the sequential loop). */
  readonly parallel?: number;
  /** Retries of an evaluation whose failure looks transient (evaluation/failures.ts; default 1). */
  readonly retries?: number;
  /** The search minimises the evaluations' values. */
  readonly minimize?: boolean;
  /** A run directory's journal: attempts to reuse, and where to append new ones. */
  readonly journal?: { readonly replay: ReadonlyMap<string, readonly JournalEntry[]>; append(entry: JournalEntry): void };
  /** When aborted: launch nothing more; what runs finishes. */
  readonly stop?: AbortSignal;
  /** When aborted: stop what runs as well. */
  readonly interrupt?: AbortSignal;
  /** Called whenever an attempt starts or finishes. */
  readonly onProgress?: (scheduler: Scheduler<unknown, unknown>) => void;
}

export interface MethodRun<A, M> {
  readonly scheduler: Scheduler<A, M>;
  readonly stats: LoopStatistics | undefined;
  readonly totalMs: number;
  /** Whether the run was stopped before its budget was spent. */
  readonly interrupted: boolean;
}

/**
 * Launches the architectures the user put first (Optuna's enqueue_trial), each once, while budget
 * remains. The method then reads their outcomes as those of any launch (they are the first
 * launches: its history, its population) and draws its own after them.
 */
async function launchEnqueued<A, M>(scheduler: Scheduler<A, M>, space: SearchSpace<A>, enqueued: readonly A[]): Promise<void> {
  for (const arch of enqueued) {
    if (scheduler.launchOf(space.key(arch)) !== undefined) continue;
    if (!(await scheduler.slot())) return;
    scheduler.launch(arch, { iteration: 0 });
  }
}

/** Runs `method` on `space` with `budget` attempts of `backend`, and waits for every evaluation to end. */
export async function runMethod<A, M>(
  method: (context: SearchContext<A>) => Promise<LoopStatistics | undefined>,
  space: SearchSpace<A>,
  run: {
    readonly seed: number;
    readonly budget: number;
    readonly backend: EvaluationBackend<A, M>;
    readonly settings: EvaluationSettings;
    /** Architectures to evaluate first, in order, before the method's own choices (counted in the budget). */
    readonly enqueued?: readonly A[];
  },
): Promise<MethodRun<A, M>> {
  const start = performance.now();
  const { settings } = run;
  const scheduler = new Scheduler<A, M>({
    backend: run.backend,
    budget: run.budget,
    parallel: settings.parallel ?? SETTING_DEFAULTS.parallel,
    retries: settings.retries ?? SETTING_DEFAULTS.retries,
    seed: run.seed,
    minimize: settings.minimize,
    keyOf: (arch) => space.key(arch),
    describe: (arch) => space.describe(arch),
    ...(settings.journal === undefined ? {} : { replay: settings.journal.replay, journal: settings.journal }),
    ...(settings.onProgress === undefined ? {} : { onChange: () => settings.onProgress!(scheduler as Scheduler<unknown, unknown>) }),
  });
  const stop = () => scheduler.stop();
  const interrupt = () => void scheduler.interrupt();
  if (settings.stop?.aborted) stop();
  settings.stop?.addEventListener("abort", stop);
  settings.interrupt?.addEventListener("abort", interrupt);
  try {
    const context: SearchContext<A> = { space, evaluations: scheduler as Scheduler<A, unknown>, rng: seededRng(run.seed) };
    let stats: LoopStatistics | undefined;
    try {
      await launchEnqueued(scheduler, space, run.enqueued ?? []);
      stats = await method(context);
    } finally {
      // Whatever ended the method (the budget, a stop, an error), nothing more starts, and what runs ends.
      scheduler.stop();
      await scheduler.drain();
    }
    return { scheduler, stats, totalMs: performance.now() - start, interrupted: settings.stop?.aborted === true || settings.interrupt?.aborted === true };
  } finally {
    settings.stop?.removeEventListener("abort", stop);
    settings.interrupt?.removeEventListener("abort", interrupt);
  }
}
