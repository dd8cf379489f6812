/**
 * The MLP ensemble as one network for training: layer l of all K members becomes one weight
 * matrix, the members' blocks side by side (the first layer, which reads the shared input) or on
 * the diagonal (hidden and output layers, zero elsewhere). Members never mix: off-block weights
 * are zero and their gradients are dropped. One step is then ~110 tfjs kernels for any K, where
 * K separate networks would take K times as many (kernel count, not FLOPs, dominates at 20 units).
 *
 * Forward and backward are written out with plain 2-D matMuls (transposes made explicit): the
 * wasm backend's fast XNNPACK path takes no transpose flags, and tfjs-core's Node build has no
 * gradients to differentiate with anyway.
 */
import type { MersenneTwister } from "../util/rng.js";
import { FlatParameters, fillUniform, glorotBound, type ParameterShape } from "./parameters.js";
import { tf } from "./tf.js";

interface LayerNames {
  readonly weights: string;
  readonly bias: string;
}

/** Shapes and names of the members' parameters, and how they sit in the combined network. */
export class EnsembleLayout {
  readonly shapes: ParameterShape[] = [];

  constructor(
    readonly inputWidth: number,
    readonly width: number,
    readonly hiddenLayers: number,
    readonly members: number,
  ) {
    for (let k = 0; k < members; k++) {
      for (let l = 0; l <= hiddenLayers; l++) {
        const { weights, bias } = layerNames(k, l);
        this.shapes.push({ name: weights, shape: [this.fanIn(l), this.fanOut(l)] }, { name: bias, shape: [this.fanOut(l)] });
      }
    }
  }

  /** Glorot-uniform weights and zero biases (Keras's Dense defaults), member after member. */
  initialParameters(rng: MersenneTwister): FlatParameters {
    const parameters = new FlatParameters(this.shapes);
    for (let k = 0; k < this.members; k++) {
      for (let l = 0; l <= this.hiddenLayers; l++) fillUniform(rng, parameters.view(layerNames(k, l).weights), glorotBound(this.fanIn(l), this.fanOut(l)));
    }
    return parameters;
  }

  parameters(values: Float32Array): FlatParameters {
    return new FlatParameters(this.shapes, values);
  }

  /** Each member's layers, input to output. */
  memberLayers(): LayerNames[][] {
    return Array.from({ length: this.members }, (_, k) => Array.from({ length: this.hiddenLayers + 1 }, (_, l) => layerNames(k, l)));
  }

  fanIn(layer: number): number {
    return layer === 0 ? this.inputWidth : this.width;
  }

  fanOut(layer: number): number {
    return layer === this.hiddenLayers ? 1 : this.width;
  }

  /** Shape of layer `layer`'s combined weight matrix. */
  combinedShape(layer: number): [number, number] {
    return [layer === 0 ? this.inputWidth : this.members * this.width, this.members * this.fanOut(layer)];
  }

  /**
   * Copies member `member`'s weights of layer `layer` into the combined matrix (`toCombined`),
   * or the combined matrix's block back into the member's array.
   */
  copyBlock(layer: number, member: number, memberWeights: Float32Array, combined: Float32Array, toCombined: boolean): void {
    const rows = this.fanIn(layer);
    const cols = this.fanOut(layer);
    const combinedCols = this.combinedShape(layer)[1];
    const rowStart = layer === 0 ? 0 : member * this.width;
    const colStart = member * cols;
    // Plain loops: rows are ~20 floats, too short for subarray + set to pay off.
    for (let i = 0; i < rows; i++) {
      const at = (rowStart + i) * combinedCols + colStart;
      const own = i * cols;
      if (toCombined) for (let j = 0; j < cols; j++) combined[at + j] = memberWeights[own + j]!;
      else for (let j = 0; j < cols; j++) memberWeights[own + j] = combined[at + j]!;
    }
  }
}

function layerNames(member: number, layer: number): LayerNames {
  return { weights: `m${member}.w${layer}`, bias: `m${member}.b${layer}` };
}

/**
 * Computes the gradient of the ensemble's loss on one minibatch: the sum over members of the mean
 * absolute error, so that each member gets exactly its own MAE gradient.
 */
export class EnsembleTrainer {
  /** Combined weights, biases and their gradients per layer, reused across steps (off-block entries stay zero). */
  private readonly weights: Float32Array[];
  private readonly biases: Float32Array[];
  private readonly weightGradients: Float32Array[];
  private readonly biasGradients: Float32Array[];
  private readonly names: LayerNames[][];

  constructor(
    private readonly layout: EnsembleLayout,
    /** Training rows, `layout.inputWidth` features each. */
    private readonly features: Float32Array,
    private readonly targets: Float32Array,
  ) {
    const layers = Array.from({ length: layout.hiddenLayers + 1 }, (_, l) => layout.combinedShape(l));
    this.weights = layers.map(([rows, cols]) => new Float32Array(rows * cols));
    this.weightGradients = layers.map(([rows, cols]) => new Float32Array(rows * cols));
    this.biases = layers.map(([, cols]) => new Float32Array(cols));
    this.biasGradients = layers.map(([, cols]) => new Float32Array(cols));
    this.names = layout.memberLayers();
  }

  /** Writes the gradient of the loss on rows `batch` into `parameters.gradients`. */
  gradient(parameters: FlatParameters, batch: Int32Array): void {
    this.combine((name) => parameters.view(name), this.weights, this.biases, true);
    tf.tidy(() => this.backpropagate(batch));
    this.combine((name) => parameters.gradient(name), this.weightGradients, this.biasGradients, false);
  }

  /**
   * Runs in the transposed domain, activations as [units, batch] columns: each product then has
   * a small activation matrix as its right operand, which XNNPACK repacks at every call (~7 ns per
   * float), rather than a weight matrix that is new at every step (10k-36k floats).
   */
  private backpropagate(batch: Int32Array): void {
    const { layout } = this;
    const width = layout.inputWidth;
    const depth = layout.hiddenLayers + 1;
    const size = batch.length;
    const xT = new Float32Array(width * size);
    batch.forEach((row, i) => {
      for (let f = 0; f < width; f++) xT[f * size + i] = this.features[row * width + f]!;
    });
    const y = tf.tensor2d(Float32Array.from(batch, (row) => this.targets[row]!), [1, size]);
    const w = this.weights.map((values, l) => tf.tensor2d(values, layout.combinedShape(l)));
    // Forward: a[l + 1] = relu(w[l]^T a[l] + b[l]), a[0] the input, columns = batch rows.
    const a: tf.Tensor[] = [tf.tensor2d(xT, [width, size])];
    for (let l = 0; l < depth; l++) {
      const z = tf.add(tf.matMul(tf.transpose(w[l]!), a[l]!), tf.tensor2d(this.biases[l]!, [this.biases[l]!.length, 1]));
      a.push(l < depth - 1 ? tf.relu(z) : z);
    }
    // d/d(output) of sum_k mean_i |output_ki - y_i|, then back through the layers.
    let dz: tf.Tensor = tf.mul(tf.sign(tf.sub(a[depth]!, y)), 1 / size);
    for (let l = depth - 1; l >= 0; l--) {
      if (l < depth - 1) dz = tf.mul(dz, tf.step(a[l + 1]!));
      this.weightGradients[l]!.set(tf.matMul(a[l]!, tf.transpose(dz)).dataSync() as Float32Array);
      this.biasGradients[l]!.set(tf.sum(dz, 1).dataSync() as Float32Array);
      if (l > 0) dz = tf.matMul(w[l]!, dz);
    }
  }

  /** Copies every member's blocks between its flat views and the combined per-layer arrays. */
  private combine(view: (name: string) => Float32Array, weights: Float32Array[], biases: Float32Array[], toCombined: boolean): void {
    const { layout } = this;
    for (let l = 0; l <= layout.hiddenLayers; l++) {
      const fanOut = layout.fanOut(l);
      for (let k = 0; k < layout.members; k++) {
        const { weights: weightName, bias: biasName } = this.names[k]![l]!;
        layout.copyBlock(l, k, view(weightName), weights[l]!, toCombined);
        const combinedBias = biases[l]!.subarray(k * fanOut, (k + 1) * fanOut);
        if (toCombined) combinedBias.set(view(biasName));
        else view(biasName).set(combinedBias);
      }
    }
  }
}
