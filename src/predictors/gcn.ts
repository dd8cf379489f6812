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
 *
 * `gcn-rank` is the same network trained to rank instead of to regress: the pairwise logistic
 * loss (RankNet, as ReNAS and BRP-NAS use) on every ordered pair of a batch, no MSE, batches of
 * 32, 50 epochs at lr 2e-3 (cosine annealed). Measured on NAS-Bench-101 (N = 172, seeds 0-4,
 * Kendall tau on the whole space against the mean test accuracy, true top 100 in the predicted
 * top 1,000; 2026-12-01, .tmp experiments, the predictors benchmark has the final figures): the
 * reference's MSE training 0.503 / 12.0; pairwise at batch 10 and 300 epochs 0.687 / 28.7 (seeds
 * 0-2); batch 32, 100 epochs, lr 1e-3 0.702 / 24.6; batch 32, 50 epochs, lr 2e-3 0.694 / 26.8 at
 * half the fit time (chosen); width 64 0.678 / 27.6; 3 members 0.703 / 24.0; 3 members with
 * MSE weight 0.1 beside the ranking loss 0.687 / 29.0; pairs weighted towards the top
 * (`topEmphasis` 1 and 2.5: each pair by exp(a t) of its better member) 0.694 / 26.2 and
 * 0.690 / 26.6, no better (kept as an option, off by default); 5 members with MSE weight 0.1
 * 0.674 / 32.4 (fit 25 s on a busy machine, 5 times the single network's): registered as
 * `gcn-rank-ensemble`, for the top of the ranking and the spread. The ranking loss is what matters:
 * the ordering of candidates is all the search uses.
 *
 * `gcn-listmle` trains the same network with ListMLE (listwise, top-aware: see
 * `listwiseGradient`) in place of the pairwise loss, at gcn-rank's other settings. Measured
 * 2026-12-02 (same protocol, seeds 0-4, `prednas predictor eval --workers 1`): ListMLE alone
 * 0.695 / 30.2, precision at the top 0.1% 10.7% (gcn-rank: 0.694 / 26.8 / 10.1%); ListMLE beside the
 * pairwise loss 0.704 / 26.8 / 9.4%; pairwise with MSE weight 0.1 0.676 / 31.4 / 11.7%; ListMLE with
 * MSE weight 0.1 0.688 / 30.2 / 11.5%; the fit time is the same (~1.7 s at N = 172).
 */
import { z } from "zod";
import type { GraphEncoding, SearchSpace } from "../spaces/types.js";
import { InputError } from "../util/errors.js";
import { seededRng, type MersenneTwister } from "../util/rng.js";
import { Adam, cosineAnnealed } from "./adam.js";
import { fillDropoutMask } from "./dropout.js";
import { BatchTensors, GcnNetwork, initialGcnParameters, gcnParameterShapes, type GcnShape } from "./gcnNetwork.js";
import { GcnForward } from "./gcnForward.js";
import { GraphSet } from "./graphBatch.js";
import { epochBatches } from "./minibatches.js";
import { integer, number, oneOf, type Resolved } from "../options/schema.js";
import { standardScale, targetsOf } from "./targets.js";
import { FlatParameters } from "./parameters.js";
import { initTf, tf } from "./tf.js";
import { definePredictor, type FitOptions, type Prediction, type Predictor, type PredictorSnapshot } from "./types.js";

/** The GCN's options, with a variant's defaults for the training (the Neural Predictor's, or the ranking variant's). */
function gcnOptions(training: { epochs: number; batchSize: number; learningRate: number; pairwise: number; squared: number; listwise: number; members: number }) {
  return z.strictObject({
    width: integer({ min: 1, max: 4096, default: 144, description: "width of the graph-convolution layers" }),
    layers: integer({ min: 2, max: 16, default: 3, description: "graph-convolution layers" }),
    head: integer({ min: 1, max: 4096, default: 128, description: "width of the head's hidden layer" }),
    headActivation: oneOf(["none", "relu"], { default: "none", description: "between the head's layers: none (the reference code's linear head) or relu" }),
    dropout: number({ min: 0, max: 0.9, default: 0.1, description: "dropout rate" }),
    epochs: integer({ min: 1, default: training.epochs, description: "training epochs" }),
    batchSize: integer({ min: 1, default: training.batchSize, description: "graphs per optimiser step (the last partial batch is dropped)" }),
    learningRate: number({ min: 0, minExclusive: true, default: training.learningRate, description: "Adam's learning rate (cosine annealed)" }),
    weightDecay: number({ min: 0, default: 1e-3, description: "L2 penalty added to the gradient (PyTorch Adam's weight_decay)" }),
    // Bounds memory (~60 kB of wasm heap each, and the heap never shrinks); 1,024 to 4,096 run within 7% of each other.
    predictBatch: integer({ min: 1, max: 1 << 16, default: 2048, description: "architectures per forward pass when predicting" }),
    pairwise: number({ min: 0, default: training.pairwise, description: "weight of the pairwise logistic ranking loss (0: none, the reference's)" }),
    squared: number({ min: 0, default: training.squared, description: "weight of the mean squared error (0 beside a ranking loss, pairwise or listwise: that loss only)" }),
    listwise: number({ min: 0, default: training.listwise, description: "weight of the ListMLE loss (the batch's true order under the Plackett-Luce model; top-aware)" }),
    topEmphasis: number({ min: 0, max: 10, default: 0, description: "with pairwise: weight each ordered pair by exp(a t) of its better member's standardised target (0: all pairs alike)" }),
    members: integer({ min: 1, max: 32, default: training.members, description: "networks in the ensemble (with several, their spread is the predicted deviation)" }),
  });
}

/** The Neural Predictor's training: MSE, 300 epochs of batches of 10, lr 1e-4. */
export const GCN_OPTIONS = gcnOptions({ epochs: 300, batchSize: 10, learningRate: 1e-4, pairwise: 0, squared: 1, listwise: 0, members: 1 });
/** The ranking variant (the module's docstring says why and what was measured). */
export const GCN_RANK_OPTIONS = gcnOptions({ epochs: 50, batchSize: 32, learningRate: 2e-3, pairwise: 1, squared: 0, listwise: 0, members: 1 });
/** The ranking variant as an ensemble of 5 with a little MSE beside the ranking loss: the best top of the ranking measured, and a spread. */
export const GCN_RANK_ENSEMBLE_OPTIONS = gcnOptions({ epochs: 50, batchSize: 32, learningRate: 2e-3, pairwise: 1, squared: 0.1, listwise: 0, members: 5 });
/** The ranking variant trained with ListMLE alone (the module's docstring says why). */
export const GCN_LISTMLE_OPTIONS = gcnOptions({ epochs: 50, batchSize: 32, learningRate: 2e-3, pairwise: 0, squared: 0, listwise: 1, members: 1 });
export type GcnOptions = Resolved<typeof GCN_OPTIONS>;

/** A GCN predictor registered under `name` with its variant's options. */
export function gcnVariant(name: string, description: string, options: typeof GCN_OPTIONS) {
  return definePredictor({ name, description, options, create: (space, resolved) => new GcnPredictor(space, resolved, name) });
}

/** The seed of ensemble member m: the fit's own seed for the first, so that one member is the single network. */
function memberSeed(seed: number, member: number): number {
  return (seed + member * 0x9e3779b1) >>> 0;
}

class GcnPredictor<A> implements Predictor<A> {
  readonly hasUncertainty: boolean;
  private readonly encoding: GraphEncoding<A>;
  private readonly network: GcnNetwork;
  private fitted?: { members: readonly FlatParameters[]; forward: GcnForward; offset: number; scale: number };

  constructor(
    space: SearchSpace<A>,
    readonly options: GcnOptions,
    readonly name: string,
  ) {
    this.hasUncertainty = options.members > 1;
    if (space.graph === undefined) throw new InputError(`predictor 'gcn': the space ${space.name} has no graph encoding`);
    this.encoding = space.graph;
    const shape: GcnShape = { features: space.graph.features, width: options.width, layers: options.layers, head: options.head, headActivation: options.headActivation };
    this.network = new GcnNetwork(shape);
  }

  async fit(archs: readonly A[], accuracies: ArrayLike<number>, { seed }: FitOptions): Promise<void> {
    if (archs.length === 0 || archs.length !== accuracies.length) throw new InputError(`${this.name}: fit needs architectures with one accuracy each (got ${archs.length} and ${accuracies.length})`);
    await initTf();
    const graphs = new GraphSet(this.encoding, archs);
    const { offset, scale } = standardScale(accuracies);
    const targets = targetsOf(accuracies, { offset, scale });
    const members = Array.from({ length: this.options.members }, (_, m) => this.fitMember(graphs, targets, memberSeed(seed, m)));
    this.load(members, offset, scale);
  }

  /** One network trained from scratch on the standardised targets. */
  private fitMember(graphs: GraphSet<A>, targets: ArrayLike<number>, seed: number): FlatParameters {
    const { epochs, batchSize, learningRate, weightDecay, pairwise, squared, listwise, topEmphasis } = this.options;
    const rng = seededRng(seed);
    const parameters = initialGcnParameters(this.network.shape, rng);
    const adam = new Adam(parameters.values.length, { weightDecay });
    const names = gcnParameterShapes(this.network.shape).map(({ name }) => name);
    for (let epoch = 0; epoch < epochs; epoch++) {
      const lr = cosineAnnealed(learningRate, epoch, epochs);
      for (const rows of epochBatches(rng, targets.length, batchSize, true)) {
        const batch = new BatchTensors(graphs.batch(rows, false));
        tf.tidy(() => {
          const weights = Object.fromEntries(names.map((name) => [name, parameters.tensor(name)]));
          const y = tf.tensor2d(Float32Array.from(rows, (row) => targets[row]!), [rows.length, 1]);
          const gradients = this.network.gradients(weights, batch, y, this.dropoutMasks(rng, batch), { squared, pairwise, listwise, topEmphasis });
          for (const name of names) parameters.readGradient(name, gradients[name]!);
        });
        batch.dispose();
        adam.step(parameters.values, parameters.gradients, lr);
      }
    }
    return parameters;
  }

  async predict(archs: readonly A[]): Promise<Prediction> {
    const fitted = this.fitted;
    if (fitted === undefined) throw new Error(`${this.name}: predict() before fit()`);
    const count = fitted.members.length;
    const sum = new Float64Array(archs.length);
    const squares = new Float64Array(archs.length);
    for (let start = 0; start < archs.length; start += this.options.predictBatch) {
      const part = archs.slice(start, start + this.options.predictBatch);
      const batch = new GraphSet(this.encoding, part).batch(Int32Array.from(part, (_, i) => i), true);
      for (let m = 0; m < count; m++) {
        const values = fitted.forward.predict(batch, m);
        for (let i = 0; i < part.length; i++) {
          const value = fitted.offset + fitted.scale * values[i]!;
          sum[start + i]! += value;
          squares[start + i]! += value * value;
        }
      }
    }
    const mean = count === 1 ? sum : sum.map((total) => total / count);
    if (count === 1) return { mean };
    // The members' population deviation, as the MLP ensemble reports its spread.
    return { mean, std: mean.map((m, i) => Math.sqrt(Math.max(0, squares[i]! / count - m * m))) };
  }

  snapshot(): PredictorSnapshot {
    if (this.fitted === undefined) throw new Error(`${this.name}: snapshot() before fit()`);
    const { members, offset, scale } = this.fitted;
    const size = members[0]!.values.length;
    const parameters = new Float32Array(members.length * size);
    members.forEach((member, m) => parameters.set(member.values, m * size));
    return { predictor: this.name, options: this.options, state: { parameters, offset, scale } };
  }

  async restore(snapshot: PredictorSnapshot): Promise<void> {
    const { parameters, offset, scale } = snapshot.state;
    const size = parameters.length / this.options.members;
    const shapes = gcnParameterShapes(this.network.shape);
    this.load(
      Array.from({ length: this.options.members }, (_, m) => new FlatParameters(shapes, Float32Array.from(parameters.subarray(m * size, (m + 1) * size)))),
      offset,
      scale,
    );
  }

  dispose(): void {
    this.fitted = undefined;
  }

  /** Keeps fitted members and builds the prediction kernels' copy of their weights. */
  private load(members: readonly FlatParameters[], offset: number, scale: number): void {
    const forward = new GcnForward(
      this.network.shape,
      members.map((parameters) => (name: string) => parameters.view(name)),
    );
    this.fitted = { members, forward, offset, scale };
  }

  private dropoutMasks(rng: MersenneTwister, batch: BatchTensors): { layers: tf.Tensor[]; head: tf.Tensor } {
    const { width, layers, head, dropout } = this.options;
    const { rows, graphs } = batch.batch;
    const mask = (count: number, columns: number) => tf.tensor2d(fillDropoutMask(rng, new Float32Array(count * columns), dropout), [count, columns]);
    return { layers: Array.from({ length: layers }, () => mask(rows, width)), head: mask(graphs, head) };
  }
}

export const gcnPredictor = gcnVariant("gcn", "Neural Predictor (Wen et al.): directed GCN, 3 x 144, on the cell graph; MSE on standardised accuracy", GCN_OPTIONS);
export const gcnRankPredictor = gcnVariant(
  "gcn-rank",
  "the Neural Predictor's GCN trained to rank: pairwise logistic loss, batches of 32, 50 epochs, lr 2e-3",
  GCN_RANK_OPTIONS,
);
export const gcnListMlePredictor = gcnVariant(
  "gcn-listmle",
  "the Neural Predictor's GCN trained with the ListMLE listwise ranking loss (top-aware): batches of 32, 50 epochs, lr 2e-3",
  GCN_LISTMLE_OPTIONS,
);
export const gcnRankEnsemblePredictor = gcnVariant(
  "gcn-rank-ensemble",
  "5 ranking GCNs (pairwise logistic loss with MSE weight 0.1): the best top-of-space ranking, and a spread for UCB and Thompson sampling",
  GCN_RANK_ENSEMBLE_OPTIONS,
);
