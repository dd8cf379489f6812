/**
 * A predictor whose fit and predictions run on a worker thread (scoring.worker.ts), so that the
 * thread that drives a search stays free while it trains: a search evaluated for real must hear
 * a signal, and journal an evaluation that finishes, at once, not after a fit of seconds or
 * minutes. Searches on a table (no evaluation to wait for) keep fitting in their own thread.
 *
 * The worker rebuilds the problem from its spec (as the whole-space scoring does) and receives
 * the architectures in their JSON form (`describe`), read back with the problem's `parse`. It
 * fits a predictor created from the same registry name and options with the same seed, keeps it
 * for the predictions that follow, and returns its snapshot: `snapshot()` then hands it to the
 * whole-space scoring as the predictor's own would. The same seed gives the same numbers, bit for
 * bit, run after run; they are those of a fit in this thread wherever `parse(describe(arch))` is
 * the architecture itself (a space file's; a NAS-Bench-101 cell comes back in canonical form).
 */
import { randomUUID } from "node:crypto";
import type { ProblemSpec, SearchSpace } from "../spaces/types.js";
import { predictorWorkers, type PredictorWorkers } from "./scoring.js";
import type { FitOptions, Prediction, Predictor, PredictorSnapshot } from "./types.js";

/** Fit a predictor from scratch on architectures (JSON forms) and their values; keep it as snapshot `snapshotId`. */
export interface FitTask {
  readonly kind: "fit";
  readonly problem: ProblemSpec;
  readonly predictor: string;
  readonly options: Readonly<Record<string, unknown>>;
  readonly archs: readonly unknown[];
  readonly values: Float64Array;
  readonly seed: number;
  readonly snapshotId: string;
}

/** Predict architectures (JSON forms) with snapshot `snapshotId` (restored from `snapshot` when the worker does not hold it). */
export interface PredictTask {
  readonly kind: "predict";
  readonly problem: ProblemSpec;
  readonly snapshotId: string;
  readonly snapshot: PredictorSnapshot;
  readonly archs: readonly unknown[];
}

export class ThreadedPredictor<A> implements Predictor<A> {
  readonly name: string;
  readonly hasUncertainty: boolean;
  private readonly worker: PredictorWorkers = predictorWorkers(1);
  private fitted: { readonly id: string; readonly snapshot: PredictorSnapshot } | undefined;

  /** `local` is the predictor as created in this thread (name, options, uncertainty); it is disposed here. */
  constructor(
    local: Predictor<A>,
    private readonly options: Readonly<Record<string, unknown>>,
    private readonly space: SearchSpace<A>,
    private readonly problem: ProblemSpec,
  ) {
    this.name = local.name;
    this.hasUncertainty = local.hasUncertainty;
    local.dispose();
  }

  async fit(archs: readonly A[], accuracies: ArrayLike<number>, { seed }: FitOptions): Promise<void> {
    const snapshotId = randomUUID();
    this.fitted = undefined;
    const task: FitTask = { kind: "fit", problem: this.problem, predictor: this.name, options: this.options, archs: archs.map((arch) => this.space.describe(arch)), values: Float64Array.from(accuracies), seed, snapshotId };
    const snapshot = (await this.worker.run(task)) as PredictorSnapshot;
    this.fitted = { id: snapshotId, snapshot };
  }

  async predict(archs: readonly A[]): Promise<Prediction> {
    const fitted = this.fitted;
    if (fitted === undefined) throw new Error(`${this.name}: predict() before fit()`);
    const task: PredictTask = { kind: "predict", problem: this.problem, snapshotId: fitted.id, snapshot: fitted.snapshot, archs: archs.map((arch) => this.space.describe(arch)) };
    return (await this.worker.run(task)) as Prediction;
  }

  snapshot(): PredictorSnapshot {
    if (this.fitted === undefined) throw new Error(`${this.name}: snapshot() before fit()`);
    return this.fitted.snapshot;
  }

  /** Stops the worker thread; a fit or prediction still running there is abandoned (its promise rejects). */
  dispose(): void {
    void this.worker.close();
  }
}
