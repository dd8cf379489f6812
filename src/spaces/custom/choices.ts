/**
 * A space of named categorical choices, from a space file's `{"type": "choices", "choices":
 * {"depth": [2, 3, 4], "act": ["relu", "gelu"], ...}}`: the product of the choices (the form of
 * MnasNet and once-for-all spaces), often 10^9 to 10^20 architectures, never listed.
 *
 * An architecture is, for each choice, the index of its value; choices are kept in a canonical
 * order (their names sorted), so that the key (the architecture's JSON, names in that order) does
 * not depend on the order the file lists them in, while values keep the file's order (the ordinal
 * encoding ranks numeric values by size). Uniform draws are independent draws of every choice; a
 * mutation changes each choice with probability rate / (number of choices), at least one; an
 * edit changes one choice; the neighbourhood is every architecture with one choice changed.
 * Choices with a single value are constants: they appear in the architecture but are never edited
 * or encoded.
 */
import { InputError } from "../../util/errors.js";
import type { MersenneTwister } from "../../util/rng.js";
import type { CategoricalParameters, FeatureEncoding, SearchSpace } from "../types.js";

/** A value of a choice: a space file's are numbers and strings; a built-in space may also have flags (Accel-NASBench's squeeze-excite). */
export type ChoiceValue = number | string | boolean;
/** For each choice (in canonical order), the index of its value. */
export type ChoicesArch = readonly number[];

export class ChoicesSpace implements SearchSpace<ChoicesArch> {
  /** Choice names, in canonical order. */
  readonly names: readonly string[];
  readonly values: readonly (readonly ChoiceValue[])[];
  /** Architectures in the space (a float: it may exceed 2^53). */
  readonly size: number;
  readonly encodings: Readonly<Record<string, FeatureEncoding<ChoicesArch>>>;
  readonly defaultEncoding = "onehot";
  /** One parameter per variable choice, its value's index (the constants are no parameters, as Optuna leaves out single-valued ones). */
  readonly categorical: CategoricalParameters<ChoicesArch>;
  /** The choices with more than one value. */
  private readonly variable: readonly number[];

  constructor(
    readonly name: string,
    choices: Readonly<Record<string, readonly ChoiceValue[]>>,
  ) {
    this.names = Object.keys(choices).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    this.values = this.names.map((choice) => choices[choice]!);
    this.size = this.values.reduce((product, values) => product * values.length, 1);
    this.variable = this.values.flatMap((values, c) => (values.length > 1 ? [c] : []));
    const onehot = this.oneHot(this.variable);
    const numeric = this.variable.filter((c) => this.values[c]!.every((value) => typeof value === "number"));
    this.encodings = numeric.length === 0 ? { onehot } : { onehot, ordinal: this.ordinal(numeric) };
    const variable = this.variable;
    this.categorical = {
      names: variable.map((c) => this.names[c]!),
      cardinalities: variable.map((c) => this.values[c]!.length),
      valuesOf: (arch) => variable.map((c) => arch[c]!),
      archOf: (values) => {
        const arch = this.values.map(() => 0);
        variable.forEach((c, p) => (arch[c] = values[p]!));
        return arch;
      },
    };
  }

  key(arch: ChoicesArch): string {
    return JSON.stringify(this.describe(arch));
  }

  sampleUniform(rng: MersenneTwister): ChoicesArch {
    return this.values.map((values) => rng.below(values.length));
  }

  sampleNative(rng: MersenneTwister): ChoicesArch {
    return this.sampleUniform(rng);
  }

  mutate(arch: ChoicesArch, rng: MersenneTwister, rate = 1): ChoicesArch {
    const probability = rate / this.variable.length;
    while (true) {
      const child = [...arch];
      for (const c of this.variable) if (rng.random() < probability) child[c] = this.otherValue(arch[c]!, c, rng);
      if (child.some((value, c) => value !== arch[c])) return child;
    }
  }

  randomEdit(arch: ChoicesArch, rng: MersenneTwister, edits = 1): ChoicesArch | undefined {
    for (let attempt = 0; attempt < 100; attempt++) {
      const child = [...arch];
      for (let e = 0; e < edits; e++) {
        const c = this.variable[rng.below(this.variable.length)]!;
        child[c] = this.otherValue(child[c]!, c, rng);
      }
      if (child.some((value, c) => value !== arch[c])) return child;
    }
    return undefined;
  }

  neighbours(arch: ChoicesArch): ChoicesArch[] {
    return this.variable.flatMap((c) => this.values[c]!.flatMap((_, v) => (v === arch[c] ? [] : [arch.map((own, d) => (d === c ? v : own))])));
  }

  /** The architecture as the user writes it: choice name to value, names in canonical order. */
  describe(arch: ChoicesArch): Record<string, ChoiceValue> {
    return Object.fromEntries(this.names.map((choice, c) => [choice, this.values[c]![arch[c]!]!]));
  }

  /** An architecture from its JSON form: an object giving every choice one of its values. */
  parse(input: unknown): ChoicesArch {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
      throw new InputError(`an architecture of ${this.name} is an object of choice name to value (${this.names.join(", ")}), got ${JSON.stringify(input)}`);
    }
    const given = input as Record<string, unknown>;
    const unknown = Object.keys(given).filter((choice) => !this.names.includes(choice));
    if (unknown.length > 0) throw new InputError(`${this.name} has no choice ${unknown.map((c) => `'${c}'`).join(", ")} (its choices: ${this.names.join(", ")})`);
    return this.names.map((choice, c) => {
      if (!(choice in given)) throw new InputError(`the architecture gives no value for the choice '${choice}' (one of ${this.values[c]!.join(", ")})`);
      const index = this.values[c]!.indexOf(given[choice] as ChoiceValue);
      if (index < 0) throw new InputError(`the choice '${choice}' must be one of ${this.values[c]!.map((v) => JSON.stringify(v)).join(", ")}, got ${JSON.stringify(given[choice])}`);
      return index;
    });
  }

  /** A value of choice `c` other than `current`, uniformly. */
  private otherValue(current: number, c: number, rng: MersenneTwister): number {
    const other = rng.below(this.values[c]!.length - 1);
    return other >= current ? other + 1 : other;
  }

  /** One bit per value of every variable choice. */
  private oneHot(choices: readonly number[]): FeatureEncoding<ChoicesArch> {
    const offsets = choices.map((_, i) => choices.slice(0, i).reduce((sum, c) => sum + this.values[c]!.length, 0));
    const width = choices.reduce((sum, c) => sum + this.values[c]!.length, 0);
    return {
      width,
      encode: (archs, out) => {
        out.fill(0, 0, archs.length * width);
        archs.forEach((arch, row) => choices.forEach((c, i) => (out[row * width + offsets[i]! + arch[c]!] = 1)));
      },
    };
  }

  /** Numeric choices as their value's rank by size, in [0, 1]; the other variable choices one-hot. */
  private ordinal(numeric: readonly number[]): FeatureEncoding<ChoicesArch> {
    const categorical = this.oneHot(this.variable.filter((c) => !numeric.includes(c)));
    const ranks = numeric.map((c) => {
      const values = this.values[c] as readonly number[];
      const sorted = [...values].sort((a, b) => a - b);
      return values.map((value) => sorted.indexOf(value) / (values.length - 1));
    });
    const width = numeric.length + categorical.width;
    return {
      width,
      encode: (archs, out) => {
        const rest = new Float32Array(archs.length * categorical.width);
        categorical.encode(archs, rest);
        archs.forEach((arch, row) => {
          numeric.forEach((c, i) => (out[row * width + i] = ranks[i]![arch[c]!]!));
          out.set(rest.subarray(row * categorical.width, (row + 1) * categorical.width), row * width + numeric.length);
        });
      },
    };
  }
}
