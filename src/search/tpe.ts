/**
 * TPE, the Tree-structured Parzen Estimator (Bergstra et al. 2011), as Optuna 3.1's TPESampler
 * runs it on a space of categorical parameters (the space's `categorical`: NAS-Bench-201's six
 * edges, a space file's choices, a cell's adjacency bits and operations), with Optuna's defaults:
 * 10 startup trials, gamma(n) = min(ceil(0.1 n), 25) good observations, prior weight 1, 24
 * candidates. Each proposal splits the observations into the good ones (the gamma(n) best) and the
 * rest, fits a Parzen estimator to each (parzen.ts: l and g), draws the candidates from l and takes
 * the one with the largest l / g. Multivariate (default; Falkner et al. 2018, Optuna's
 * recommended form): one estimator over all parameters jointly; univariate: one per parameter,
 * each chosen on its own.
 *
 * As in Optuna, every proposal is a trial, and trials are what the densities learn from:
 * - the startup trials are uniform draws (launchUniform, as every prednas method starts: the same
 *   architectures as the other methods for a seed), and TPE takes over once `startupTrials`
 *   trials have values;
 * - a proposal of an architecture already launched is a trial with that architecture's value (as
 *   an Optuna study evaluates it again); it spends no budget (repeated architectures are not
 *   counted) and the next proposal follows at once;
 * - values that give no architecture (an invalid cell) are a trial with the worst value, ranked
 *   below every valid one, as Optuna ranks a trial that violates a constraint: not evaluated, no
 *   budget spent. Why this rather than drawing again: the univariate form's choice of a binary
 *   parameter is nearly the same every time (24 draws show both values, the better ratio wins),
 *   so it would propose the same invalid cell again; counted as worst, its values go to g and the
 *   next proposal moves away, and in both forms TPE learns the space's rules (how many edges a
 *   cell may have) from its own proposals;
 * - a failed evaluation is no trial (Optuna leaves out failed trials).
 * After 10 repeats with no launch between them (or 1,000 proposals without a launch, invalid cells
 * included), the next architecture is drawn uniformly among those not launched: TPE has settled
 * (the univariate form, once its good observations are copies of one architecture, proposes it
 * for ever), and the budget is still to be spent. The reference script
 * (scripts/optuna_reference.py) applies the same rule to Optuna's proposals.
 *
 * In flight (--parallel N): decisions rest on the outcomes read in launch order up to the
 * horizon (context.ts), so the record does not depend on timing. The N - 1 launches beyond it
 * are running trials: with `constantLiar` (default, Optuna's constant_liar, which its
 * documentation recommends for parallel studies) they join g with the worst value, so that the
 * next proposals move away from what runs; without it they are ignored, Optuna's default
 * behaviour. With one in flight nothing runs at a decision and both are the same.
 */
import { z } from "zod";
import { flag, integer, number, oneOf, type Resolved } from "../options/schema.js";
import { InputError } from "../util/errors.js";
import type { MersenneTwister } from "../util/rng.js";
import type { CategoricalParameters } from "../spaces/types.js";
import { InOrder, launchUniform, valueOf, type SearchContext } from "./context.js";
import { CategoricalParzen, chooseByRatio } from "./parzen.js";

export const TPE_OPTIONS = z.strictObject({
  variant: oneOf(["multivariate", "univariate"], { default: "multivariate", description: "one density over all parameters jointly (Optuna's multivariate=True), or one per parameter" }),
  startupTrials: integer({ min: 0, default: 10, description: "trials drawn uniformly before TPE takes over (Optuna's n_startup_trials)" }),
  gamma: number({ min: 0, minExclusive: true, max: 1, default: 0.1, description: "fraction of the observations that are good: gamma(n) = min(ceil(gamma n), maxGood)" }),
  maxGood: integer({ min: 1, default: 25, description: "most good observations (the cap of Optuna's default gamma)" }),
  priorWeight: number({ min: 0, minExclusive: true, default: 1, description: "weight of the uniform prior in each density and its kernels (Optuna's prior_weight)" }),
  candidates: integer({ min: 1, default: 24, description: "draws from l compared by l / g (Optuna's n_ei_candidates)" }),
  constantLiar: flag({ default: true, description: "with evaluations in flight, the running ones count as the worst (Optuna's constant_liar); false ignores them" }),
});

export type TpeOptions = Resolved<typeof TPE_OPTIONS>;

/** Repeats in a row, and proposals in a row without a launch, after which the next architecture is drawn uniformly. */
const REPEAT_LIMIT = 10;
const IDLE_LIMIT = 1000;

/**
 * A trial: its parameter values and where its value comes from, a launch (0-based, read or still
 * running) or a value of its own (an invalid cell's).
 */
interface Trial {
  readonly values: readonly number[];
  readonly launch?: number;
  readonly score?: number;
}

/** A trial's value as the search sees it, for a decision that has read `read` launches: a number, "running", or undefined for a failure. */
export type TrialState = number | "running" | undefined;

/**
 * Optuna's split: the `good` best of the trials with values (ties to the earlier), the others,
 * and the running ones when `liar` says so; each in chronological order.
 */
export function splitTrials(states: readonly TrialState[], good: number, liar: boolean): { good: number[]; rest: number[] } {
  const scored = states.flatMap((state, i) => (typeof state === "number" ? [i] : []));
  const ranked = [...scored].sort((a, b) => (states[b] as number) - (states[a] as number) || a - b);
  const goodSet = new Set(ranked.slice(0, good));
  const rest = states.flatMap((state, i) => ((typeof state === "number" && !goodSet.has(i)) || (liar && state === "running") ? [i] : []));
  return { good: [...goodSet].sort((a, b) => a - b), rest };
}

/** Optuna's default gamma: how many of n observations are good. */
export function goodCount(n: number, gamma: number, maxGood: number): number {
  return Math.min(Math.ceil(gamma * n), maxGood);
}

/** TPE's next values from the good and the other observations (chronological). */
export function proposeValues(parameters: Pick<CategoricalParameters<unknown>, "cardinalities">, good: readonly (readonly number[])[], rest: readonly (readonly number[])[], options: TpeOptions, rng: MersenneTwister): number[] {
  const { cardinalities } = parameters;
  const choose = (sizes: readonly number[], columns?: readonly number[]) =>
    chooseByRatio(new CategoricalParzen(good, sizes, options.priorWeight, columns), new CategoricalParzen(rest, sizes, options.priorWeight, columns), options.candidates, rng).values;
  if (options.variant === "multivariate") return choose(cardinalities);
  return cardinalities.map((c, p) => choose([c], [p])[0]!);
}

export async function tpeSearch<A>(context: SearchContext<A>, options: TpeOptions): Promise<void> {
  const { space, evaluations, rng } = context;
  const parameters = space.categorical;
  if (parameters === undefined) throw new InputError(`method tpe: the space ${space.name} does not give its architectures as categorical parameters; use another method (prednas search --help)`);
  const trials: Trial[] = [];
  // Equal values share one array: the Parzen estimators count copies once (parzen.ts).
  const shared = new Map<string, readonly number[]>();
  const intern = (values: readonly number[]) => {
    const text = values.join(",");
    const known = shared.get(text);
    if (known !== undefined) return known;
    shared.set(text, values);
    return values;
  };
  const launched = (launch: { n: number; arch: A }) => trials.push({ values: intern(parameters.valuesOf(launch.arch)), launch: launch.n - 1 });
  const read = new InOrder(evaluations, () => {});
  const stateOf = (trial: Trial): TrialState => {
    if (trial.launch === undefined) return trial.score;
    return trial.launch < read.count ? valueOf(evaluations.launches[trial.launch]!) : "running";
  };
  const startup = await launchUniform(context, options.startupTrials);
  startup.forEach(launched);
  let proposal = 0;
  let repeats = 0;
  let idle = 0;
  while (evaluations.remaining > 0 && !evaluations.stopping) {
    await read.known(startup.length);
    const states = trials.map(stateOf);
    const observed = states.filter((state) => typeof state === "number").length;
    proposal++;
    if (observed < options.startupTrials || repeats >= REPEAT_LIMIT || idle >= IDLE_LIMIT) {
      const drawn = await launchUniform(context, 1, proposal);
      if (drawn.length === 0) return;
      drawn.forEach(launched);
      repeats = idle = 0;
      continue;
    }
    const split = splitTrials(states, goodCount(observed, options.gamma, options.maxGood), options.constantLiar);
    const valuesAt = (i: number) => trials[i]!.values;
    const values = intern(proposeValues(parameters, split.good.map(valuesAt), split.rest.map(valuesAt), options, rng));
    const arch = parameters.archOf(values);
    if (arch === undefined) {
      trials.push({ values, score: Number.NEGATIVE_INFINITY });
      idle++;
      continue;
    }
    const earlier = evaluations.launchOf(space.key(arch));
    if (earlier !== undefined) {
      trials.push({ values, launch: earlier.n - 1 });
      repeats++;
      idle++;
      continue;
    }
    if (!(await evaluations.slot())) return;
    trials.push({ values, launch: evaluations.launch(arch, { iteration: proposal }).n - 1 });
    repeats = idle = 0;
  }
}
