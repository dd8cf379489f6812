/**
 * The Neural Predictor (Wen et al. 2019): a directed graph convolutional network on the cell
 * graph, with the hyper-parameters of the PyTorch reproduction the paper's numbers are checked
 * against (ultmaster/neuralpredictor.pytorch): 3 layers of width 144, a head of 128, dropout 0.1,
 * MSE on the standardised accuracy, Adam (lr 1e-4, L2 weight decay 1e-3) with cosine annealing
 * over 300 epochs, batches of 10 with the last partial batch dropped.
 *
 * Targets are standardised with the mean and (population) standard deviation of the training
 * accuracies, as NASLib does, rather than the reproduction's fixed NAS-Bench-101 constants, so
 * that the predictor works on any space and target scale.
 *
 * The head's activation: the reproduction has none between its two fully connected layers, which
 * makes the head one linear map (over-parameterised). prednas keeps that by default and offers a
 * ReLU (`headActivation`). Measured (Kendall tau on 60,000 held-out cells, seeds 0-2 at N = 172,
 * 0-1 at N = 860): at N = 172 the ReLU head scored 0.597/0.553/0.516 against 0.596/0.525/0.500
 * without; at N = 334, 0.565 against 0.568; at N = 860, 0.596/0.587 against 0.631/0.645. The
 * linear head wins where it matters most and is the reference's.
 */
import { z } from "zod";
import type { GraphEncoding, SearchSpace } from "../spaces/types.js";
import { InputError } from "../util/errors.js";
import { seededRng, type MersenneTwister } from "../util/rng.js";
import { Adam, cosineAnnealed } from "./adam.js";
import { fillDropoutMask } from "./dropout.js";
import { BatchTensors, GcnNetwork, initialGcnParameters, gcnParameterShapes, type GcnShape } from "./gcnNetwork.js";
import { GraphSet } from "./graphBatch.js";
import { epochBatches } from "./minibatches.js";
import { integer, number, oneOf, type Resolved } from "../options/schema.js";
import { standardScale, targetsOf } from "./targets.js";
import { FlatParameters } from "./parameters.js";
import { initTf, tf } from "./tf.js";
import { definePredictor, type FitOptions, type Prediction, type Predictor, type PredictorSnapshot } from "./types.js";

export const GCN_OPTIONS = z.strictObject({
  width: integer({ min: 1, max: 4096, default: 144, description: "width of the graph-convolution layers" }),
  layers: integer({ min: 2, max: 16, default: 3, description: "graph-convolution layers" }),
  head: integer({ min: 1, max: 4096, default: 128, description: "width of the head's hidden layer" }),
  headActivation: oneOf(["none", "relu"], { default: "none", description: "between the head's layers: none (the reference code's linear head) or relu" }),
  dropout: number({ min: 0, max: 0.9, default: 0.1, description: "dropout rate" }),
  epochs: integer({ min: 1, default: 300, description: "training epochs" }),
  batchSize: integer({ min: 1, default: 10, description: "graphs per optimiser step (the last partial batch is dropped)" }),
  learningRate: number({ min: 0, minExclusive: true, default: 1e-4, description: "Adam's learning rate (cosine annealed)" }),
  weightDecay: number({ min: 0, default: 1e-3, description: "L2 penalty added to the gradient (PyTorch Adam's weight_decay)" }),
  // Bounds memory (~60 kB of wasm heap each, and the heap never shrinks); 1,024 to 4,096 run within 7% of each other.
  predictBatch: integer({ min: 1, max: 1 << 16, default: 2048, description: "architectures per forward pass when predicting" }),
});
export type GcnOptions = Resolved<typeof GCN_OPTIONS>;

class GcnPredictor<A> implements Predictor<A> {
  readonly name = "gcn";
  readonly hasUncertainty = false;
  private readonly encoding: GraphEncoding<A>;
  private readonly network: GcnNetwork;
  private fitted?: { parameters: FlatParameters; weights: Record<string, tf.Tensor>; offset: number; scale: number };

  constructor(
    space: SearchSpace<A>,
    readonly options: GcnOptions,
  ) {
    if (space.graph === undefined) throw new InputError(`predictor 'gcn': the space ${space.name} has no graph encoding`);
    this.encoding = space.graph;
    const shape: GcnShape = { features: space.graph.features, width: options.width, layers: options.layers, head: options.head, headActivation: options.headActivation };
    this.network = new GcnNetwork(shape);
  }

  async fit(archs: readonly A[], accuracies: ArrayLike<number>, { seed }: FitOptions): Promise<void> {
    if (archs.length === 0 || archs.length !== accuracies.length) throw new InputError(`gcn: fit needs architectures with one accuracy each (got ${archs.length} and ${accuracies.length})`);
    await initTf();
    const { epochs, batchSize, learningRate, weightDecay } = this.options;
    const rng = seededRng(seed);
    const parameters = initialGcnParameters(this.network.shape, rng);
    const graphs = new GraphSet(this.encoding, archs);
    const { offset, scale } = standardScale(accuracies);
    const targets = targetsOf(accuracies, { offset, scale });
    const adam = new Adam(parameters.values.length, { weightDecay });
    const names = gcnParameterShapes(this.network.shape).map(({ name }) => name);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const lr = cosineAnnealed(learningRate, epoch, epochs);
      for (const rows of epochBatches(rng, archs.length, batchSize, true)) {
        const batch = new BatchTensors(graphs.batch(rows, false));
        tf.tidy(() => {
          const weights = Object.fromEntries(names.map((name) => [name, parameters.tensor(name)]));
          const y = tf.tensor2d(Float32Array.from(rows, (row) => targets[row]!), [rows.length, 1]);
          const gradients = this.network.gradients(weights, batch, y, this.dropoutMasks(rng, batch));
          for (const name of names) parameters.readGradient(name, gradients[name]!);
        });
        batch.dispose();
        adam.step(parameters.values, parameters.gradients, lr);
      }
    }
    this.load(parameters, offset, scale);
  }

  async predict(archs: readonly A[]): Promise<Prediction> {
    const fitted = this.fitted;
    if (fitted === undefined) throw new Error("gcn: predict() before fit()");
    const mean = new Float64Array(archs.length);
    for (let start = 0; start < archs.length; start += this.options.predictBatch) {
      const part = archs.slice(start, start + this.options.predictBatch);
      const graphs = new GraphSet(this.encoding, part);
      const batch = new BatchTensors(graphs.batch(Int32Array.from(part, (_, i) => i), true));
      const output = tf.tidy(() => this.network.predict(fitted.weights, batch));
      const values = output.dataSync();
      for (let i = 0; i < part.length; i++) mean[start + i] = fitted.offset + fitted.scale * values[i]!;
      output.dispose();
      batch.dispose();
    }
    return { mean };
  }

  snapshot(): PredictorSnapshot {
    if (this.fitted === undefined) throw new Error("gcn: snapshot() before fit()");
    const { parameters, offset, scale } = this.fitted;
    return { predictor: this.name, options: this.options, state: { parameters: parameters.values.slice(), offset, scale } };
  }

  async restore(snapshot: PredictorSnapshot): Promise<void> {
    await initTf();
    const { parameters, offset, scale } = snapshot.state;
    this.load(new FlatParameters(gcnParameterShapes(this.network.shape), Float32Array.from(parameters)), offset, scale);
  }

  dispose(): void {
    if (this.fitted !== undefined) tf.dispose(Object.values(this.fitted.weights));
    this.fitted = undefined;
  }

  private load(parameters: FlatParameters, offset: number, scale: number): void {
    this.dispose();
    const weights = Object.fromEntries(parameters.shapes.map(({ name }) => [name, parameters.tensor(name)]));
    this.fitted = { parameters, weights, offset, scale };
  }

  private dropoutMasks(rng: MersenneTwister, batch: BatchTensors): { layers: tf.Tensor[]; head: tf.Tensor } {
    const { width, layers, head, dropout } = this.options;
    const { rows, graphs } = batch.batch;
    const mask = (count: number, columns: number) => tf.tensor2d(fillDropoutMask(rng, new Float32Array(count * columns), dropout), [count, columns]);
    return { layers: Array.from({ length: layers }, () => mask(rows, width)), head: mask(graphs, head) };
  }
}

export const gcnPredictor = definePredictor({
  name: "gcn",
  description: "Neural Predictor (Wen et al.): directed GCN, 3 x 144, on the cell graph; MSE on standardised accuracy",
  options: GCN_OPTIONS,
  create: (space, options) => new GcnPredictor(space, options),
});
