/**
 * The report's comparison with the field: a configuration's returned architectures against the
 * like-for-like peer figure of its method, and against the field's best figure on the space,
 * whatever the method (what "beating the field" means).
 */
import type { PeerFigure, PeerFigures } from "../spaces/types.js";

/** The like-for-like peer figure of a method, else any of its, else none. */
export function peerFigureFor(peers: PeerFigures | undefined, method: string): PeerFigure | undefined {
  const own = peers?.figures.filter((f) => f.method === method) ?? [];
  return own.find((f) => f.protocol === peers!.likeForLike) ?? own[0];
}

/** The field's lowest test error on the space, any protocol: the figure to beat. */
export function fieldBest(peers: PeerFigures | undefined): PeerFigure | undefined {
  return peers?.figures.reduce<PeerFigure | undefined>((best, f) => (best === undefined || f.testErrorPercent < best.testErrorPercent ? f : best), undefined);
}

/** How a test error in percent compares with the field's best, in percentage points. */
export function againstBest(errorPercent: number, best: PeerFigure): string {
  const difference = best.testErrorPercent - errorPercent;
  if (Math.abs(difference) < 0.0005) return "level with it";
  return difference > 0 ? `beats it by ${difference.toFixed(3)} pp` : `behind it by ${(-difference).toFixed(3)} pp`;
}

/** Mean test error in percent of the returned architectures: the recorded test accuracy's where the truth is something else (Observation.test), else the truth's. */
export function testError(best: { readonly meanTruth: number; readonly meanTest?: number }): number {
  return 100 * (1 - (best.meanTest ?? best.meanTruth));
}
