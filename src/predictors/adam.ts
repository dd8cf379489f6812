/**
 * Adam (Kingma & Ba) on one flat parameter vector, in plain TypeScript.
 *
 * Why not tfjs's optimizer: it needs gradients from the tape (the Node build of tfjs-core
 * registers none) and runs ~18 kernels per variable per step. The predictors compute their
 * gradients themselves, read them into one Float32Array and update here: one pass over ~100k
 * floats, exact PyTorch semantics, bit-for-bit reproducible.
 */

export interface AdamOptions {
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** L2 penalty added to the gradient before the moments (PyTorch `Adam(weight_decay=...)`, not AdamW). */
  readonly weightDecay: number;
}

export const ADAM_DEFAULTS: AdamOptions = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0 };

export class Adam {
  private readonly m: Float32Array;
  private readonly v: Float32Array;
  private steps = 0;
  readonly options: AdamOptions;

  constructor(size: number, options: Partial<AdamOptions> = {}) {
    this.options = { ...ADAM_DEFAULTS, ...options };
    this.m = new Float32Array(size);
    this.v = new Float32Array(size);
  }

  /**
   * One update of `params` from `grads` with learning rate `lr`, as torch.optim.Adam:
   * g += wd p; m = b1 m + (1-b1) g; v = b2 v + (1-b2) g^2; p -= lr (m / (1-b1^t)) / (sqrt(v / (1-b2^t)) + eps).
   * Moments are kept in float32, as PyTorch does.
   */
  step(params: Float32Array, grads: Float32Array, lr: number): void {
    const { beta1, beta2, epsilon, weightDecay } = this.options;
    const { m, v } = this;
    if (params.length !== m.length || grads.length !== m.length) throw new Error("Adam: parameter and gradient sizes differ from the optimizer's");
    this.steps++;
    const correction1 = 1 - beta1 ** this.steps;
    const correction2 = 1 - beta2 ** this.steps;
    const stepSize = lr / correction1;
    const sqrtCorrection2 = Math.sqrt(correction2);
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!;
      const g = grads[i]! + weightDecay * p;
      const mi = Math.fround(beta1 * m[i]! + (1 - beta1) * g);
      const vi = Math.fround(beta2 * v[i]! + (1 - beta2) * g * g);
      m[i] = mi;
      v[i] = vi;
      params[i] = p - (stepSize * mi) / (Math.sqrt(vi) / sqrtCorrection2 + epsilon);
    }
  }
}

/** PyTorch's CosineAnnealingLR (eta_min 0) in closed form: the learning rate of epoch `epoch` of `epochs`. */
export function cosineAnnealed(lr: number, epoch: number, epochs: number): number {
  return (lr * (1 + Math.cos((Math.PI * epoch) / epochs))) / 2;
}
