/**
 * Ridge regression on a flat encoding (the path encoding by default): a linear predictor solved
 * in closed form. It is the cheapest predictor there is (a fit is one d x d Cholesky solve, a
 * prediction one dot product per architecture) and the baseline any learned predictor has to
 * beat. Written by hand: no well-kept npm package solves a small dense system without bringing a
 * full linear-algebra stack, and the solve is twenty lines.
 */
import { InputError } from "../util/errors.js";
import type { SearchSpace } from "../spaces/types.js";
import type { Prediction, Predictor, PredictorFactory } from "./types.js";

export interface RidgeOptions {
  /** Which flat encoding of the space to regress on. */
  readonly encoding?: string;
  /** L2 penalty on the weights (targets are standardised, features are 0/1). */
  readonly lambda?: number;
}

export const RIDGE_DEFAULTS: Required<RidgeOptions> = { encoding: "path", lambda: 1 };

/** Solves the symmetric positive definite system A x = b in place (A is d x d, row-major). */
export function solveSpd(a: Float64Array, b: Float64Array, d: number): Float64Array {
  for (let j = 0; j < d; j++) {
    let diagonal = a[j * d + j]!;
    for (let k = 0; k < j; k++) diagonal -= a[j * d + k]! ** 2;
    if (!(diagonal > 0)) throw new Error("the system is not positive definite");
    const root = Math.sqrt(diagonal);
    a[j * d + j] = root;
    for (let i = j + 1; i < d; i++) {
      let sum = a[i * d + j]!;
      for (let k = 0; k < j; k++) sum -= a[i * d + k]! * a[j * d + k]!;
      a[i * d + j] = sum / root;
    }
  }
  const x = Float64Array.from(b);
  for (let i = 0; i < d; i++) {
    for (let k = 0; k < i; k++) x[i]! -= a[i * d + k]! * x[k]!;
    x[i] = x[i]! / a[i * d + i]!;
  }
  for (let i = d - 1; i >= 0; i--) {
    for (let k = i + 1; k < d; k++) x[i]! -= a[k * d + i]! * x[k]!;
    x[i] = x[i]! / a[i * d + i]!;
  }
  return x;
}

class RidgePredictor<A> implements Predictor<A> {
  readonly name = "ridge";
  readonly hasUncertainty = false;
  private weights?: Float64Array;
  private offset = 0;
  private scale = 1;

  constructor(
    private readonly space: SearchSpace<A>,
    private readonly options: Required<RidgeOptions>,
  ) {
    if (space.encodings[options.encoding] === undefined) {
      throw new InputError(`ridge: the space has no '${options.encoding}' encoding (it has ${Object.keys(space.encodings).join(", ")})`);
    }
    if (!(options.lambda > 0)) throw new InputError(`ridge: lambda must be positive, got ${options.lambda}`);
  }

  async fit(archs: readonly A[], accuracies: ArrayLike<number>): Promise<void> {
    const encoding = this.space.encodings[this.options.encoding]!;
    const d = encoding.width + 1; // + intercept
    const n = archs.length;
    const x = new Float32Array(n * encoding.width);
    encoding.encode(archs, x);
    let mean = 0;
    for (let i = 0; i < n; i++) mean += accuracies[i]!;
    mean /= n;
    let variance = 0;
    for (let i = 0; i < n; i++) variance += (accuracies[i]! - mean) ** 2;
    this.offset = mean;
    this.scale = Math.sqrt(variance / n) || 1;
    const gram = new Float64Array(d * d);
    const rhs = new Float64Array(d);
    const row = new Float64Array(d);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < d - 1; j++) row[j] = x[i * encoding.width + j]!;
      row[d - 1] = 1;
      const y = (accuracies[i]! - this.offset) / this.scale;
      for (let p = 0; p < d; p++) {
        if (row[p] === 0) continue;
        rhs[p]! += row[p]! * y;
        for (let q = 0; q < d; q++) gram[p * d + q]! += row[p]! * row[q]!;
      }
    }
    for (let p = 0; p < d - 1; p++) gram[p * d + p]! += this.options.lambda;
    gram[(d - 1) * d + (d - 1)]! += 1e-9;
    this.weights = solveSpd(gram, rhs, d);
  }

  async predict(archs: readonly A[]): Promise<Prediction> {
    const weights = this.weights;
    if (weights === undefined) throw new Error("ridge: predict() before fit()");
    const encoding = this.space.encodings[this.options.encoding]!;
    const width = encoding.width;
    const mean = new Float64Array(archs.length);
    const chunk = 4096;
    const x = new Float32Array(chunk * width);
    for (let start = 0; start < archs.length; start += chunk) {
      const part = archs.slice(start, start + chunk);
      encoding.encode(part, x);
      for (let i = 0; i < part.length; i++) {
        let sum = weights[width]!;
        for (let j = 0; j < width; j++) if (x[i * width + j] !== 0) sum += weights[j]! * x[i * width + j]!;
        mean[start + i] = this.offset + this.scale * sum;
      }
    }
    return { mean };
  }

  dispose(): void {
    this.weights = undefined;
  }
}

export const ridgePredictor: PredictorFactory<RidgeOptions> = {
  name: "ridge",
  description: "ridge regression on the path encoding (closed form; a fast baseline)",
  defaults: RIDGE_DEFAULTS,
  create: (space, options = {}) => new RidgePredictor(space, { ...RIDGE_DEFAULTS, ...options }),
};
