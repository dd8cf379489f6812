/**
 * Local search as in White et al., "Exploring the Loss Landscape in Neural Architecture Search"
 * (naszilla's defaults): start from the best of `initialSamples` uniform architectures; visit the
 * current architecture's one-edit neighbours in random order, querying each, and move to the first
 * that improves on it (first improvement); when none does (a local optimum), restart from the best
 * of `initialSamples` new uniform architectures. Every query counts, the initial ones included.
 */
import { evaluateOne, evaluateUniform, type SearchContext } from "../search/context.js";

export interface LocalSearchOptions {
  readonly initialSamples?: number;
  /** Query the whole neighbourhood and move to the best neighbour (best improvement) instead. */
  readonly fullNeighbourhood?: boolean;
}

export const LOCAL_SEARCH_DEFAULTS: Required<LocalSearchOptions> = { initialSamples: 10, fullNeighbourhood: false };

export function localSearch<A>(context: SearchContext<A>, options: LocalSearchOptions = {}): void {
  const { initialSamples, fullNeighbourhood } = { ...LOCAL_SEARCH_DEFAULTS, ...options };
  const { space, evaluator, rng } = context;
  let iteration = 0;
  while (evaluator.remaining > 0) {
    const starts = evaluateUniform(context, initialSamples, iteration);
    if (starts.length === 0) return;
    let current = starts.reduce((best, arch) => (evaluator.evaluate(arch).value > evaluator.evaluate(best).value ? arch : best));
    let currentValue = evaluator.evaluate(current).value;
    while (evaluator.remaining > 0) {
      iteration++;
      let next: { arch: A; value: number } | undefined;
      for (const neighbour of rng.shuffle(space.neighbours(current))) {
        if (evaluator.remaining <= 0) return;
        const value = evaluateOne(context, neighbour, { iteration });
        if (value > currentValue && (next === undefined || value > next.value)) {
          next = { arch: neighbour, value };
          if (!fullNeighbourhood) break;
        }
      }
      if (next === undefined) break; // a local optimum: restart
      current = next.arch;
      currentValue = next.value;
    }
  }
}
