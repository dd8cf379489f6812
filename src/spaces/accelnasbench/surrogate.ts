/**
 * A boosted tree ensemble (an XGBoost regressor) evaluated as xgboost 1.7 evaluates it, to the bit.
 *
 * Hand-written because it is the domain's hot loop: every query of a search on Accel-NASBench, and
 * every architecture of a large uniform sample of the surrogate, goes through it, and no npm
 * library evaluates xgboost models both exactly and without a native build. Exactness needs
 * xgboost's float32 arithmetic: the prediction starts at the float32 base score and adds each
 * tree's leaf in tree order, rounding to float32 after every addition (xgboost's CPU predictor
 * accumulates into a float vector), hence `Math.fround` after each sum. A split sends x left when
 * x < its threshold; the inputs here are choice indices (small integers), so the stored form keeps
 * the smallest index that goes right instead of the threshold.
 *
 * The stored form (scripts/accel_surrogates.py, "compact form"): a tree's nodes in preorder (a
 * split, its left subtree, then its right one), one byte each, LEAF or feature * CUTS + cut; the
 * leaves' float32 values in preorder in `leaf`.
 */
export const LEAF = 255;
export const CUTS = 8;

export class TreeEnsemble {
  /** Where each tree's root is. */
  readonly roots: Int32Array;
  /** For a split, the feature it tests; LEAF for a leaf. */
  private readonly feature: Uint8Array;
  /** For a split, the smallest feature value that goes right. */
  private readonly cut: Uint8Array;
  /** For a split, the node of its right subtree (its left one is the next node). */
  private readonly right: Int32Array;
  /** A leaf's value, by node. */
  private readonly value: Float32Array;

  constructor(
    nodes: Uint8Array,
    leaf: Float32Array,
    readonly baseScore: number,
    /** How many features an input has: a split on a feature beyond them is a damaged model. */
    features: number,
  ) {
    if (Math.fround(baseScore) !== baseScore) throw new Error(`the base score ${baseScore} is not a float32`);
    this.feature = nodes.map((node) => (node === LEAF ? LEAF : Math.floor(node / CUTS)));
    this.cut = nodes.map((node) => node % CUTS);
    this.right = new Int32Array(nodes.length);
    this.value = new Float32Array(nodes.length);
    const roots: number[] = [];
    let leaves = 0;
    let node = 0;
    // Reads the subtree at `node`, leaving `node` just after it.
    const subtree = (depth: number): void => {
      if (node >= nodes.length) throw new Error(`a tree ensemble ends inside a tree (tree ${roots.length - 1})`);
      const at = node++;
      if (this.feature[at] === LEAF) {
        if (leaves >= leaf.length) throw new Error(`a tree ensemble has more leaves than its ${leaf.length} values`);
        this.value[at] = leaf[leaves++]!;
        return;
      }
      if (this.feature[at]! >= features) throw new Error(`a split of tree ${roots.length - 1} tests feature ${this.feature[at]}, and there are ${features}`);
      if (depth > 64) throw new Error(`tree ${roots.length - 1} is deeper than 64 levels`);
      subtree(depth + 1);
      this.right[at] = node;
      subtree(depth + 1);
    };
    while (node < nodes.length) {
      roots.push(node);
      subtree(0);
    }
    if (leaves !== leaf.length) throw new Error(`a tree ensemble has ${leaf.length} leaf values for ${leaves} leaves`);
    this.roots = Int32Array.from(roots);
  }

  get trees(): number {
    return this.roots.length;
  }

  /** xgboost's prediction (a float32) for one input: feature values by index (here, choice indices). */
  predict(input: ArrayLike<number>): number {
    const { feature, cut, right, value, roots } = this;
    let sum = this.baseScore;
    for (let t = 0; t < roots.length; t++) {
      let node = roots[t]!;
      let tested = feature[node]!;
      while (tested !== LEAF) {
        node = input[tested]! < cut[node]! ? node + 1 : right[node]!;
        tested = feature[node]!;
      }
      sum = Math.fround(sum + value[node]!);
    }
    return sum;
  }
}
