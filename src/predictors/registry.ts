/** The predictors by name: adding a predictor is one module plus one line here. */
import { InputError } from "../util/errors.js";
import { resolveOptions, sourceOf, type OptionSource } from "../options/schema.js";
import type { SearchSpace } from "../spaces/types.js";
import { gcnListMlePredictor, gcnPredictor, gcnRankEnsemblePredictor, gcnRankPredictor } from "./gcn.js";
import { mlpEnsemblePredictor } from "./mlpEnsemble.js";
import { ridgePredictor } from "./ridge.js";
import type { Predictor, PredictorFactory, PredictorSnapshot } from "./types.js";

export const PREDICTORS: Readonly<Record<string, PredictorFactory>> = {
  ridge: ridgePredictor,
  "mlp-ensemble": mlpEnsemblePredictor,
  gcn: gcnPredictor,
  "gcn-rank": gcnRankPredictor,
  "gcn-listmle": gcnListMlePredictor,
  "gcn-rank-ensemble": gcnRankEnsemblePredictor,
};

/**
 * The default predictor of a space, in one place: the loop, `prednas predictor eval` and
 * `prednas predictor list` read it. On a space with a graph it is gcn-listmle: the best ranking of
 * the top of the space at N = 172 that a loop can afford (Kendall tau 0.695, true top 100 in its
 * top 1,000: 30.2, against gcn-rank's 0.694 and 26.8 and the MLP ensemble's 0.467 and 3.8, at
 * gcn-rank's fit time; README "Performance"), not worse than gcn-rank in the loop within the
 * intervals of a short study (docs/results/listmle-check). A space without a graph (a space file's
 * choices, Accel-NASBench) gets the MLP ensemble.
 */
export const DEFAULT_PREDICTORS = { withGraph: "gcn-listmle", withoutGraph: "mlp-ensemble" } as const;

export function defaultPredictor(space: Pick<SearchSpace<unknown>, "graph">): string {
  return space.graph === undefined ? DEFAULT_PREDICTORS.withoutGraph : DEFAULT_PREDICTORS.withGraph;
}

/** What `predictor list` says of a predictor that is a default somewhere. */
export function defaultNote(name: string): string | undefined {
  if (name === DEFAULT_PREDICTORS.withGraph) return "default on spaces with a graph: NAS-Bench-101, NAS-Bench-201, cells";
  if (name === DEFAULT_PREDICTORS.withoutGraph) return "default on spaces without a graph: choices, Accel-NASBench";
  return undefined;
}

export function predictorFactory(name: string): PredictorFactory {
  const factory = PREDICTORS[name];
  if (factory === undefined) throw new InputError(`unknown predictor '${name}' (known: ${Object.keys(PREDICTORS).join(", ")})`);
  return factory;
}

/** A predictor by name with its options resolved (validated, defaults filled in) from what is given. */
export function createPredictor<A>(name: string, space: SearchSpace<A>, options: unknown = {}, source: OptionSource = sourceOf("predictor options")): Predictor<A> {
  const factory = predictorFactory(name);
  return factory.create(space, withSpaceEncoding(resolveOptions(`predictor ${name}`, factory.options, options, source), options, space) as never);
}

/**
 * Resolved predictor options with the space's own default encoding (`defaultEncoding`: a space of
 * choices has "onehot") in place of the predictor's default, when the space lacks that one and the
 * options `given` ask for none.
 */
export function withSpaceEncoding<T extends object>(resolved: T, given: unknown, space: SearchSpace<unknown>): T {
  const encoding = (resolved as { encoding?: unknown }).encoding;
  const asked = (given as { encoding?: unknown } | undefined)?.encoding;
  if (typeof encoding !== "string" || asked !== undefined || encoding in space.encodings || space.defaultEncoding === undefined) return resolved;
  return { ...resolved, encoding: space.defaultEncoding };
}

/** A fitted predictor rebuilt from its snapshot (in another thread, say): predicts as the original did. */
export async function restorePredictor<A>(space: SearchSpace<A>, snapshot: PredictorSnapshot): Promise<Predictor<A>> {
  // The snapshot's options are resolved already: they go to the factory as they are.
  const predictor = predictorFactory(snapshot.predictor).create(space, snapshot.options as never);
  if (predictor.restore === undefined) throw new Error(`predictor '${snapshot.predictor}' cannot be restored from a snapshot`);
  await predictor.restore(snapshot);
  return predictor;
}
