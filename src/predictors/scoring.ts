/**
 * Scoring a whole enumerable space with a fitted predictor (423,624 NAS-Bench-101 cells), on
 * worker threads or in the calling thread, in chunks so that memory stays bounded.
 *
 * Each worker rebuilds the problem from its spec with the registry's `loadProblem` (cached columns: fast), receives the
 * predictor's snapshot, restores it once per snapshot and scores index ranges; the results come
 * back as Float64Arrays, moved rather than copied. Workers and the calling thread score the same
 * ranges with the same code, so both give the same numbers, bit for bit.
 */
import { randomUUID } from "node:crypto";
import type { ProblemSpec, SearchSpace } from "../spaces/types.js";
import { InputError } from "../util/errors.js";
import { defaultWorkerCount, siblingModule, WorkerPool } from "../util/workerPool.js";
import type { FitTask, PredictTask } from "./threaded.js";
import type { Prediction, Predictor, PredictorSnapshot } from "./types.js";

/** What the predictor worker threads (scoring.worker.ts) do: score the space, or fit and predict for a loop (threaded.ts). */
export type PredictorWorkerTask = ScoringTask | FitTask | PredictTask;
export type PredictorWorkers = WorkerPool<PredictorWorkerTask, Prediction | PredictorSnapshot>;

/** Worker threads running scoring.worker.ts. */
export function predictorWorkers(size: number): PredictorWorkers {
  return new WorkerPool(siblingModule(import.meta.url, "scoring.worker"), size);
}

/** Where the architectures come from: a problem that worker threads can rebuild. */
export interface ScoringSource<A> {
  /** The problem, as the registry loads it (spaces/registry.ts). */
  readonly problem: ProblemSpec;
  /** The problem's space, as loaded in this thread. */
  readonly space: SearchSpace<A>;
}

export interface ScoringOptions {
  /** Worker threads; 0 scores in the calling thread. Default: one per core. */
  readonly workers?: number;
  /** Architectures per task (and per `predict` call): bounds memory, balances the workers. */
  readonly chunk?: number;
  /** Score only enumeration indices [start, end) (default: all); the result is indexed from start. */
  readonly range?: readonly [number, number];
  readonly onProgress?: (scored: number, total: number) => void;
}

export const DEFAULT_SCORING_CHUNK = 16_384;

/** A task of the scoring worker: score architectures [start, end) of the enumeration. */
export interface ScoringTask {
  readonly kind: "score";
  readonly problem: ProblemSpec;
  /** Identifies the snapshot, so that a worker restores it once. */
  readonly snapshotId: string;
  readonly snapshot: PredictorSnapshot;
  readonly start: number;
  readonly end: number;
}

/**
 * Scores every architecture of the space: `mean` (and `std`) by enumeration index. A predictor
 * without `snapshot` is scored in the calling thread whatever `workers` says.
 */
export async function scoreAll<A>(predictor: Predictor<A>, source: ScoringSource<A>, options: ScoringOptions = {}): Promise<Prediction> {
  const workers = options.workers ?? defaultWorkerCount();
  if (!Number.isInteger(workers) || workers < 0) throw new InputError(`workers must be a non-negative integer, got ${workers}`);
  if (workers === 0 || predictor.snapshot === undefined) return scoreInThread(predictor, source.space, options);
  const scorer = new WorkerScorer<A>(source, workers);
  try {
    return await scorer.scoreAll(predictor, options);
  } finally {
    await scorer.close();
  }
}

/** Worker threads kept alive across scorings (a search scores the space at every iteration). */
export class WorkerScorer<A> {
  private readonly pool: PredictorWorkers;

  constructor(
    private readonly source: ScoringSource<A>,
    workers = defaultWorkerCount(),
  ) {
    this.pool = predictorWorkers(workers);
  }

  async scoreAll(predictor: Predictor<A>, options: Omit<ScoringOptions, "workers"> = {}): Promise<Prediction> {
    if (predictor.snapshot === undefined) throw new Error(`predictor '${predictor.name}' has no snapshot to send to worker threads`);
    const snapshot = predictor.snapshot();
    const snapshotId = randomUUID();
    const { problem } = this.source;
    const [first, last] = rangeOf(this.source.space, options.range);
    const result = emptyPrediction(last - first, predictor.hasUncertainty);
    let scored = 0;
    await Promise.all(
      ranges(first, last, options.chunk).map(async ([start, end]) => {
        const part = (await this.pool.run({ kind: "score", problem, snapshotId, snapshot, start, end })) as Prediction;
        copyInto(result, part, start - first);
        scored += end - start;
        options.onProgress?.(scored, last - first);
      }),
    );
    return result;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** Scores architectures [start, end) of the enumeration in this thread. */
export async function scoreRange<A>(predictor: Predictor<A>, space: SearchSpace<A>, start: number, end: number): Promise<Prediction> {
  const enumeration = enumerationOf(space);
  return predictor.predict(Array.from({ length: end - start }, (_, i) => enumeration.at(start + i)));
}

async function scoreInThread<A>(predictor: Predictor<A>, space: SearchSpace<A>, options: ScoringOptions): Promise<Prediction> {
  const [first, last] = rangeOf(space, options.range);
  const result = emptyPrediction(last - first, predictor.hasUncertainty);
  for (const [start, end] of ranges(first, last, options.chunk)) {
    copyInto(result, await scoreRange(predictor, space, start, end), start - first);
    options.onProgress?.(end - first, last - first);
  }
  return result;
}

function enumerationOf<A>(space: SearchSpace<A>): NonNullable<SearchSpace<A>["enumeration"]> {
  if (space.enumeration === undefined) throw new InputError(`the space ${space.name} cannot be listed, so it cannot be scored whole`);
  return space.enumeration;
}

function rangeOf<A>(space: SearchSpace<A>, range?: readonly [number, number]): readonly [number, number] {
  const size = enumerationOf(space).size;
  if (range === undefined) return [0, size];
  const [start, end] = range;
  if (!Number.isInteger(start) || !Number.isInteger(end) || start < 0 || end > size || start > end) {
    throw new InputError(`the scoring range must lie within [0, ${size}], got [${start}, ${end})`);
  }
  return range;
}

/** [start, end) cut into consecutive chunks (aligned to `first`, so that every path cuts alike). */
function ranges(first: number, last: number, chunk = DEFAULT_SCORING_CHUNK): [number, number][] {
  if (!Number.isInteger(chunk) || chunk < 1) throw new InputError(`the scoring chunk must be a positive integer, got ${chunk}`);
  return Array.from({ length: Math.ceil((last - first) / chunk) }, (_, i) => [first + i * chunk, Math.min(last, first + (i + 1) * chunk)]);
}

function emptyPrediction(size: number, withStd: boolean): { mean: Float64Array; std?: Float64Array } {
  return withStd ? { mean: new Float64Array(size), std: new Float64Array(size) } : { mean: new Float64Array(size) };
}

function copyInto(result: { mean: Float64Array; std?: Float64Array }, part: Prediction, start: number): void {
  result.mean.set(part.mean, start);
  if (result.std !== undefined && part.std !== undefined) result.std.set(part.std, start);
}
