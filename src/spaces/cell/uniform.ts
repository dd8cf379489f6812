/**
 * Uniform draws over the unique cells of a cell space (rules.ts) without listing it: rejection
 * sampling in two stages, so that every cell (every class of isomorphic labelled graphs) is
 * equally likely, as NAS-Bench-101's catalogue draws them, in spaces far too large to list.
 *
 * 1. A representation is drawn uniformly among all pruned ones: k vertices (input first, output
 *    last), e edges between them (k - 1 <= e <= maxEdges), an op for each interior vertex. A cell
 *    is pruned when every vertex but the input has an in-edge and every vertex but the output an
 *    out-edge (following in-edges back then reaches the input, out-edges the output). The draw
 *    is exact, without rejection: vertex by vertex, the in-degree and how many of the sources are
 *    vertices still without an out-edge, weighted by the number of ways to complete the cell
 *    (a dynamic programme over vertex, edges left and vertices still without an out-edge), then
 *    the sources uniformly; (k, e) is drawn in proportion to the number of such graphs times
 *    O^(k-2).
 * 2. A cell of k vertices has R = L / |Aut| pruned representations (L: orderings of its interior
 *    vertices along its edges, |Aut|: its symmetries, op-preserving), so stage 1 draws it with
 *    probability proportional to R; it is kept with probability 1 / R.
 *
 * Counting L is a dynamic programme over subsets of the interior vertices and |Aut| a search over
 * colour-refined candidates; both grow with 2^(V-2) and (V-2)! at worst, which is why a space
 * file's cells have at most 10 vertices (custom/file.ts).
 */
import type { MersenneTwister } from "../../util/rng.js";
import type { CellRules } from "./rules.js";

/** One pruned representation: a k x k row-major matrix and k labels (-1 input, -2 output, op index). */
export interface DrawnCell {
  readonly matrix: Uint8Array;
  readonly n: number;
  readonly labels: Int8Array;
}

function binomial(n: number, k: number): number {
  let value = 1;
  for (let i = 1; i <= k; i++) value = (value * (n - k + i)) / i;
  return value;
}

/**
 * completions[j][left][open]: ways to choose the in-edges of vertices j..k-1 of a k-vertex cell,
 * `left` edges in all, each vertex getting at least one, when `open` of the vertices before j
 * still have no out-edge, such that every vertex but the output ends with one.
 */
function completions(k: number, maxEdges: number): Float64Array[][] {
  const table: Float64Array[][] = [];
  table[k] = Array.from({ length: maxEdges + 1 }, (_, left) => Float64Array.from({ length: k + 1 }, (_, open) => (left === 0 && open === 0 ? 1 : 0)));
  for (let j = k - 1; j >= 1; j--) {
    table[j] = Array.from({ length: maxEdges + 1 }, (_, left) =>
      Float64Array.from({ length: k + 1 }, (_, open) => {
        let ways = 0;
        if (open > j) return 0;
        for (const step of steps(j, open, left, k)) ways += step.ways * table[j + 1]![left - step.degree]![step.open]!;
        return ways;
      }),
    );
  }
  return table;
}

/** The choices for vertex j's in-edges: `degree` sources, `closing` of them among the `open` vertices. */
function steps(j: number, open: number, left: number, k: number): { degree: number; closing: number; ways: number; open: number }[] {
  const found = [];
  for (let degree = 1; degree <= Math.min(j, left); degree++) {
    for (let closing = Math.max(0, degree - (j - open)); closing <= Math.min(open, degree); closing++) {
      // Vertex j itself has no out-edge yet, unless it is the output, which needs none.
      found.push({ degree, closing, ways: binomial(open, closing) * binomial(j - open, degree - closing), open: open - closing + (j < k - 1 ? 1 : 0) });
    }
  }
  return found;
}

interface Step {
  readonly degree: number;
  readonly closing: number;
  /** Cumulative weight of this step and the ones before it. */
  readonly cumulative: number;
}

export class UniformCellSampler {
  /** (vertices, edges) pairs with their cumulative weights. */
  private readonly shapes: { readonly vertices: number; readonly edges: number; readonly cumulative: number }[] = [];
  private readonly total: number;
  /** choices[k][j][left][open]: the steps for vertex j of a k-vertex cell, weighted by their completions. */
  private readonly choices: Step[][][][][] = [];

  constructor(readonly rules: CellRules) {
    let cumulative = 0;
    for (let k = 2; k <= rules.vertices; k++) {
      const ways = completions(k, rules.maxEdges);
      this.choices[k] = Array.from({ length: k }, (_, j) =>
        Array.from({ length: rules.maxEdges + 1 }, (_, left) =>
          Array.from({ length: k + 1 }, (_, open) => {
            let sum = 0;
            if (j === 0 || open > j) return [];
            return steps(j, open, left, k).map((step) => ({ degree: step.degree, closing: step.closing, cumulative: (sum += step.ways * ways[j + 1]![left - step.degree]![step.open]!) }));
          }),
        ),
      );
      for (let e = k - 1; e <= Math.min(rules.maxEdges, (k * (k - 1)) / 2); e++) {
        cumulative += ways[1]![e]![1]! * rules.ops.length ** (k - 2);
        this.shapes.push({ vertices: k, edges: e, cumulative });
      }
    }
    this.total = cumulative;
  }

  sample(rng: MersenneTwister): DrawnCell {
    while (true) {
      const drawn = this.drawRepresentation(rng);
      const representations = linearExtensions(drawn) / automorphisms(drawn);
      if (rng.random() * representations < 1) return drawn;
    }
  }

  /** Stage 1: a uniform pruned representation. */
  private drawRepresentation(rng: MersenneTwister): DrawnCell {
    const u = rng.random() * this.total;
    const shape = this.shapes.find((s) => u < s.cumulative) ?? this.shapes[this.shapes.length - 1]!;
    const n = shape.vertices;
    const choices = this.choices[n]!;
    const matrix = new Uint8Array(n * n);
    const open = [0];
    const closed: number[] = [];
    let left = shape.edges;
    for (let j = 1; j < n; j++) {
      const options = choices[j]![left]![open.length]!;
      const x = rng.random() * options[options.length - 1]!.cumulative;
      const { degree, closing } = options.find((step) => x < step.cumulative) ?? options[options.length - 1]!;
      // The sources: `closing` open vertices and the rest among the closed ones, uniformly.
      const closedNow = pickInto(open, closing, rng);
      for (const v of [...closedNow, ...pickInto([...closed], degree - closing, rng)]) matrix[v * n + j] = 1;
      closed.push(...closedNow);
      if (j < n - 1) open.push(j);
      left -= degree;
    }
    const labels = new Int8Array(n);
    labels[0] = -1;
    labels[n - 1] = -2;
    for (let v = 1; v < n - 1; v++) labels[v] = rng.below(this.rules.ops.length);
    return { matrix, n, labels };
  }
}

/** Removes `count` uniformly chosen items from `items` (a partial Fisher-Yates shuffle) and returns them. */
function pickInto(items: number[], count: number, rng: MersenneTwister): number[] {
  for (let i = 0; i < count; i++) {
    const pick = i + rng.below(items.length - i);
    [items[i], items[pick]] = [items[pick]!, items[i]!];
  }
  return items.splice(0, count);
}

/** Orderings of the interior vertices compatible with the edges (input first, output last in all). */
export function linearExtensions({ matrix, n }: DrawnCell): number {
  const m = n - 2;
  // before[i]: interior predecessors of interior vertex i + 1, as a bit mask.
  const before = new Int32Array(m);
  for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) if (matrix[(j + 1) * n + (i + 1)]) before[i]! |= 1 << j;
  const ways = new Float64Array(1 << m);
  ways[0] = 1;
  for (let placed = 0; placed < 1 << m; placed++) {
    if (ways[placed] === 0) continue;
    for (let i = 0; i < m; i++) {
      if ((placed >>> i) & 1 || (before[i]! & placed) !== before[i]) continue;
      ways[placed | (1 << i)]! += ways[placed]!;
    }
  }
  return ways[(1 << m) - 1]!;
}

/** Permutations of the interior vertices that keep every edge and op (input and output stay). */
export function automorphisms({ matrix, n, labels }: DrawnCell): number {
  const colour = refinedColours(matrix, n, labels);
  // Most cells have no symmetry: every vertex is told apart by its colour.
  if (new Set(colour).size === n) return 1;
  const image = new Int32Array(n).fill(-1);
  const used = new Uint8Array(n);
  image[0] = 0;
  image[n - 1] = n - 1;
  used[0] = used[n - 1] = 1;
  const extend = (v: number): number => {
    if (v === n - 1) return 1;
    let count = 0;
    for (let w = 1; w < n - 1; w++) {
      if (used[w] || colour[w] !== colour[v]) continue;
      let consistent = true;
      for (let u = 0; u < n && consistent; u++) {
        const mapped = image[u]!;
        if (mapped < 0) continue;
        consistent = matrix[u * n + v] === matrix[mapped * n + w] && matrix[v * n + u] === matrix[w * n + mapped];
      }
      if (!consistent) continue;
      image[v] = w;
      used[w] = 1;
      count += extend(v + 1);
      image[v] = -1;
      used[w] = 0;
    }
    return count;
  };
  return extend(1);
}

/** An integer mix (of murmur3's finaliser): equal inputs give equal outputs, unequal ones almost never do. */
function mix(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Colours that any automorphism preserves: the label, refined n times by the colours of the in-
 * and out-neighbours (sums of mixed colours, which do not depend on the neighbours' order). A
 * collision would only merge two colours, which costs the search time but not its exactness: it
 * checks every edge.
 */
function refinedColours(matrix: Uint8Array, n: number, labels: Int8Array): Uint32Array {
  let colour = Uint32Array.from(labels, (label) => mix(label + 3));
  let next = new Uint32Array(n);
  for (let round = 0; round < n; round++) {
    for (let v = 0; v < n; v++) {
      let ins = 0;
      let outs = 0;
      for (let u = 0; u < n; u++) {
        if (matrix[u * n + v]) ins = (ins + mix(colour[u]! ^ 0x9e3779b9)) >>> 0;
        if (matrix[v * n + u]) outs = (outs + mix(colour[u]! ^ 0x7f4a7c15)) >>> 0;
      }
      next[v] = mix(colour[v]! ^ mix(ins ^ mix(outs)));
    }
    [colour, next] = [next, colour];
  }
  return colour;
}
