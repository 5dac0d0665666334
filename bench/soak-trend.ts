// Does a soak series trend upward? A least-squares line through the second half of the run, against a bound.

export interface Point {
  /** Minutes since the start of the run. */
  readonly minute: number;
  readonly value: number;
}

/**
 * A series may rise over the second half by at most `relative` of its mean there, or `absolute` units,
 * whichever is larger: the relative part scales with the level, the absolute part keeps noise on small
 * values (a 2 ms event-loop delay that becomes 4 ms) from counting as a trend.
 */
export interface TrendBound {
  readonly relative: number;
  readonly absolute: number;
}

export interface TrendVerdict {
  /** Slope of the fitted line, in units per minute. */
  readonly slopePerMinute: number;
  /** The fitted line's rise across the second half. */
  readonly rise: number;
  readonly allowed: number;
  readonly ok: boolean;
}

/** Slope of the least-squares line through the points (0 for fewer than two distinct x). */
export function leastSquaresSlope(points: readonly Point[]): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, p) => s + p.minute, 0) / n;
  const my = points.reduce((s, p) => s + p.value, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (const p of points) {
    sxy += (p.minute - mx) * (p.value - my);
    sxx += (p.minute - mx) ** 2;
  }
  return sxx === 0 ? 0 : sxy / sxx;
}

/** The second half of the run (by time): the first half holds warm-up (JIT, caches, the log filling to its retention). */
export function secondHalf(points: readonly Point[]): Point[] {
  if (points.length === 0) return [];
  const end = points[points.length - 1]!.minute;
  return points.filter((p) => p.minute >= end / 2);
}

export function trend(points: readonly Point[], bound: TrendBound): TrendVerdict {
  const half = secondHalf(points);
  const slopePerMinute = leastSquaresSlope(half);
  const span = half.length > 0 ? half[half.length - 1]!.minute - half[0]!.minute : 0;
  const mean = half.length > 0 ? half.reduce((s, p) => s + p.value, 0) / half.length : 0;
  const rise = slopePerMinute * span;
  const allowed = Math.max(bound.relative * Math.abs(mean), bound.absolute);
  return { slopePerMinute, rise, allowed, ok: rise <= allowed };
}
