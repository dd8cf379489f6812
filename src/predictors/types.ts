/**
 * The predictor interface: learn an architecture's accuracy from its structure, then score many
 * architectures cheaply. Every predictor is one module implementing `Predictor` and one entry in
 * registry.ts; the search code never looks inside.
 */
import type { OptionSchema, Resolved } from "../options/schema.js";
import type { SearchSpace } from "../spaces/types.js";

export interface Prediction {
  /** Predicted accuracy (same scale as the training targets), one per architecture. */
  readonly mean: Float64Array;
  /** Predicted standard deviation, for predictors that have one (ensembles). */
  readonly std?: Float64Array;
}

export interface FitOptions {
  /** Seeds every random choice of the fit (initial weights, batch order, dropout). */
  readonly seed: number;
}

export interface Predictor<A> {
  readonly name: string;
  /** Whether `predict` returns a standard deviation. */
  readonly hasUncertainty: boolean;
  /**
   * Trains from scratch on (architecture, accuracy) pairs. Same seed and data: same predictions,
   * bit for bit.
   */
  fit(archs: readonly A[], accuracies: ArrayLike<number>, options: FitOptions): Promise<void>;
  /** Scores architectures; call only after `fit`. */
  predict(archs: readonly A[]): Promise<Prediction>;
  /** Frees what the predictor holds (tensors); it cannot be used afterwards. */
  dispose(): void;
  /**
   * What the fitted predictor learned, to be scored elsewhere (worker threads). Optional: the
   * scoring of a predictor without it stays in the calling thread.
   */
  snapshot?(): PredictorSnapshot;
  /** Takes over a snapshot's learned state: the predictor then predicts as the snapshot's, bit for bit. */
  restore?(snapshot: PredictorSnapshot): Promise<void>;
}

/**
 * A fitted predictor as plain data that crosses to a worker thread (structured clone): recreate
 * the predictor from `predictor` and `options` in the registry, then `restore` it.
 */
export interface PredictorSnapshot {
  /** The predictor's registry name. */
  readonly predictor: string;
  /** Its options, defaults included. */
  readonly options: Readonly<Record<string, unknown>>;
  readonly state: {
    /** The learned parameters, flat. */
    readonly parameters: Float32Array | Float64Array;
    /** Predicted accuracy = offset + scale x model output. */
    readonly offset: number;
    readonly scale: number;
  };
}

export interface PredictorFactory<S extends OptionSchema = OptionSchema> {
  readonly name: string;
  readonly description: string;
  /** The predictor's options: their types, defaults, allowed values and help (options/schema.ts). */
  readonly options: S;
  /** A predictor with resolved options (every default filled in, validated). */
  create<A>(space: SearchSpace<A>, options: Resolved<S>): Predictor<A>;
}

/** A predictor factory with its option type checked where it is declared. */
export function definePredictor<S extends OptionSchema>(factory: PredictorFactory<S>): PredictorFactory<S> {
  return factory;
}
