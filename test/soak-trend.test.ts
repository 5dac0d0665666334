// The soak's trend rule (bench/soak-trend.ts): a fitted rise over the second half, against a bound.
import { describe, expect, it } from 'vitest';
import { leastSquaresSlope, secondHalf, trend, type Point } from '../bench/soak-trend.js';

const series = (f: (minute: number) => number, minutes = 30, perMinute = 6): Point[] =>
  Array.from({ length: minutes * perMinute + 1 }, (_, i) => ({ minute: i / perMinute, value: f(i / perMinute) }));

describe('soak trend', () => {
  it('fits the least-squares slope', () => {
    expect(leastSquaresSlope(series((m) => 100 + 3 * m))).toBeCloseTo(3, 9);
    expect(leastSquaresSlope([{ minute: 0, value: 1 }, { minute: 1, value: 0 }, { minute: 2, value: 2 }])).toBeCloseTo(0.5, 9);
    expect(leastSquaresSlope([{ minute: 1, value: 5 }])).toBe(0);
    expect(leastSquaresSlope([{ minute: 1, value: 5 }, { minute: 1, value: 7 }])).toBe(0);
  });

  it('looks at the second half only: a warm-up climb that levels off passes', () => {
    const warmUp = series((m) => (m < 10 ? 100 + 10 * m : 200));
    expect(secondHalf(warmUp)[0]!.minute).toBe(15);
    expect(trend(warmUp, { relative: 0.1, absolute: 0 }).ok).toBe(true);
    expect(trend([], { relative: 0.1, absolute: 1 })).toEqual({ slopePerMinute: 0, rise: 0, allowed: 1, ok: true });
  });

  it('fails a steady climb past the relative bound, and passes noise and a fall', () => {
    // 100 MB rising 1 MB a minute: 15 MB over the second half, more than 10% of ~122 MB.
    const leak = trend(series((m) => 100 + m), { relative: 0.1, absolute: 1 });
    expect(leak.rise).toBeCloseTo(15, 6);
    expect(leak.ok).toBe(false);
    expect(trend(series((m) => 100 + ((m * 7) % 3)), { relative: 0.1, absolute: 1 }).ok).toBe(true);
    expect(trend(series((m) => 200 - m), { relative: 0, absolute: 0 }).ok).toBe(true);
  });

  it('lets the absolute floor absorb small values', () => {
    const small = series((m) => 2 + m / 15);
    expect(trend(small, { relative: 0.2, absolute: 0 }).ok).toBe(false);
    expect(trend(small, { relative: 0.2, absolute: 5 }).ok).toBe(true);
  });
});
