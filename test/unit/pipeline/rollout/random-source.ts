/**
 * Seeded random numbers for the simulations: a PRNG, normal, gamma, beta and exact binomial draws.
 * Kept in the tests (src stays free of randomness; simulations inject these).
 */
export type RandomSource = () => number;

/** mulberry32: a small, fast 32-bit generator; plenty for Monte Carlo of this size. */
export function createRandomSource(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function sampleNormal(random: RandomSource): number {
  // Box–Muller; 1 − u keeps the logarithm finite.
  const u = 1 - random();
  const w = random();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * w);
}

/** Gamma(shape, 1) by Marsaglia–Tsang (2000), with the shape < 1 boost. */
export function sampleGamma(random: RandomSource, shape: number): number {
  if (shape < 1) {
    return sampleGamma(random, shape + 1) * (1 - random()) ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x = 0;
    let v = 0;
    do {
      x = sampleNormal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
      return d * v;
    }
  }
}

function sampleBeta(random: RandomSource, a: number, b: number): number {
  const x = sampleGamma(random, a);
  const y = sampleGamma(random, b);
  return x / (x + y);
}

/**
 * Exact Binomial(n, p). For large n, the order-statistic recursion (Knuth, TAOCP vol. 2, §3.4.1):
 * the a-th smallest of n uniforms is Beta(a, n + 1 − a); the count below p is then binomial on the
 * side p falls. Small cases by inversion of the CDF.
 */
export function sampleBinomial(random: RandomSource, trials: number, probability: number): number {
  let n = Math.round(trials);
  let p = probability;
  let offset = 0;
  if (n <= 0 || p <= 0) {
    return 0;
  }
  if (p >= 1) {
    return n;
  }
  while (n > 64) {
    const a = 1 + Math.floor(n / 2);
    const b = n + 1 - a;
    const y = sampleBeta(random, a, b);
    if (y >= p) {
      n = a - 1;
      p /= y;
    } else {
      offset += a;
      n = b - 1;
      p = (p - y) / (1 - y);
    }
  }
  return offset + binomialByInversion(random, n, p);
}

function binomialByInversion(random: RandomSource, n: number, p: number): number {
  if (n <= 0 || p <= 0) {
    return 0;
  }
  if (p >= 1) {
    return n;
  }
  const flip = p > 0.5;
  const q = flip ? 1 - p : p;
  const ratio = q / (1 - q);
  let probability = (1 - q) ** n;
  let cumulative = probability;
  const u = random();
  let k = 0;
  while (u > cumulative && k < n) {
    probability *= (ratio * (n - k)) / (k + 1);
    cumulative += probability;
    k += 1;
  }
  return flip ? n - k : k;
}
