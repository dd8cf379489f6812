/**
 * Seeded random numbers: the Mersenne Twister MT19937, seeded and consumed exactly as CPython's
 * `random` module and NumPy's legacy `np.random` do.
 *
 * Why not a smaller generator: the official NAS-Bench-101 code samples cells with `np.random` and
 * mutates them with `random`. Reproducing both streams bit for bit lets prednas test its sampler
 * and its mutation against outputs of the reference code for the same seed, and lets a user
 * reproduce a Python experiment's draws exactly.
 */

const N = 624;
const M = 397;

export class MersenneTwister {
  private readonly state = new Uint32Array(N);
  private index = N + 1;

  private constructor() {}

  /** Seeded as NumPy's legacy `np.random.seed(seed)` (and C's `init_genrand`): seed in [0, 2^32). */
  static numpy(seed: number): MersenneTwister {
    checkSeed(seed, 2 ** 32, "NumPy-compatible");
    const mt = new MersenneTwister();
    mt.initGenrand(seed >>> 0);
    return mt;
  }

  /** Seeded as CPython's `random.seed(seed)` for a non-negative integer seed below 2^53. */
  static python(seed: number): MersenneTwister {
    checkSeed(seed, 2 ** 53, "Python-compatible");
    const key: number[] = [];
    let rest = seed;
    do {
      key.push(rest % 2 ** 32);
      rest = Math.floor(rest / 2 ** 32);
    } while (rest > 0);
    const mt = new MersenneTwister();
    mt.initByArray(key);
    return mt;
  }

  /** An independent copy that continues the same stream. */
  clone(): MersenneTwister {
    const copy = new MersenneTwister();
    copy.state.set(this.state);
    copy.index = this.index;
    return copy;
  }

  private initGenrand(seed: number): void {
    const mt = this.state;
    mt[0] = seed;
    for (let i = 1; i < N; i++) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = (Math.imul(1812433253, prev) + i) >>> 0;
    }
    this.index = N;
  }

  private initByArray(key: readonly number[]): void {
    this.initGenrand(19650218);
    const mt = this.state;
    let i = 1;
    let j = 0;
    for (let k = Math.max(N, key.length); k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1664525)) + key[j]! + j) >>> 0;
      i++;
      j++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
      if (j >= key.length) j = 0;
    }
    for (let k = N - 1; k > 0; k--) {
      const prev = mt[i - 1]! ^ (mt[i - 1]! >>> 30);
      mt[i] = ((mt[i]! ^ Math.imul(prev, 1566083941)) - i) >>> 0;
      i++;
      if (i >= N) {
        mt[0] = mt[N - 1]!;
        i = 1;
      }
    }
    mt[0] = 0x80000000;
  }

  private twist(): void {
    const mt = this.state;
    for (let k = 0; k < N; k++) {
      const y = (mt[k]! & 0x80000000) | (mt[(k + 1) % N]! & 0x7fffffff);
      mt[k] = mt[(k + M) % N]! ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  /** The next raw 32-bit output (genrand_int32). */
  nextUint32(): number {
    if (this.index >= N) this.twist();
    let y = this.state[this.index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** A double in [0, 1) with 53 random bits: Python's `random.random()`, NumPy's `random_sample()`. */
  random(): number {
    const a = this.nextUint32() >>> 5;
    const b = this.nextUint32() >>> 6;
    return (a * 67108864 + b) / 9007199254740992;
  }

  /** An integer in [0, n), as Python's `random._randbelow` (and so `random.choice`): n < 2^32. */
  below(n: number): number {
    checkBound(n, 2 ** 32 - 1);
    const bits = 32 - Math.clz32(n);
    const shift = 32 - bits;
    let r = this.nextUint32() >>> shift;
    while (r >= n) r = this.nextUint32() >>> shift;
    return r;
  }

  /** An integer in [0, n), as NumPy's legacy `randint(0, n)` (masked rejection): n <= 2^32. */
  belowMasked(n: number): number {
    checkBound(n, 2 ** 32);
    const max = n - 1;
    if (max === 0) return 0;
    const mask = 0xffffffff >>> Math.clz32(max);
    let r = (this.nextUint32() & mask) >>> 0;
    while (r > max) r = (this.nextUint32() & mask) >>> 0;
    return r;
  }

  /** A standard normal draw (Box-Muller on two `random()` draws). */
  normal(): number {
    let u = this.random();
    while (u === 0) u = this.random();
    const v = this.random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Shuffles `items` in place (Fisher-Yates, as Python's `random.shuffle`). */
  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = items[i]!;
      items[i] = items[j]!;
      items[j] = tmp;
    }
    return items;
  }

  /** A uniformly chosen element of a non-empty list. */
  choice<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError("choice() from an empty list");
    return items[this.below(items.length)]!;
  }
}

function checkSeed(seed: number, limit: number, kind: string): void {
  if (!Number.isSafeInteger(seed) || seed < 0 || seed >= limit) {
    throw new RangeError(`${kind} seed must be an integer in [0, ${limit}), got ${seed}`);
  }
}

function checkBound(n: number, max: number): void {
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new RangeError(`the bound must be an integer in [1, ${max}], got ${n}`);
  }
}

/**
 * The generator every stochastic component of prednas takes: seeded as Python's `random.seed`,
 * so that a study seed means the same stream in prednas and in a Python reimplementation.
 */
export function seededRng(seed: number): MersenneTwister {
  return MersenneTwister.python(seed);
}
