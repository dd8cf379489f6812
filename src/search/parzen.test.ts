/**
 * TPE's densities and acquisition on toy problems, against values computed by hand from Optuna
 * 3.1's definitions (kernel mass (v + 1) / (1 + c v) at the observation, v / (1 + c v) elsewhere,
 * v = priorWeight / (n + 1); a uniform prior; mixture weights 1 each, the prior's priorWeight).
 */
import { describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { CategoricalParzen, chooseByRatio, observationWeights } from "./parzen.js";
import { goodCount, splitTrials } from "./tpe.js";

const pdf = (estimator: CategoricalParzen, values: number[]) => Math.exp(estimator.logPdf(values));

describe("the categorical Parzen estimator", () => {
  it("one parameter of 3 values, observations 0, 0, 2: densities 10/21, 4/21, 7/21", () => {
    // v = 1/4: each kernel 5/7 at its value, 1/7 elsewhere; the prior 1/3; four components of weight 1/4.
    const estimator = new CategoricalParzen([[0], [0], [2]], [3], 1);
    expect(pdf(estimator, [0])).toBeCloseTo(10 / 21, 14);
    expect(pdf(estimator, [1])).toBeCloseTo(4 / 21, 14);
    expect(pdf(estimator, [2])).toBeCloseTo(7 / 21, 14);
  });

  it("two parameters (2 and 3 values), one observation (0, 1): the kernel is the product of its parameters'", () => {
    // v = 1/2: parameter 0 gives 3/4 or 1/4, parameter 1 3/5 or 1/5; the prior 1/6; weights 1/2.
    const estimator = new CategoricalParzen([[0, 1]], [2, 3], 1);
    expect(pdf(estimator, [0, 1])).toBeCloseTo(37 / 120, 14);
    expect(pdf(estimator, [1, 0])).toBeCloseTo(13 / 120, 14);
    const total = [0, 1].flatMap((a) => [0, 1, 2].map((b) => pdf(estimator, [a, b]))).reduce((x, y) => x + y, 0);
    expect(total).toBeCloseTo(1, 14);
  });

  it("the prior weight sets the kernels' spread and the prior's share", () => {
    // priorWeight 3, one observation of 2 values: v = 3/2, kernel 5/8 and 3/8; weights 1/4 and 3/4.
    const estimator = new CategoricalParzen([[1]], [2], 3);
    expect(pdf(estimator, [1])).toBeCloseTo((1 / 4) * (5 / 8) + (3 / 4) * (1 / 2), 14);
  });

  it("copies of an observation (one shared array) are one component with their summed weight: the same mixture", () => {
    const shared = [1, 2];
    const copies = new CategoricalParzen([shared, [0, 0], shared], [2, 3], 1);
    const apart = new CategoricalParzen([[1, 2], [0, 0], [1, 2]], [2, 3], 1);
    expect(copies.weights).toHaveLength(3);
    expect(apart.weights).toHaveLength(4);
    for (const values of [[1, 2], [0, 0], [1, 0], [0, 2]]) expect(copies.logPdf(values)).toBeCloseTo(apart.logPdf(values), 14);
  });

  it("without observations it is the uniform prior", () => {
    const estimator = new CategoricalParzen([], [4, 5], 1);
    expect(pdf(estimator, [3, 2])).toBeCloseTo(1 / 20, 14);
  });

  it("draws each value with its density's probability", () => {
    const estimator = new CategoricalParzen([[0], [0], [2]], [3], 1);
    const rng = seededRng(4);
    const counts = [0, 0, 0];
    const draws = 60000;
    for (let i = 0; i < draws; i++) counts[estimator.sample(rng)[0]!]!++;
    // Binomial standard deviation below 0.0021: 5 of them.
    [10 / 21, 4 / 21, 7 / 21].forEach((p, value) => expect(Math.abs(counts[value]! / draws - p)).toBeLessThan(0.011));
  });

  it("weighs the observations as Optuna does: 1 for the 25 newest, a ramp from 1/n for the older", () => {
    expect([...observationWeights(3)]).toEqual([1, 1, 1]);
    expect([...observationWeights(25)]).toEqual(Array(25).fill(1));
    const weights = [...observationWeights(30)];
    // numpy.linspace(1/30, 1, 5), then 25 ones.
    [1 / 30, 1 / 30 + 29 / 120, 1 / 30 + 58 / 120, 1 / 30 + 87 / 120, 1].forEach((w, i) => expect(weights[i]).toBeCloseTo(w, 14));
    expect(weights.slice(5)).toEqual(Array(25).fill(1));
    expect(observationWeights(26)[0]).toBeCloseTo(1 / 26, 14);
  });
});

describe("the acquisition l / g", () => {
  it("takes the candidate with the largest ratio: (0, 1), l = 37/120, g = 3/28, on a toy problem", () => {
    // g from (1, 0), (1, 1), (0, 0): v = 1/4, parameter 0 gives 5/6 or 1/6, parameter 1 5/7 or 1/7.
    // Ratios by hand: (0, 1) 259/90 = 2.88, (0, 2) 1.9, (0, 0) 0.7, the others below.
    const good = new CategoricalParzen([[0, 1]], [2, 3], 1);
    const rest = new CategoricalParzen([[1, 0], [1, 1], [0, 0]], [2, 3], 1);
    expect(pdf(rest, [0, 1])).toBeCloseTo(3 / 28, 14);
    expect(pdf(rest, [0, 2])).toBeCloseTo(14 / 168, 14);
    const choice = chooseByRatio(good, rest, 200, seededRng(1));
    expect(choice.values).toEqual([0, 1]);
    expect(choice.ratio).toBeCloseTo(Math.log(259 / 90), 12);
    // One candidate: whatever l drew, with its own ratio.
    const single = chooseByRatio(good, rest, 1, seededRng(2));
    expect(single.ratio).toBeCloseTo(good.logPdf(single.values) - rest.logPdf(single.values), 14);
  });
});

describe("Optuna's split of the observations", () => {
  it("gamma(n) = min(ceil(0.1 n), 25), Optuna's default_gamma", () => {
    expect([1, 10, 11, 30, 100, 250, 400].map((n) => goodCount(n, 0.1, 25))).toEqual([1, 1, 2, 3, 10, 25, 25]);
  });

  it("the best are good (ties to the earlier), the running ones join the rest under the constant liar, each in chronological order", () => {
    const states = [0.5, "running", 0.9, undefined, Number.NEGATIVE_INFINITY, 0.9, 0.1] as const;
    expect(splitTrials(states, 2, true)).toEqual({ good: [2, 5], rest: [0, 1, 4, 6] });
    expect(splitTrials(states, 1, false)).toEqual({ good: [2], rest: [0, 4, 5, 6] });
    // An invalid cell's worst value is good only when nothing valid is left.
    expect(splitTrials([Number.NEGATIVE_INFINITY, 0.2], 2, false)).toEqual({ good: [0, 1], rest: [] });
  });
});
