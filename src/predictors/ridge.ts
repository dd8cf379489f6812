/**
 * Ridge regression on a flat encoding (the path encoding by default): a linear predictor solved
 * in closed form. It is the cheapest predictor there is (a fit is one d x d Cholesky solve, a
 * prediction one dot product per architecture) and the baseline any learned predictor has to
 * beat. Written by hand: no well-kept npm package solves a small dense system without bringing a
 * full linear-algebra stack, and the solve is twenty lines.
 */
import { z } from "zod";
import { flatEncoding, type FeatureEncoding, type SearchSpace } from "../spaces/types.js";
import { definePredictor, type Prediction, type Predictor } from "./types.js";
import { number, type Resolved } from "../options/schema.js";

export const RIDGE_OPTIONS = z.strictObject({
  encoding: z
    .string()
    .default("path")
    .meta({ description: "the flat encoding of the space to regress on", allowed: "the name of one of the space's flat encodings", default: "path" }),
  lambda: number({ min: 0, minExclusive: true, default: 1, description: "L2 penalty on the weights (targets are standardised, features are 0/1)" }),
});
export type RidgeOptions = Resolved<typeof RIDGE_OPTIONS>;

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
  private readonly encoding: FeatureEncoding<A>;

  constructor(
    space: SearchSpace<A>,
    private readonly options: RidgeOptions,
  ) {
    this.encoding = flatEncoding(space, options.encoding, "predictor ridge");
  }

  async fit(archs: readonly A[], accuracies: ArrayLike<number>): Promise<void> {
    const encoding = this.encoding;
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
    const encoding = this.encoding;
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

export const ridgePredictor = definePredictor({
  name: "ridge",
  description: "ridge regression on the path encoding (closed form; a fast baseline)",
  options: RIDGE_OPTIONS,
  create: (space, options) => new RidgePredictor(space, options),
});
