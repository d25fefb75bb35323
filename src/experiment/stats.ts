/** Two-sided 95 % critical values of Student's t for 1..30 degrees of freedom. */
const T975 = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131, 2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069,
  2.064, 2.06, 2.056, 2.052, 2.048, 2.045, 2.042,
];
const Z975 = 1.959963984540054;

/**
 * The 0.975 quantile of Student's t with `df` degrees of freedom (the factor of a
 * two-sided 95 % confidence interval). A table up to 30; beyond, the Cornish–Fisher
 * expansion around the normal quantile (error below 1e-4 there).
 */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  if (df <= 30 && Number.isInteger(df)) return T975[df - 1];
  const z = Z975;
  const z3 = z ** 3;
  const z5 = z ** 5;
  const z7 = z ** 7;
  return z + (z3 + z) / (4 * df) + (5 * z5 + 16 * z3 + 3 * z) / (96 * df ** 2) + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * df ** 3);
}

/** Mean, sample standard deviation and a 95 % t confidence interval of the mean. */
export interface Stats {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); NaN for fewer than 2 values. */
  sd: number;
  /** 95 % CI of the mean; NaN bounds for fewer than 2 values. */
  ci95: [number, number];
}

/** Stats of a list of numbers (NaN throughout when it is empty). */
export function describe(xs: readonly number[]): Stats {
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, ci95: [NaN, NaN] };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  if (n < 2) return { n, mean, sd: NaN, ci95: [NaN, NaN] };
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1));
  const half = (tQuantile975(n - 1) * sd) / Math.sqrt(n);
  return { n, mean, sd, ci95: [mean - half, mean + half] };
}

/**
 * Wilson score 95 % interval of a success rate: unlike mean ± t·se it stays inside
 * [0, 1] and is not zero-width when every run succeeded.
 */
export function wilson95(successes: number, n: number): [number, number] {
  if (n === 0) return [NaN, NaN];
  const z = Z975;
  const p = successes / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z / d) * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}
