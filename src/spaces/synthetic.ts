/**
 * A small synthetic space for tests, where everything is known: architectures are bit strings of
 * length L (2^L of them), an edit flips one bit, and the accuracy is a fixed function with a
 * unique best architecture (the hidden `target` bit string), smooth enough for a predictor to
 * learn: accuracy = 0.5 + 0.4 * (bits agreeing with the target) / L + tiny index-dependent jitter.
 */
import { InputError } from "../util/errors.js";
import type { MersenneTwister } from "../util/rng.js";
import type { CategoricalParameters, Problem, SearchSpace } from "./types.js";

export type Bits = number;

export class BitStringSpace implements SearchSpace<Bits> {
  readonly name = "bitstrings";
  readonly enumeration;
  readonly encodings;
  /** One binary parameter per bit. */
  readonly categorical: CategoricalParameters<Bits>;

  constructor(readonly length: number) {
    if (!Number.isInteger(length) || length < 2 || length > 20) throw new RangeError(`bit strings of length 2..20, got ${length}`);
    this.enumeration = {
      size: 2 ** length,
      at: (index: number) => index,
      indexOf: (bits: Bits) => bits,
      indexOfKey: (key: string) => (key.length === length && /^[01]+$/.test(key) ? parseInt(key, 2) : -1),
    };
    this.encodings = {
      bits: {
        width: length,
        encode: (archs: readonly Bits[], out: Float32Array) =>
          archs.forEach((bits, row) => {
            for (let i = 0; i < length; i++) out[row * length + i] = (bits >>> i) & 1;
          }),
      },
    };
    this.categorical = {
      names: Array.from({ length }, (_, i) => `bit ${i}`),
      cardinalities: Array.from({ length }, () => 2),
      valuesOf: (bits) => Array.from({ length }, (_, i) => (bits >>> i) & 1),
      archOf: (values) => values.reduce((bits, bit, i) => bits | (bit << i), 0),
    };
  }

  key(bits: Bits): string {
    return bits.toString(2).padStart(this.length, "0");
  }

  sampleUniform(rng: MersenneTwister): Bits {
    return rng.below(2 ** this.length);
  }

  sampleNative(rng: MersenneTwister): Bits {
    return this.sampleUniform(rng);
  }

  mutate(bits: Bits, rng: MersenneTwister, rate = 1): Bits {
    while (true) {
      let child = bits;
      for (let i = 0; i < this.length; i++) if (rng.random() < rate / this.length) child ^= 1 << i;
      if (child !== bits) return child;
    }
  }

  randomEdit(bits: Bits, rng: MersenneTwister, edits = 1): Bits | undefined {
    let child = bits;
    for (let e = 0; e < edits; e++) child ^= 1 << rng.below(this.length);
    return child === bits ? undefined : child;
  }

  neighbours(bits: Bits): Bits[] {
    return Array.from({ length: this.length }, (_, i) => bits ^ (1 << i));
  }

  describe(bits: Bits): unknown {
    return { bits: this.key(bits) };
  }
}

/** The synthetic problem: its accuracies, and the known best architecture. */
export function bitStringProblem(length: number, target: Bits): Problem<Bits> & { readonly best: Bits } {
  const space = new BitStringSpace(length);
  const truths = new Float64Array(2 ** length);
  for (let bits = 0; bits < truths.length; bits++) {
    let agree = 0;
    for (let i = 0; i < length; i++) if (((bits ^ target) >>> i) & 1) continue;
    else agree++;
    // The jitter breaks ties without changing which string is best (it is below 0.4 / L).
    truths[bits] = 0.5 + (0.4 * agree) / length + (((bits * 2654435761) >>> 0) / 2 ** 32) * (0.1 / length);
  }
  return {
    spec: { space: space.name, objective: "test-mean" },
    space,
    objective: "test-mean",
    truths,
    truthLabel: "mean test accuracy",
    best: target,
    oracle: { observe: (bits) => ({ value: truths[bits]!, truth: truths[bits]! }) },
    benchmark: {
      source: { table: "synthetic" },
      metrics: [{ name: "accuracy", label: "accuracy" }],
      missing: [],
      values: () => truths,
      query: (bits) => ({ bits: space.key(bits), accuracy: truths[bits]! }),
    },
    parse: (input) => {
      const index = typeof input === "string" ? space.enumeration.indexOfKey(input) : -1;
      if (index < 0) throw new InputError(`not a bit string of length ${length}: ${JSON.stringify(input)}`);
      return index;
    },
  };
}
