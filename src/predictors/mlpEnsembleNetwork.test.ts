import { beforeAll, describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { expectGradientsClose, numericGradient } from "../test-support/gradientCheck.js";
import { EnsembleLayout, EnsembleTrainer } from "./mlpEnsembleNetwork.js";
import type { FlatParameters } from "./parameters.js";
import { initTf } from "./tf.js";

/** The ensemble's loss from its definition, in float64: the sum over members of the mean absolute error. */
function referenceLoss(layout: EnsembleLayout, parameters: FlatParameters, values: Float64Array, x: Float32Array, y: Float32Array, rows: Int32Array): number {
  const at = (name: string) => parameters.view(name).byteOffset / 4;
  let loss = 0;
  for (const layers of layout.memberLayers()) {
    for (const row of rows) {
      let h = Array.from(x.subarray(row * layout.inputWidth, (row + 1) * layout.inputWidth));
      layers.forEach(({ weights, bias }, l) => {
        const fanOut = layout.fanOut(l);
        h = Array.from({ length: fanOut }, (_, j) => {
          const z = h.reduce((sum, hi, i) => sum + hi * values[at(weights) + i * fanOut + j]!, values[at(bias) + j]!);
          return l < layers.length - 1 ? Math.max(0, z) : z;
        });
      });
      loss += Math.abs(h[0]! - y[row]!) / rows.length;
    }
  }
  return loss;
}

describe("MLP ensemble network", () => {
  beforeAll(initTf);

  it("backward pass matches finite differences of the float64 definition, members kept apart", () => {
    const layout = new EnsembleLayout(7, 4, 3, 3);
    const rng = seededRng(5);
    const parameters = layout.initialParameters(rng);
    // Non-zero biases, so that their gradients and the block layout of the biases are exercised.
    parameters.values.forEach((value, i) => (parameters.values[i] = value === 0 ? rng.random() - 0.5 : value));
    const x = Float32Array.from({ length: 9 * 7 }, () => (rng.random() < 0.4 ? 1 : 0));
    const y = Float32Array.from({ length: 9 }, () => 5 + rng.random());
    const rows = Int32Array.from([4, 0, 8, 2, 6]);
    new EnsembleTrainer(layout, x, y).gradient(parameters, rows);
    const numeric = numericGradient(Float64Array.from(parameters.values), (values) => referenceLoss(layout, parameters, values, x, y, rows));
    expectGradientsClose(parameters, numeric);
    expect(parameters.gradients.every(Number.isFinite)).toBe(true);
  });
});
