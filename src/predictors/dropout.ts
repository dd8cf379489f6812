/**
 * Seeded dropout masks. A GCN training step needs ~31k mask entries: drawing them from the Mersenne
 * Twister itself took ~0.4 ms a step, so each mask takes one 32-bit seed from the predictor's
 * Mersenne Twister (a fit stays reproducible from its seed alone) and expands it with mulberry32,
 * a small, fast generator that is plenty for coin flips. Each 32-bit draw gives two entries of 16
 * bits: the drop probability is `rate` rounded to a multiple of 2^-16 (0.1 becomes 0.100006).
 */
import type { MersenneTwister } from "../util/rng.js";

/** Fills `out` with an inverted-dropout mask: 0 with probability `rate`, else 1 / (1 - rate). */
export function fillDropoutMask(rng: MersenneTwister, out: Float32Array, rate: number): Float32Array {
  if (!(rate >= 0 && rate < 1)) throw new RangeError(`the dropout rate must be in [0, 1), got ${rate}`);
  const threshold = Math.round(rate * 65536);
  const keep = 1 / (1 - rate);
  let state = rng.nextUint32();
  for (let i = 0; i < out.length; i += 2) {
    // mulberry32 (Tommy Ettinger)
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const bits = (t ^ (t >>> 14)) >>> 0;
    out[i] = (bits & 0xffff) < threshold ? 0 : keep;
    if (i + 1 < out.length) out[i + 1] = bits >>> 16 < threshold ? 0 : keep;
  }
  return out;
}
