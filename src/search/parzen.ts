/**
 * The Parzen estimator of TPE (Bergstra et al. 2011) over categorical parameters, as Optuna 3.1
 * builds it: a mixture with one kernel per observation and a uniform prior component. The kernel
 * of an observation x puts mass (v + 1) / (1 + c v) on x's value of a parameter with c values and
 * v / (1 + c v) on each other value, v = priorWeight / (n + 1); over several parameters a kernel
 * is the product of its parameters' (multivariate TPE, Falkner et al. 2018), one parameter at a
 * time for the univariate form. Mixture weights: Optuna's (1 for the 25 newest observations, a
 * ramp from 1/n up to 1 for the older ones, in chronological order), the prior's `priorWeight`,
 * normalised.
 *
 * Hand-written: it is TPE's hot loop (every proposal evaluates every kernel at every candidate),
 * a few lines over typed arrays, and no npm library implements it.
 */
import type { MersenneTwister } from "../util/rng.js";

/** Newest observations at full weight (Optuna's `default_weights`). */
const FLAT_NEWEST = 25;

/** Optuna's weights of n observations in chronological order: 1 each up to 25, else a ramp 1/n..1 for the n - 25 oldest, then 25 ones. */
export function observationWeights(n: number): Float64Array {
  const weights = new Float64Array(n).fill(1);
  const ramp = n - FLAT_NEWEST;
  if (ramp <= 0) return weights;
  // numpy.linspace(1 / n, 1, ramp) as numpy computes it: i * step + start, the last point exactly 1.
  const step = (1 - 1 / n) / (ramp - 1);
  for (let i = 0; i < ramp; i++) weights[i] = ramp === 1 ? 1 / n : i === ramp - 1 ? 1 : i * step + 1 / n;
  return weights;
}

export class CategoricalParzen {
  /**
   * The mixture's components: each distinct observation once, its weight the sum of its copies'
   * (the same mixture: copies share a kernel), the prior last; normalised.
   */
  readonly weights: Float64Array;
  private readonly centres: (readonly number[])[] = [];
  private readonly logWeights: Float64Array;
  /** Per parameter: log of the kernel's mass at its observation's value, and elsewhere. */
  private readonly logHit: Float64Array;
  private readonly logMiss: Float64Array;
  private readonly logPrior: number;
  /** Log densities already computed, by the values' text: candidates repeat (a univariate estimator has c values). */
  private readonly memo = new Map<string, number>();

  /**
   * `observations[i][columns[p]]`: observation i's value of parameter p (in 0..cardinalities[p] -
   * 1), oldest first; `columns` (default all, in order) says which of the observations' parameters
   * the estimator models, so that the univariate form reads them without copies. Copies of one
   * observation are recognised as the same array (the caller shares it) or, for one column, the
   * same value: a search that keeps proposing what it knows (Optuna records each proposal as a
   * trial) then costs what its distinct observations cost.
   */
  constructor(
    observations: readonly (readonly number[])[],
    readonly cardinalities: readonly number[],
    priorWeight: number,
    private readonly columns: readonly number[] = cardinalities.map((_, p) => p),
  ) {
    const n = observations.length;
    const chronological = observationWeights(n);
    const single = columns.length === 1 ? columns[0]! : undefined;
    const components = new Map<unknown, number>();
    const summed: number[] = [];
    observations.forEach((observation, i) => {
      const key = single === undefined ? observation : observation[single];
      let component = components.get(key);
      if (component === undefined) {
        component = this.centres.push(observation) - 1;
        components.set(key, component);
        summed.push(0);
      }
      summed[component]! += chronological[i]!;
    });
    summed.push(priorWeight);
    const total = summed.reduce((sum, w) => sum + w, 0);
    this.weights = Float64Array.from(summed, (w) => w / total);
    this.logWeights = this.weights.map(Math.log);
    const v = priorWeight / (n + 1);
    this.logHit = Float64Array.from(cardinalities, (c) => Math.log((v + 1) / (1 + c * v)));
    this.logMiss = Float64Array.from(cardinalities, (c) => Math.log(v / (1 + c * v)));
    this.logPrior = cardinalities.reduce((sum, c) => sum - Math.log(c), 0);
  }

  /** The log density of the mixture at `values` (one per modelled parameter). */
  logPdf(values: readonly number[]): number {
    const text = values.join(",");
    const known = this.memo.get(text);
    if (known !== undefined) return known;
    const m = this.centres.length;
    const terms = new Float64Array(m + 1);
    let max = (terms[m] = this.logWeights[m]! + this.logPrior);
    for (let i = 0; i < m; i++) {
      const centre = this.centres[i]!;
      let term = this.logWeights[i]!;
      for (let p = 0; p < values.length; p++) term += centre[this.columns[p]!] === values[p] ? this.logHit[p]! : this.logMiss[p]!;
      terms[i] = term;
      if (term > max) max = term;
    }
    let sum = 0;
    for (const term of terms) sum += Math.exp(term - max);
    const result = max + Math.log(sum);
    this.memo.set(text, result);
    return result;
  }

  /** A draw from the mixture: a component by its weight, then each parameter from that component. */
  sample(rng: MersenneTwister): number[] {
    const centre = this.centres[pick(rng, this.weights)];
    return this.cardinalities.map((c, p) => {
      if (centre === undefined) return rng.below(c);
      const hit = Math.exp(this.logHit[p]!);
      const miss = Math.exp(this.logMiss[p]!);
      return pick(rng, Float64Array.from({ length: c }, (_, value) => (value === centre[this.columns[p]!] ? hit : miss)));
    });
  }
}

/** An index drawn with probability proportional to its weight. */
function pick(rng: MersenneTwister, weights: Float64Array): number {
  const total = weights.reduce((sum, w) => sum + w, 0);
  let u = rng.random() * total;
  for (let i = 0; i < weights.length - 1; i++) {
    u -= weights[i]!;
    if (u < 0) return i;
  }
  return weights.length - 1;
}

/**
 * TPE's acquisition: `candidates` draws from l (the density of the good observations), the one
 * with the largest log l(x) - log g(x) (the first on ties, as numpy.argmax), which maximises the
 * expected improvement (Bergstra et al. 2011, eq. 4).
 */
export function chooseByRatio(below: CategoricalParzen, above: CategoricalParzen, candidates: number, rng: MersenneTwister): { values: number[]; ratio: number } {
  let best: { values: number[]; ratio: number } | undefined;
  for (let k = 0; k < candidates; k++) {
    const values = below.sample(rng);
    const ratio = below.logPdf(values) - above.logPdf(values);
    if (best === undefined || ratio > best.ratio) best = { values, ratio };
  }
  return best!;
}
