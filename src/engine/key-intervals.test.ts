// Key intervals: merging and lookup agree with "some input interval holds the key", at every edge.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { coversKey, mergeIntervals } from './key-intervals.js';

const intervalArb = fc.tuple(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 })).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const);

describe('key intervals', () => {
  it('merges overlapping and adjacent intervals, and keeps a gap of one key open', () => {
    expect([...mergeIntervals([5, 9, 1, 3, 4, 4, 11, 12])]).toEqual([1, 9, 11, 12]);
    expect(coversKey(mergeIntervals([1, 21, 23, 80]), 22)).toBe(false);
  });

  it('covers exactly the keys some input interval covers', () => {
    fc.assert(
      fc.property(fc.array(intervalArb, { maxLength: 12 }), (intervals) => {
        const merged = mergeIntervals(intervals.flat());
        for (let i = 2; i < merged.length; i += 2) expect(merged[i]!).toBeGreaterThan(merged[i - 1]! + 1);
        for (let key = -1; key <= 62; key++) expect(coversKey(merged, key)).toBe(intervals.some(([lo, hi]) => key >= lo && key <= hi));
      }),
      { numRuns: 500 },
    );
  });
});
