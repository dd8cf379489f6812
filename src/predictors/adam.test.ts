import { describe, expect, it } from "vitest";
import { seededRng } from "../util/rng.js";
import { Adam, cosineAnnealed } from "./adam.js";

/** PyTorch's Adam in float32, operation by operation, in the kernel's order, subnormals flushed to +0. */
function referenceSteps(params: Float32Array, grads: Float32Array[], lrs: number[], options: { beta1: number; beta2: number; epsilon: number; weightDecay: number }): Float32Array {
  const f = Math.fround;
  const flush = (x: number) => (Math.abs(x) < 2 ** -126 ? 0 : x);
  const { beta1, beta2, epsilon, weightDecay } = options;
  const p = Float32Array.from(params);
  const m = new Float32Array(p.length);
  const v = new Float32Array(p.length);
  grads.forEach((grad, step) => {
    const t = step + 1;
    const [b1, c1, b2, c2, wd, eps] = [beta1, 1 - beta1, beta2, 1 - beta2, weightDecay, epsilon].map(f);
    const stepSize = f(lrs[step]! / (1 - beta1 ** t));
    const correction = f(Math.sqrt(1 - beta2 ** t));
    for (let i = 0; i < p.length; i++) {
      const g = f(grad[i]! + f(wd! * p[i]!));
      m[i] = flush(f(f(m[i]! * b1!) + f(c1! * g)));
      v[i] = flush(f(f(v[i]! * b2!) + f(c2! * f(g * g))));
      p[i] = flush(f(p[i]! - f(stepSize * f(m[i]! / f(f(f(Math.sqrt(v[i]!)) / correction) + eps!)))));
    }
  });
  return p;
}

describe("Adam", () => {
  for (const options of [
    { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 1e-3 },
    { beta1: 0.9, beta2: 0.99, epsilon: 1e-7, weightDecay: 0 },
  ]) {
    it(`matches PyTorch's update in float32 bit for bit (${JSON.stringify(options)})`, () => {
      const rng = seededRng(2);
      const size = 1003; // not a multiple of the kernel's 4 lanes
      const start = Float32Array.from({ length: size }, () => rng.normal());
      const grads = Array.from({ length: 7 }, () => Float32Array.from({ length: size }, () => rng.normal() * 1e-2));
      const lrs = grads.map((_, step) => cosineAnnealed(1e-2, step, grads.length));
      const params = Float32Array.from(start);
      const adam = new Adam(size, options);
      grads.forEach((grad, step) => adam.step(params, grad, lrs[step]!));
      expect(params).toEqual(referenceSteps(start, grads, lrs, options));
    });
  }

  it("flushes subnormal parameters to zero (they would slow every later product)", () => {
    const params = Float32Array.from([1e-39, -1e-40, 1e-30]);
    new Adam(3).step(params, new Float32Array(3), 0.1);
    expect(Array.from(params)).toEqual([0, 0, Math.fround(1e-30)]);
  });

  it("moves against the gradient by about the learning rate at first", () => {
    const params = Float32Array.from([1, -1, 0]);
    new Adam(3).step(params, Float32Array.from([2, -3, 0]), 0.1);
    expect(params[0]).toBeCloseTo(0.9, 6);
    expect(params[1]).toBeCloseTo(-0.9, 6);
    expect(params[2]).toBe(0);
  });

  it("anneals the learning rate along a half cosine", () => {
    expect(cosineAnnealed(1, 0, 10)).toBe(1);
    expect(cosineAnnealed(1, 5, 10)).toBeCloseTo(0.5, 12);
    expect(cosineAnnealed(1, 10, 10)).toBeCloseTo(0, 12);
  });
});
