/** The predictors by name: adding a predictor is one module plus one line here. */
import { InputError } from "../util/errors.js";
import type { SearchSpace } from "../spaces/types.js";
import { gcnPredictor } from "./gcn.js";
import { mlpEnsemblePredictor } from "./mlpEnsemble.js";
import { ridgePredictor } from "./ridge.js";
import type { Predictor, PredictorFactory, PredictorSnapshot } from "./types.js";

export const PREDICTORS: Readonly<Record<string, PredictorFactory<object>>> = {
  ridge: ridgePredictor,
  "mlp-ensemble": mlpEnsemblePredictor,
  gcn: gcnPredictor,
};

export function predictorFactory(name: string): PredictorFactory<object> {
  const factory = PREDICTORS[name];
  if (factory === undefined) throw new InputError(`unknown predictor '${name}' (known: ${Object.keys(PREDICTORS).join(", ")})`);
  return factory;
}

export function createPredictor<A>(name: string, space: SearchSpace<A>, options: Record<string, unknown> = {}): Predictor<A> {
  const factory = predictorFactory(name);
  const unknown = Object.keys(options).filter((key) => !(key in factory.defaults));
  if (unknown.length > 0) {
    throw new InputError(`predictor '${name}' has no option ${unknown.join(", ")} (options: ${Object.keys(factory.defaults).join(", ") || "none"})`);
  }
  return factory.create(space, options);
}

/** A fitted predictor rebuilt from its snapshot (in another thread, say): predicts as the original did. */
export async function restorePredictor<A>(space: SearchSpace<A>, snapshot: PredictorSnapshot): Promise<Predictor<A>> {
  const predictor = createPredictor(snapshot.predictor, space, { ...snapshot.options });
  if (predictor.restore === undefined) throw new Error(`predictor '${snapshot.predictor}' cannot be restored from a snapshot`);
  await predictor.restore(snapshot);
  return predictor;
}
