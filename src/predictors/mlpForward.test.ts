import { beforeAll, describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { EnsembleLayout } from "./mlpEnsembleNetwork.js";
import { MlpForward } from "./mlpForward.js";
import { initTf, tf } from "./tf.js";

/** Each member through tfjs's fused matMuls (the path prediction took before the kernel): outputs rows x members. */
function tfjsOutputs(layout: EnsembleLayout, view: (name: string) => Float32Array, x: Float32Array, rows: number): Float32Array {
  const out = new Float32Array(rows * layout.members);
  layout.memberLayers().forEach((layers, k) => {
    const result = tf.tidy(() => {
      let h: tf.Tensor = tf.tensor2d(x, [rows, layout.inputWidth]);
      layers.forEach(({ weights, bias }, l) => {
        const w = tf.tensor2d(view(weights), [layout.fanIn(l), layout.fanOut(l)]);
        h = tf.fused.matMul({ a: h as tf.Tensor2D, b: w, bias: tf.tensor1d(view(bias)), activation: l < layers.length - 1 ? "relu" : "linear" });
      });
      return h.dataSync() as Float32Array;
    });
    for (let i = 0; i < rows; i++) out[i * layout.members + k] = result[i]!;
  });
  return out;
}

describe("the MLP forward kernel", () => {
  beforeAll(initTf);

  it.each([
    [37, 7, 3, 2],
    [364, 20, 10, 5],
    [50, 40, 2, 1],
    [9, 3, 1, 3],
    [23, 70, 3, 2],
  ])("gives tfjs's outputs bit for bit (input %i, width %i, %i hidden layers, %i members)", (inputWidth, width, hiddenLayers, members) => {
    const rng = seededRng(inputWidth * 31 + width);
    const layout = new EnsembleLayout(inputWidth, width, hiddenLayers, members);
    const parameters = layout.initialParameters(rng);
    // Non-zero biases, as after training.
    for (const layers of layout.memberLayers()) for (const { bias } of layers) parameters.view(bias).forEach((_, i, b) => (b[i] = rng.random() - 0.5));
    const rows = 301;
    const x = new Float32Array(rows * inputWidth);
    // Sparse rows of ones (as the path encoding), some other values, some rows all zero.
    for (let i = 0; i < x.length; i++) if (rng.random() < 0.05) x[i] = rng.random() < 0.8 ? 1 : rng.random() * 4 - 2;
    const forward = new MlpForward(
      { inputWidth, width, hiddenLayers, members },
      (m, l) => parameters.view(layout.memberLayers()[m]![l]!.weights),
      (m, l) => parameters.view(layout.memberLayers()[m]![l]!.bias),
    );
    forward.reserve(rows);
    forward.inputs.set(x);
    forward.forward(rows);
    const expected = tfjsOutputs(layout, (name) => parameters.view(name), x, rows);
    expect(new Uint32Array(forward.outputs.slice().buffer)).toEqual(new Uint32Array(expected.buffer));
  });

  it("grows for more rows and keeps its weights", () => {
    const layout = new EnsembleLayout(5, 4, 2, 1);
    const parameters = layout.initialParameters(seededRng(1));
    const forward = new MlpForward(
      { inputWidth: 5, width: 4, hiddenLayers: 2, members: 1 },
      (m, l) => parameters.view(layout.memberLayers()[m]![l]!.weights),
      (m, l) => parameters.view(layout.memberLayers()[m]![l]!.bias),
    );
    forward.reserve(1);
    forward.inputs.set([1, 0, 0, 1, 0]);
    forward.forward(1);
    const one = forward.outputs[0];
    forward.reserve(40_000);
    forward.inputs.fill(0);
    forward.inputs.set([1, 0, 0, 1, 0], 5 * 39_999);
    forward.forward(40_000);
    expect(forward.outputs[39_999]).toBe(one);
    expect(() => forward.forward(40_001)).toThrow(RangeError);
  });
});
