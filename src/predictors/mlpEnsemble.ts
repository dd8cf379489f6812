/**
 * The BANANAS predictor (White et al.): an ensemble of MLPs on a flat encoding (the 364-bit path
 * encoding of NAS-Bench-101 by default), whose spread is the uncertainty.
 *
 * As in the reference (naszilla `meta_neural_net.py`, NAS-Bench-101 parameters): 5 members of 10
 * hidden layers x 20 ReLU units and a linear output, Glorot-uniform weights and zero biases (Keras
 * defaults), trained on the error in percent, 100 (1 - accuracy), of whatever accuracy the search
 * observes (BANANAS: validation accuracy), with the mean absolute error, Adam (lr 0.01, beta2
 * 0.99), batches of 32 (the last one smaller), 150 epochs. The prediction is the
 * members' mean, turned back into an accuracy; the deviation is the members' population standard
 * deviation (as BANANAS's acquisition takes it).
 *
 * Training runs the members as one network (mlpEnsembleNetwork.ts): each layer's weights for all
 * members side by side, the hidden ones block-diagonal, so that a step is ~110 kernels whatever
 * the ensemble size. Deviation from Keras: the members see the same minibatch order (each Keras model
 * shuffles on its own); they differ by their initial weights, the main source of diversity.
 * Prediction runs the members as separate networks (no wasted block-diagonal products), in a
 * kernel of its own (mlpForward.ts: a gather-sum over the encoding's non-zero entries, then the
 * small dense layers), with tfjs's numbers bit for bit.
 */
import { z } from "zod";
import { flatEncoding, type FeatureEncoding, type SearchSpace } from "../spaces/types.js";
import { InputError } from "../util/errors.js";
import { seededRng } from "../util/rng.js";
import { Adam } from "./adam.js";
import { epochBatches } from "./minibatches.js";
import { EnsembleLayout, EnsembleTrainer } from "./mlpEnsembleNetwork.js";
import { MlpForward } from "./mlpForward.js";
import { integer, number, type Resolved } from "../options/schema.js";
import { targetsOf, type TargetScale } from "./targets.js";
import { FlatParameters } from "./parameters.js";
import { initTf } from "./tf.js";
import { definePredictor, type FitOptions, type Prediction, type Predictor, type PredictorSnapshot } from "./types.js";

export const MLP_ENSEMBLE_OPTIONS = z.strictObject({
  encoding: z
    .string()
    .default("path")
    .meta({ description: "the flat encoding of the space to learn from", allowed: "the name of one of the space's flat encodings", default: "path" }),
  members: integer({ min: 1, max: 100, default: 5, description: "networks in the ensemble" }),
  layers: integer({ min: 1, max: 100, default: 10, description: "hidden layers per member" }),
  width: integer({ min: 1, max: 4096, default: 20, description: "units per hidden layer" }),
  epochs: integer({ min: 1, default: 150, description: "training epochs" }),
  batchSize: integer({ min: 1, default: 32, description: "architectures per optimiser step" }),
  learningRate: number({ min: 0, minExclusive: true, default: 0.01, description: "Adam's learning rate" }),
  // Bounds memory (~2 kB each); 4096 is the fastest.
  predictBatch: integer({ min: 1, max: 1 << 20, default: 4096, description: "architectures per forward pass when predicting" }),
});
export type MlpEnsembleOptions = Resolved<typeof MLP_ENSEMBLE_OPTIONS>;

/**
 * BANANAS's Adam: Keras `Adam(beta_1=0.9, beta_2=0.99)`, epsilon 1e-7 as Keras's default (Keras adds
 * it to sqrt(v) before the bias correction, adam.ts after: a difference of at most a factor
 * sqrt(1 - 0.99^t) on a 1e-7 term).
 */
const ADAM = { beta1: 0.9, beta2: 0.99, epsilon: 1e-7 };

/** The network learns the error in percent, 100 (1 - accuracy). */
const TARGET: TargetScale = { offset: 1, scale: -0.01 };

class MlpEnsemblePredictor<A> implements Predictor<A> {
  readonly name = "mlp-ensemble";
  readonly hasUncertainty = true;
  private readonly encoding: FeatureEncoding<A>;
  private readonly layout: EnsembleLayout;
  private parameters?: FlatParameters;
  /** The fitted ensemble's forward pass, for prediction. */
  private forward?: MlpForward;

  constructor(
    space: SearchSpace<A>,
    readonly options: MlpEnsembleOptions,
  ) {
    this.encoding = flatEncoding(space, options.encoding, "predictor mlp-ensemble");
    this.layout = new EnsembleLayout(this.encoding.width, options.width, options.layers, options.members);
  }

  async fit(archs: readonly A[], accuracies: ArrayLike<number>, { seed }: FitOptions): Promise<void> {
    if (archs.length === 0 || archs.length !== accuracies.length) throw new InputError(`mlp-ensemble: fit needs architectures with one accuracy each (got ${archs.length} and ${accuracies.length})`);
    await initTf();
    const { epochs, batchSize, learningRate } = this.options;
    const rng = seededRng(seed);
    const parameters = this.layout.initialParameters(rng);
    const features = new Float32Array(archs.length * this.encoding.width);
    this.encoding.encode(archs, features);
    const targets = targetsOf(accuracies, TARGET);
    const trainer = new EnsembleTrainer(this.layout, features, targets);
    const adam = new Adam(parameters.values.length, ADAM);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (const batch of epochBatches(rng, archs.length, batchSize, false)) {
        trainer.gradient(parameters, batch);
        adam.step(parameters.values, parameters.gradients, learningRate);
      }
    }
    this.load(parameters);
  }

  async predict(archs: readonly A[]): Promise<Prediction> {
    const forward = this.forward;
    if (forward === undefined) throw new Error("mlp-ensemble: predict() before fit()");
    const members = this.options.members;
    const mean = new Float64Array(archs.length);
    const std = new Float64Array(archs.length);
    forward.reserve(Math.min(this.options.predictBatch, archs.length));
    for (let start = 0; start < archs.length; start += this.options.predictBatch) {
      const part = archs.slice(start, start + this.options.predictBatch);
      this.encoding.encode(part, forward.inputs);
      forward.forward(part.length);
      const outputs = forward.outputs;
      for (let i = 0; i < part.length; i++) {
        let sum = 0;
        let squares = 0;
        for (let k = 0; k < members; k++) {
          const accuracy = TARGET.offset + TARGET.scale * outputs[i * members + k]!;
          sum += accuracy;
          squares += accuracy * accuracy;
        }
        const m = sum / members;
        mean[start + i] = m;
        std[start + i] = Math.sqrt(Math.max(0, squares / members - m * m));
      }
    }
    return { mean, std };
  }

  snapshot(): PredictorSnapshot {
    if (this.parameters === undefined) throw new Error("mlp-ensemble: snapshot() before fit()");
    return { predictor: this.name, options: this.options, state: { parameters: this.parameters.values.slice(), ...TARGET } };
  }

  async restore(snapshot: PredictorSnapshot): Promise<void> {
    this.load(this.layout.parameters(Float32Array.from(snapshot.state.parameters)));
  }

  dispose(): void {
    this.forward = undefined;
    this.parameters = undefined;
  }

  /** Keeps fitted parameters and builds the forward kernel prediction runs on. */
  private load(parameters: FlatParameters): void {
    this.parameters = parameters;
    const names = this.layout.memberLayers();
    const { members, layers, width } = this.options;
    this.forward = new MlpForward(
      { inputWidth: this.encoding.width, width, hiddenLayers: layers, members },
      (member, layer) => parameters.view(names[member]![layer]!.weights),
      (member, layer) => parameters.view(names[member]![layer]!.bias),
    );
  }
}

export const mlpEnsemblePredictor = definePredictor({
  name: "mlp-ensemble",
  description: "BANANAS: ensemble of 5 MLPs (10 x 20 ReLU) on the path encoding, MAE on the error in percent; mean and spread",
  options: MLP_ENSEMBLE_OPTIONS,
  create: (space, options) => new MlpEnsemblePredictor(space, options),
});
