/** Gradient checks for the predictors' hand-written backward passes. */
import { expect } from "vitest";
import type { FlatParameters } from "../predictors/parameters.js";

/** Central finite differences of `loss` (computed in float64) at `values`. */
export function numericGradient(values: Float64Array, loss: (values: Float64Array) => number, epsilon = 1e-6): Float64Array {
  return values.map((original, i) => {
    values[i] = original + epsilon;
    const up = loss(values);
    values[i] = original - epsilon;
    const down = loss(values);
    values[i] = original;
    return (up - down) / (2 * epsilon);
  });
}

/**
 * Each parameter's analytic gradient (float32, in `parameters.gradients`) must match the numeric
 * one to 0.1% of its norm: float32 rounding gives ~1e-6, a wrong term (even a 1% one) far more.
 */
export function expectGradientsClose(parameters: FlatParameters, numeric: Float64Array): void {
  for (const { name } of parameters.shapes) {
    const offset = parameters.view(name).byteOffset / 4;
    const analytic = parameters.gradient(name);
    const expected = numeric.subarray(offset, offset + analytic.length);
    const difference = expected.map((value, i) => value - analytic[i]!);
    expect(Math.hypot(...expected), name).toBeGreaterThan(1e-4);
    expect(Math.hypot(...difference) / Math.hypot(...expected), name).toBeLessThan(1e-3);
  }
}
