/**
 * The field's reference figures on NAS-Bench-101 (docs/study.md): mean test error of the best
 * architecture found after 150 queries. Two protocols: the peers' public implementations run on
 * this very table (selection and report on mean test accuracy, as prednas does), which is the
 * like-for-like comparison, and the BANANAS paper (validation-based selection), quoted for context.
 */
import type { PeerFigures } from "../types.js";

const PROTOCOLS = {
  "this table": "peers' public implementations on this table, 100 runs, selection and report on mean test accuracy",
  "BANANAS paper": "BANANAS paper (White et al.), 200 runs, selection on validation accuracy",
};

const FIGURES = [
  { label: "random search", method: "random", testErrorPercent: 6.26, protocol: "this table" },
  { label: "regularized evolution", method: "evolution", testErrorPercent: 6.148, protocol: "this table" },
  { label: "local search", method: "local", testErrorPercent: 5.894, protocol: "this table" },
  { label: "Neural-Predictor-style one-shot GCN", testErrorPercent: 6.2, protocol: "this table" },
  { label: "random search", method: "random", testErrorPercent: 6.341, protocol: "BANANAS paper" },
  { label: "regularized evolution", method: "evolution", testErrorPercent: 6.109, protocol: "BANANAS paper" },
  { label: "local search", method: "local", testErrorPercent: 5.932, protocol: "BANANAS paper" },
  { label: "BANANAS", method: "bananas", testErrorPercent: 5.923, protocol: "BANANAS paper" },
];

/** Further facts of the field the report quotes. */
const NOTES = [
  "On this table, the peers' local search reaches the top 0.1% in 97 of 100 runs, after 50.8 queries on average.",
  "None of the peers' methods found the global optimum (mean test accuracy 0.943176) within 150 queries.",
];

export const NASBENCH101_PEERS: PeerFigures = { afterQueries: 150, figures: FIGURES, protocols: PROTOCOLS, likeForLike: "this table", notes: NOTES };
