/**
 * The Neural Predictor's network (Wen et al.; layer as in ultmaster/neuralpredictor.pytorch), its
 * forward pass and its backward pass written out with tfjs ops.
 *
 * Layer l maps vertex features H to
 *   H' = dropout((relu(Af H Wf) + relu(Ab H Wb)) / 2),  Af = rownorm(A + I), Ab = rownorm(A^T + I),
 * without biases; the readout averages H over each graph's vertices; the head is
 * fc(width -> head), an activation, dropout, fc(head -> 1), without biases.
 *
 * How it is evaluated (graphBatch.ts has the data layout):
 * - Layer 0 reads (Af X) and (Ab X) from the batch's table of first-layer inputs.
 * - Every later layer computes G = H [Wf | Wb] in one product, then both averages in one
 *   SparseSegmentMean (never a per-graph matMul), a ReLU, and the sum of the two halves in one
 *   SparseSegmentSum. Layer 1's product runs on the table's rows: on distinct rows only when
 *   predicting.
 * - The halving of each layer is applied once to the output as 2^-layers: ReLU and the linear maps
 *   are positively homogeneous and scaling by a power of two is exact, so the result is the same.
 * - Products use plain 2-D matMuls (the wasm backend's fast XNNPACK path takes no transpose flags).
 *   XNNPACK repacks the right operand of every product it has not seen (~7 ns per float): when
 *   training, the weights are new at every step, so products are arranged to pack the operand
 *   with fewer values (a batch of 10 graphs has ~70 rows, a weight matrix 144 or 288 columns).
 * - The adjoint of a mean over a list is a SparseSegmentSum over the transposed list.
 */
import type { MersenneTwister } from "../util/rng.js";
import type { GraphBatch } from "./graphBatch.js";
import { FlatParameters, fillUniform, glorotBound, torchLinearBound, type ParameterShape } from "./parameters.js";
import { tf } from "./tf.js";

export interface GcnShape {
  /** Vertex feature width (one-hot operations: 5 for NAS-Bench-101). */
  readonly features: number;
  /** Width of every graph-convolution layer. */
  readonly width: number;
  /** Graph-convolution layers (at least 2). */
  readonly layers: number;
  /** Width of the head's hidden layer. */
  readonly head: number;
  /** Between the head's two layers: "relu", or "none" as in the reference code. */
  readonly headActivation: "relu" | "none";
}

export function gcnParameterShapes(shape: GcnShape): ParameterShape[] {
  const shapes: ParameterShape[] = [
    { name: "gcn0.forward", shape: [shape.features, shape.width] },
    { name: "gcn0.backward", shape: [shape.features, shape.width] },
  ];
  // Later layers keep [Wf | Wb] side by side: one product computes both.
  for (let l = 1; l < shape.layers; l++) shapes.push({ name: `gcn${l}`, shape: [shape.width, 2 * shape.width] });
  shapes.push({ name: "head.hidden", shape: [shape.width, shape.head] }, { name: "head.output", shape: [shape.head, 1] });
  return shapes;
}

/** The reference's initialisation: Glorot-uniform graph-convolution weights, PyTorch's default for the head. */
export function initialGcnParameters(shape: GcnShape, rng: MersenneTwister): FlatParameters {
  const parameters = new FlatParameters(gcnParameterShapes(shape));
  const glorot = (fanIn: number) => glorotBound(fanIn, shape.width); // per direction's weight matrix
  fillUniform(rng, parameters.view("gcn0.forward"), glorot(shape.features));
  fillUniform(rng, parameters.view("gcn0.backward"), glorot(shape.features));
  for (let l = 1; l < shape.layers; l++) fillUniform(rng, parameters.view(`gcn${l}`), glorot(shape.width));
  fillUniform(rng, parameters.view("head.hidden"), torchLinearBound(shape.width));
  fillUniform(rng, parameters.view("head.output"), torchLinearBound(shape.head));
  return parameters;
}

/** A graph batch as tensors. */
export class BatchTensors {
  readonly tableForward: tf.Tensor2D;
  readonly tableBackward: tf.Tensor2D;
  readonly convolutionSources: tf.Tensor1D;
  readonly convolutionTableSources: tf.Tensor1D;
  readonly convolutionTargets: tf.Tensor1D;
  /** [2 rows, 1]: 1 / list length per target, to scale gradients in the adjoint. */
  readonly convolutionInverseCounts: tf.Tensor2D;
  /** The transposed list, in training batches. */
  readonly convolutionTransposed?: { readonly sources: tf.Tensor1D; readonly targets: tf.Tensor1D };
  /** Row r of the result sums rows r and rows + r: the two halves of a layer. */
  readonly halvesSources: tf.Tensor1D;
  readonly halvesTargets: tf.Tensor1D;
  readonly readoutSources: tf.Tensor1D;
  readonly readoutTargets: tf.Tensor1D;
  /** [graphs, 1]: 1 / vertex count per graph. */
  readonly readoutInverseCounts: tf.Tensor2D;

  constructor(readonly batch: GraphBatch) {
    const { table, features, rows, convolution, convolutionTransposed, readout } = batch;
    const int = (values: Int32Array) => tf.tensor1d(values, "int32");
    this.tableForward = tf.tensor2d(table.forward, [table.rows, features]);
    this.tableBackward = tf.tensor2d(table.backward, [table.rows, features]);
    this.convolutionSources = int(convolution.sources);
    // Without deduplication the table is the rows, and the table's sources are the rows' sources.
    this.convolutionTableSources = batch.deduplicated ? int(batch.convolutionTableSources) : this.convolutionSources;
    this.convolutionTargets = int(convolution.targets);
    this.convolutionInverseCounts = tf.tensor2d(convolution.inverseCounts, [2 * rows, 1]);
    if (convolutionTransposed !== undefined) this.convolutionTransposed = { sources: int(convolutionTransposed.sources), targets: int(convolutionTransposed.targets) };
    this.halvesSources = int(Int32Array.from({ length: 2 * rows }, (_, k) => (k >> 1) + (k & 1) * rows));
    this.halvesTargets = int(Int32Array.from({ length: 2 * rows }, (_, k) => k >> 1));
    this.readoutSources = int(readout.sources);
    this.readoutTargets = int(readout.targets);
    this.readoutInverseCounts = tf.tensor2d(readout.inverseCounts, [batch.graphs, 1]);
  }

  dispose(): void {
    const tensors = Object.values(this).filter((value): value is tf.Tensor => value instanceof tf.Tensor);
    tf.dispose([...new Set(tensors), ...Object.values(this.convolutionTransposed ?? {})]);
  }
}

/** Dropout masks for a training step (inverted dropout: entries 0 or 1 / (1 - rate)). */
export interface DropoutMasks {
  /** One [rows, width] mask per graph-convolution layer. */
  readonly layers: readonly tf.Tensor[];
  /** [graphs, head] mask after the head's activation. */
  readonly head: tf.Tensor;
}

/** The weights of the training losses: mean squared error, pairwise logistic, ListMLE (absent: 0). */
export interface LossWeights {
  readonly squared: number;
  readonly pairwise?: number;
  readonly listwise?: number;
  /** With pairwise: each ordered pair weighted by exp(topEmphasis t) of its better member. */
  readonly topEmphasis?: number;
}

/** What the backward pass needs from the forward pass. */
interface Trace {
  /** Layer 0's two ReLU outputs. */
  readonly first: { readonly forward: tf.Tensor; readonly backward: tf.Tensor };
  /** Per later layer (index l - 1): its input and its stacked ReLU output [2 rows, width]. */
  readonly later: { readonly input: tf.Tensor; readonly activated: tf.Tensor }[];
  readonly pooled: tf.Tensor;
  readonly hidden: tf.Tensor;
  readonly activated: tf.Tensor;
}

type Weights = Readonly<Record<string, tf.Tensor>>;

export class GcnNetwork {
  constructor(readonly shape: GcnShape) {}

  /** Predicted (standardised) accuracies, [graphs, 1]. Call inside tf.tidy. */
  predict(weights: Weights, batch: BatchTensors): tf.Tensor {
    return this.forward(weights, batch).output;
  }

  /** The mean squared error against `targets` ([graphs, 1]): what `gradients` differentiates. Call inside tf.tidy. */
  loss(weights: Weights, batch: BatchTensors, targets: tf.Tensor, masks: DropoutMasks): tf.Tensor {
    return tf.mean(tf.squaredDifference(this.forward(weights, batch, masks).output, targets));
  }

  /**
   * The gradient of the loss against `targets` ([graphs, 1]) with respect to every weight, by
   * name: `squared` times the mean squared error, plus `pairwise` times the pairwise logistic
   * ranking loss (see `pairwiseGradient`), plus `listwise` times the ListMLE loss (see
   * `listwiseGradient`). The batch must not be deduplicated. Call inside tf.tidy.
   */
  gradients(weights: Weights, batch: BatchTensors, targets: tf.Tensor, masks: DropoutMasks, losses: LossWeights = { squared: 1 }): Record<string, tf.Tensor> {
    const { squared, pairwise = 0, listwise = 0, topEmphasis = 0 } = losses;
    const transposed = batch.convolutionTransposed;
    if (transposed === undefined) throw new Error("training needs a batch without deduplicated rows");
    const { layers, width } = this.shape;
    const { rows, graphs } = batch.batch;
    const { output, trace } = this.forward(weights, batch, masks);
    const gradients: Record<string, tf.Tensor> = {};
    // d(loss)/dy, through the output scale 2^-layers.
    let dLoss = tf.mul(tf.sub(output, targets), (2 * squared) / graphs);
    if (pairwise > 0) dLoss = tf.add(dLoss, tf.mul(pairwiseGradient(output, targets, topEmphasis), pairwise));
    if (listwise > 0) dLoss = tf.add(dLoss, tf.mul(listwiseGradient(output, targets), listwise));
    const dOutput = tf.mul(dLoss, 1 / 2 ** layers);
    gradients["head.output"] = tf.matMul(tf.transpose(trace.activated), dOutput);
    let dHidden = tf.mul(tf.matMul(dOutput, tf.transpose(weights["head.output"]!)), masks.head);
    if (this.shape.headActivation === "relu") dHidden = tf.mul(dHidden, tf.step(trace.hidden));
    gradients["head.hidden"] = tf.matMul(tf.transpose(trace.pooled), dHidden);
    const dPooled = productWithTransposed(dHidden, weights["head.hidden"]!);
    // The readout's adjoint: each row gets its graph's gradient / vertex count.
    let dH = tf.sparse.sparseSegmentSum(tf.mul(dPooled, batch.readoutInverseCounts), batch.readoutTargets, batch.readoutSources);
    for (let l = layers - 1; l >= 1; l--) {
      const { input, activated } = trace.later[l - 1]!;
      const dHalf = tf.mul(dH, masks.layers[l]!);
      const dMeans = tf.mul(tf.concat([dHalf, dHalf], 0), tf.step(activated));
      const dStacked = tf.sparse.sparseSegmentSum(tf.mul(dMeans, batch.convolutionInverseCounts), transposed.sources, transposed.targets);
      const dProduct = tf.reshape(dStacked, [rows, 2 * width]);
      gradients[`gcn${l}`] = tf.matMul(tf.transpose(input), dProduct);
      dH = productWithTransposed(dProduct, weights[`gcn${l}`]!);
    }
    const dFirst = tf.mul(dH, masks.layers[0]!);
    gradients["gcn0.forward"] = tf.matMul(tf.transpose(batch.tableForward), tf.mul(dFirst, tf.step(trace.first.forward)));
    gradients["gcn0.backward"] = tf.matMul(tf.transpose(batch.tableBackward), tf.mul(dFirst, tf.step(trace.first.backward)));
    return gradients;
  }

  private forward(weights: Weights, batch: BatchTensors, masks?: DropoutMasks): { output: tf.Tensor; trace: Trace } {
    const { layers, width, headActivation } = this.shape;
    const training = masks !== undefined;
    const product = (x: tf.Tensor, w: tf.Tensor) => (training ? productPackingInput(x, w) : tf.matMul(x, w));
    const dropout = (x: tf.Tensor, mask: tf.Tensor | undefined) => (mask === undefined ? x : tf.mul(x, mask));
    const first = {
      forward: tf.fused.matMul({ a: batch.tableForward, b: weights["gcn0.forward"] as tf.Tensor2D, activation: "relu" }),
      backward: tf.fused.matMul({ a: batch.tableBackward, b: weights["gcn0.backward"] as tf.Tensor2D, activation: "relu" }),
    };
    let h = dropout(tf.add(first.forward, first.backward), masks?.layers[0]);
    const later: Trace["later"] = [];
    for (let l = 1; l < layers; l++) {
      const stacked = tf.reshape(product(h, weights[`gcn${l}`]!), [-1, width]);
      const sources = l === 1 ? batch.convolutionTableSources : batch.convolutionSources;
      const activated = tf.relu(tf.sparse.sparseSegmentMean(stacked, sources, batch.convolutionTargets));
      later.push({ input: h, activated });
      h = dropout(tf.sparse.sparseSegmentSum(activated, batch.halvesSources, batch.halvesTargets), masks?.layers[l]);
    }
    const pooled = tf.sparse.sparseSegmentMean(h, batch.readoutSources, batch.readoutTargets);
    const hidden = product(pooled, weights["head.hidden"]!);
    const activated = dropout(headActivation === "relu" ? tf.relu(hidden) : hidden, masks?.head);
    const output = tf.mul(tf.matMul(activated, weights["head.output"]!), 2 ** -layers);
    return { output, trace: { first, later, pooled, hidden, activated } };
  }
}

/** x w computed as (w^T x^T)^T, so that XNNPACK packs x^T: cheaper when x has fewer rows than w has columns. */
function productPackingInput(x: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return tf.transpose(tf.matMul(tf.transpose(w), tf.transpose(x)));
}

/** dz w^T computed as (w dz^T)^T, so that XNNPACK packs dz^T rather than w^T. */
function productWithTransposed(dz: tf.Tensor, w: tf.Tensor): tf.Tensor {
  return tf.transpose(tf.matMul(w, tf.transpose(dz)));
}

/**
 * The gradient, with respect to the outputs o ([graphs, 1]), of the pairwise logistic ranking
 * loss mean over ordered pairs (t_i > t_j) of log(1 + exp(-(o_i - o_j))) (RankNet; as the
 * ranking losses of ReNAS and BRP-NAS): it rewards the order of the predictions, not their
 * values. Zero when no pair is ordered. With `topEmphasis` a > 0 the mean is weighted, each pair by
 * exp(a t_i) of its better member: the order at the top, which a search spends its queries on,
 * weighs more than the order in the tail.
 */
export function pairwiseGradient(output: tf.Tensor, targets: tf.Tensor, topEmphasis = 0): tf.Tensor {
  const all = tf.cast(tf.greater(targets, tf.transpose(targets)), "float32");
  // Weighted by the better one: exp(emphasis * t_i) (row i of the pairs), so that the order among the best counts most.
  const ordered = topEmphasis === 0 ? all : tf.mul(all, tf.exp(tf.mul(targets, topEmphasis)));
  // The total weight (a count of pairs without emphasis); with no pair, any positive divisor of the zero pull.
  const pairs = tf.maximum(tf.sum(ordered), 1e-30);
  // sigma(-(o_i - o_j)) on ordered pairs: the pull up on i and down on j.
  const pull = tf.mul(tf.sigmoid(tf.neg(tf.sub(output, tf.transpose(output)))), ordered);
  return tf.div(tf.sub(tf.transpose(tf.sum(pull, 0, true)), tf.sum(pull, 1, true)), pairs);
}

/**
 * The gradient, with respect to the outputs o ([graphs, 1]), of the ListMLE loss (Xia et al.
 * 2008) of the batch ordered by target, divided by the batch size: the negative log-likelihood of
 * the true order under the Plackett-Luce model, sum over positions i of log(sum over j at or below i
 * of exp(o_j)) - o_i. Every term holds the whole tail below its position, so the best architecture
 * of a batch weighs most: a top-aware ranking loss. Ties count as "at or below" each other.
 * d/do_k = exp(o_k) * sum over i with k at or below i of 1 / Z_i, minus 1, with Z_i the sum of
 * row i; computed with o shifted by its maximum (the ratios do not change).
 */
export function listwiseGradient(output: tf.Tensor, targets: tf.Tensor): tf.Tensor {
  const graphs = output.shape[0]!;
  // below[i][j] = 1 when t_j <= t_i: j is in the tail of i's position.
  const below = tf.cast(tf.lessEqual(tf.transpose(targets), targets), "float32");
  const exps = tf.exp(tf.sub(output, tf.max(output)));
  const sums = tf.matMul(below, exps);
  const pull = tf.mul(exps, tf.matMul(below, tf.div(1, sums), true, false));
  return tf.div(tf.sub(pull, 1), graphs);
}
