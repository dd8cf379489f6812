import { beforeAll, describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { expectGradientsClose, numericGradient } from "../test-support/gradientCheck.js";
import { randomGraphs } from "../test-support/graphs.js";
import { fillDropoutMask } from "./dropout.js";
import { BatchTensors, GcnNetwork, gcnParameterShapes, initialGcnParameters, listwiseGradient, pairwiseGradient, type DropoutMasks, type GcnShape } from "./gcnNetwork.js";
import { GraphSet } from "./graphBatch.js";
import type { FlatParameters } from "./parameters.js";
import { initTf, tf } from "./tf.js";

/**
 * The network straight from its definition, in float64 over dense per-graph matrices:
 * H' = (relu(Af H Wf) + relu(Ab H Wb)) / 2 with Af = rownorm(A + I), Ab = rownorm(A^T + I), each
 * layer's output times its dropout mask, mean readout, head. Returns the mean squared error.
 */
function referenceLoss(
  shape: GcnShape,
  parameters: FlatParameters,
  values: Float64Array,
  graphs: { n: number; adjacency: number[]; features: number[][] }[],
  targets: number[],
  masks: { layers: Float32Array[]; head: Float32Array },
): number {
  const offsets = new Map(parameters.shapes.map(({ name }) => [name, parameters.view(name).byteOffset / 4]));
  const weight = (name: string, cols: number) => (i: number, j: number) => values[offsets.get(name)! + i * cols + j]!;
  const { width, head, layers } = shape;
  let row = 0;
  let loss = 0;
  graphs.forEach(({ n, adjacency, features }, b) => {
    const norm = (transpose: boolean) =>
      Array.from({ length: n }, (_, i) => {
        const entries = Array.from({ length: n }, (_, j) => (i === j ? 1 : transpose ? adjacency[j * n + i]! : adjacency[i * n + j]!));
        const sum = entries.reduce((a, c) => a + c, 0);
        return entries.map((e) => e / sum);
      });
    const [af, ab] = [norm(false), norm(true)];
    let h = features;
    for (let l = 0; l < layers; l++) {
      const fanIn = h[0]!.length;
      const [wf, wb] = l === 0 ? [weight("gcn0.forward", width), weight("gcn0.backward", width)] : [weight(`gcn${l}`, 2 * width), (i: number, j: number) => weight(`gcn${l}`, 2 * width)(i, width + j)];
      const branch = (a: number[][], w: (i: number, j: number) => number) =>
        a.map((ai) => Array.from({ length: width }, (_, c) => Math.max(0, ai.reduce((sum, aij, j) => sum + aij * Array.from({ length: fanIn }, (_, k) => h[j]![k]! * w(k, c)).reduce((x, y) => x + y, 0), 0))));
      const [f, g] = [branch(af, wf), branch(ab, wb)];
      h = f.map((fi, i) => fi.map((v, c) => ((v + g[i]![c]!) / 2) * masks.layers[l]![(row + i) * width + c]!));
    }
    const pooled = Array.from({ length: width }, (_, c) => h.reduce((sum, hi) => sum + hi[c]!, 0) / n);
    const hidden = Array.from({ length: head }, (_, c) => pooled.reduce((sum, p, k) => sum + p * weight("head.hidden", head)(k, c), 0));
    const activated = hidden.map((v, c) => (shape.headActivation === "relu" ? Math.max(0, v) : v) * masks.head[b * head + c]!);
    const output = activated.reduce((sum, a, k) => sum + a * weight("head.output", 1)(k, 0), 0);
    loss += (output - targets[b]!) ** 2 / graphs.length;
    row += n;
  });
  return loss;
}

describe("GCN network", () => {
  beforeAll(initTf);

  for (const headActivation of ["relu", "none"] as const) {
    it(`forward pass matches the dense float64 definition, backward pass its finite differences (head ${headActivation})`, () => {
      const shape: GcnShape = { features: 5, width: 4, layers: 3, head: 3, headActivation };
      const network = new GcnNetwork(shape);
      const rng = seededRng(3);
      const parameters = initialGcnParameters(shape, rng);
      const { encoding, archs, graphs } = randomGraphs(6, 11);
      const batch = new BatchTensors(new GraphSet(encoding, archs).batch(archs, false));
      const names = gcnParameterShapes(shape).map(({ name }) => name);
      const targetValues = [0.5, -1, 2, 0, 1, -0.5];
      const maskValues = {
        layers: [0, 1, 2].map(() => fillDropoutMask(rng, new Float32Array(batch.batch.rows * shape.width), 0.2)),
        head: fillDropoutMask(rng, new Float32Array(archs.length * shape.head), 0.2),
      };
      tf.tidy(() => {
        const weights = Object.fromEntries(names.map((name) => [name, parameters.tensor(name)]));
        const targets = tf.tensor2d(targetValues, [archs.length, 1]);
        const masks: DropoutMasks = {
          layers: maskValues.layers.map((mask) => tf.tensor2d(mask, [batch.batch.rows, shape.width])),
          head: tf.tensor2d(maskValues.head, [archs.length, shape.head]),
        };
        const loss = network.loss(weights, batch, targets, masks).dataSync()[0]!;
        expect(loss).toBeCloseTo(referenceLoss(shape, parameters, Float64Array.from(parameters.values), graphs, targetValues, maskValues), 5);
        const gradients = network.gradients(weights, batch, targets, masks);
        for (const name of names) parameters.readGradient(name, gradients[name]!);
      });
      const numeric = numericGradient(Float64Array.from(parameters.values), (values) => referenceLoss(shape, parameters, values, graphs, targetValues, maskValues));
      expectGradientsClose(parameters, numeric);
      batch.dispose();
    });
  }
});

/** The weighted pairwise logistic loss in float64: mean over ordered pairs (weight exp(a t_i)) of log(1 + exp(-(o_i - o_j))). */
function referencePairwiseLoss(outputs: readonly number[], targets: readonly number[], emphasis: number): number {
  let loss = 0;
  let weights = 0;
  for (let i = 0; i < outputs.length; i++) {
    for (let j = 0; j < outputs.length; j++) {
      if (!(targets[i]! > targets[j]!)) continue;
      const weight = Math.exp(emphasis * targets[i]!);
      loss += weight * Math.log1p(Math.exp(-(outputs[i]! - outputs[j]!)));
      weights += weight;
    }
  }
  return weights === 0 ? 0 : loss / weights;
}

describe("pairwise ranking gradient", () => {
  beforeAll(initTf);

  // Ties (0.5 twice) form no pair; emphasis 0 is RankNet's plain mean over ordered pairs.
  for (const emphasis of [0, 1.5]) {
    it(`is the finite-difference gradient of the pairwise logistic loss (top emphasis ${emphasis})`, () => {
      const outputs = [0.3, -1.2, 0.8, 0.1, 2.0, -0.4];
      const targets = [-1.5, -3, 0.2, -1.5, -0.8, -2.5];
      const analytic = tf.tidy(() => pairwiseGradient(tf.tensor2d(outputs, [6, 1]), tf.tensor2d(targets, [6, 1]), emphasis).dataSync());
      const numeric = numericGradient(Float64Array.from(outputs), (shifted) => referencePairwiseLoss(Array.from(shifted), targets, emphasis), 1e-5);
      outputs.forEach((_, k) => expect(analytic[k]).toBeCloseTo(numeric[k]!, 5));
    });
  }

  it("is zero when no pair is ordered", () => {
    const gradient = tf.tidy(() => pairwiseGradient(tf.tensor2d([1, 2, 3], [3, 1]), tf.tensor2d([4, 4, 4], [3, 1]), 1).dataSync());
    expect(Array.from(gradient)).toEqual([0, 0, 0]);
  });
});

/** ListMLE written out: the sum over positions of the true order of log(sum of exp over the tail) minus the output, over n. */
function referenceListwiseLoss(outputs: readonly number[], targets: readonly number[]): number {
  let loss = 0;
  for (let i = 0; i < outputs.length; i++) {
    let tail = 0;
    for (let j = 0; j < outputs.length; j++) if (targets[j]! <= targets[i]!) tail += Math.exp(outputs[j]!);
    loss += Math.log(tail) - outputs[i]!;
  }
  return loss / outputs.length;
}

describe("ListMLE gradient", () => {
  beforeAll(initTf);

  it("is the finite-difference gradient of the ListMLE loss, ties included", () => {
    const outputs = [0.3, -1.2, 0.8, 0.1, 2.0, -0.4];
    const targets = [-1.5, -3, 0.2, -1.5, -0.8, -2.5];
    const analytic = tf.tidy(() => listwiseGradient(tf.tensor2d(outputs, [6, 1]), tf.tensor2d(targets, [6, 1])).dataSync());
    const numeric = numericGradient(Float64Array.from(outputs), (shifted) => referenceListwiseLoss(Array.from(shifted), targets), 1e-4);
    outputs.forEach((_, k) => expect(analytic[k]).toBeCloseTo(numeric[k]!, 4));
  });

  it("does not overflow for large outputs", () => {
    const gradient = tf.tidy(() => listwiseGradient(tf.tensor2d([500, 400, 300], [3, 1]), tf.tensor2d([1, 2, 3], [3, 1])).dataSync());
    expect(Array.from(gradient).every(Number.isFinite)).toBe(true);
    // The best target (3) has the lowest output: pushing it up (a negative gradient) is what the loss asks.
    expect(gradient[2]).toBeLessThan(0);
  });
});
