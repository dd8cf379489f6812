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
