/**
 * A network's parameters as one flat Float32Array with named, shaped views, and the seeded
 * initialisations the predictors use.
 *
 * Flat on purpose: the optimizer (adam.ts) updates every parameter in one pass, a snapshot is one
 * array to copy to a worker thread, and the tensors the network computes with are rebuilt from
 * the views (a copy into the wasm heap, ~15 us per tensor).
 */
import type { MersenneTwister } from "../util/rng.js";
import { tf } from "./tf.js";

export interface ParameterShape {
  readonly name: string;
  readonly shape: readonly number[];
}

interface Entry {
  readonly shape: readonly number[];
  readonly offset: number;
  readonly size: number;
}

export class FlatParameters {
  readonly values: Float32Array;
  /** Gradients, laid out as `values`. */
  readonly gradients: Float32Array;
  private readonly entries = new Map<string, Entry>();

  constructor(
    readonly shapes: readonly ParameterShape[],
    values?: Float32Array,
  ) {
    let offset = 0;
    for (const { name, shape } of shapes) {
      const size = shape.reduce((a, b) => a * b, 1);
      this.entries.set(name, { shape, offset, size });
      offset += size;
    }
    if (values !== undefined && values.length !== offset) throw new Error(`expected ${offset} parameter values, got ${values.length}`);
    this.values = values ?? new Float32Array(offset);
    this.gradients = new Float32Array(offset);
  }

  view(name: string): Float32Array {
    const { offset, size } = this.entry(name);
    return this.values.subarray(offset, offset + size);
  }

  gradient(name: string): Float32Array {
    const { offset, size } = this.entry(name);
    return this.gradients.subarray(offset, offset + size);
  }

  /** A tensor holding the current values of one parameter (the caller disposes it). */
  tensor(name: string): tf.Tensor {
    return tf.tensor(this.view(name), this.entry(name).shape as number[], "float32");
  }

  /** Copies a computed gradient tensor into the gradient view of its parameter. */
  readGradient(name: string, gradient: tf.Tensor): void {
    this.gradient(name).set(gradient.dataSync() as Float32Array);
  }

  private entry(name: string): Entry {
    const entry = this.entries.get(name);
    if (entry === undefined) throw new Error(`no parameter named '${name}'`);
    return entry;
  }
}

/** Fills `out` uniformly in [-bound, bound). */
export function fillUniform(rng: MersenneTwister, out: Float32Array, bound: number): void {
  for (let i = 0; i < out.length; i++) out[i] = (2 * rng.random() - 1) * bound;
}

/** Glorot (Xavier) uniform bound: Keras's default kernel initialiser and the GCN layers' in the reference. */
export function glorotBound(fanIn: number, fanOut: number): number {
  return Math.sqrt(6 / (fanIn + fanOut));
}

/** PyTorch's default `nn.Linear` weight bound (kaiming_uniform with a = sqrt(5)): 1/sqrt(fan_in). */
export function torchLinearBound(fanIn: number): number {
  return 1 / Math.sqrt(fanIn);
}
