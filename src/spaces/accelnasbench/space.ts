/**
 * The MnasNet space of Accel-NASBench (Ahmad et al. 2024) as a search space: 7 blocks, each with
 * an expansion factor, a kernel size, a number of layers and squeeze-and-excite on or off, the
 * choices of the authors' configspace.json; 104,485,552,128 architectures, never listed.
 *
 * It is a space of named choices (custom/choices.ts), so sampling (independent uniform choices),
 * mutation, edits, neighbours and the encodings (`onehot`, `ordinal`) are that space's. Two things
 * are its own: an architecture is written as its blocks, `e6k3l2se-...` (a compact and readable key,
 * and the `--blocks` flag), and values keep configspace.json's order, because the surrogates see an
 * architecture as ConfigSpace's array of value indices in that order (accel-nasbench/surrogate.ts).
 */
import { InputError } from "../../util/errors.js";
import { ChoicesSpace, type ChoicesArch, type ChoiceValue } from "../custom/choices.js";

export const BLOCKS = 7;

/** configspace.json: each choice's values in its order (squeeze-excite lists true first). */
export const CHOICES: Readonly<Record<string, readonly ChoiceValue[]>> = Object.fromEntries(
  Array.from({ length: BLOCKS }, (_, block) => [
    [`block${block}_e`, [1, 4, 6]],
    [`block${block}_k`, [3, 5]],
    [`block${block}_l`, block === 5 ? [1, 2, 3, 4] : [1, 2, 3]],
    [`block${block}_se`, [true, false]],
  ]).flat(),
);

const BLOCK = /^e(\d)k(\d)l(\d)(se)?$/;

export class AccelNasbenchSpace extends ChoicesSpace {
  constructor() {
    super("accel-nasbench", CHOICES);
  }

  /**
   * The blocks, `e<expansion>k<kernel>l<layers>` and `se` when squeeze-excite is on, joined by '-'.
   * Choices are in name order, so block b's are at 4b (e), 4b + 1 (k), 4b + 2 (l), 4b + 3 (se).
   */
  override key(arch: ChoicesArch): string {
    const value = (b: number, choice: number): ChoiceValue => this.values[4 * b + choice]![arch[4 * b + choice]!]!;
    return Array.from({ length: BLOCKS }, (_, b) => `e${value(b, 0)}k${value(b, 1)}l${value(b, 2)}${value(b, 3) === true ? "se" : ""}`).join("-");
  }

  override describe(arch: ChoicesArch): { arch: string } {
    return { arch: this.key(arch) };
  }

  /** The authors' form: choice name to value (a result file's `architecture`). */
  describeChoices(arch: ChoicesArch): Record<string, ChoiceValue> {
    return super.describe(arch);
  }

  /** The architecture of a blocks string (the key); InputError naming what is wrong. */
  parseBlocks(text: string): ChoicesArch {
    const blocks = text.trim().split("-");
    if (blocks.length !== BLOCKS) throw new InputError(`an Accel-NASBench architecture is ${BLOCKS} blocks joined by '-' (e.g. ${EXAMPLE}), got ${blocks.length} in '${text}'`);
    const choices: Record<string, ChoiceValue> = {};
    blocks.forEach((block, b) => {
      const match = BLOCK.exec(block);
      if (match === null) throw new InputError(`block ${b} of '${text}' is '${block}': a block is e<expansion>k<kernel>l<layers>, then 'se' when squeeze-excite is on (e.g. e6k3l2se)`);
      Object.assign(choices, { [`block${b}_e`]: Number(match[1]), [`block${b}_k`]: Number(match[2]), [`block${b}_l`]: Number(match[3]), [`block${b}_se`]: match[4] !== undefined });
    });
    return super.parse(choices);
  }

  /**
   * An architecture from {"arch": "e1k3l1-..."}, the blocks string itself, the authors' choice
   * object ({"block0_e": 4, ...}), or a result file of the benchmark ({"architecture": {...}}).
   */
  override parse(input: unknown): ChoicesArch {
    if (typeof input === "string") return this.parseBlocks(input);
    if (typeof input === "object" && input !== null && !Array.isArray(input)) {
      if ("arch" in input) {
        if (typeof input.arch !== "string") throw new InputError(`"arch" of an Accel-NASBench architecture is a string of blocks (e.g. ${EXAMPLE}), got ${JSON.stringify(input.arch)}`);
        return this.parseBlocks(input.arch);
      }
      if ("architecture" in input) return super.parse(input.architecture);
    }
    return super.parse(input);
  }
}

export const EXAMPLE = "e1k3l1-e6k3l2se-e6k5l2-e6k3l3-e6k5l3se-e6k5l4-e6k3l1";
