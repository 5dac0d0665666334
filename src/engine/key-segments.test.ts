// Key segments: the block index finds the same segment as a full search, and bits mark exactly the covered keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildSegments, hasBit, segmentAt, segmentOf } from './key-segments.js';

const interval = fc.tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 300 })).map(([lo, width]) => [lo, Math.min(65535, lo + width)] as const);

describe('key segments', () => {
  it('finds through the block index the same segment a full binary search finds, at every key', () => {
    fc.assert(
      fc.property(fc.array(interval, { minLength: 20, maxLength: 400 }), (intervals) => {
        const segments = buildSegments([intervals.flat()]);
        expect(segments.blocks !== null).toBe(segments.starts.length >= 32);
        for (let key = 0; key <= 65535; key += 7) expect(segmentAt(segments, key)).toBe(segmentOf(segments.starts, key));
        expect(segmentAt(segments, 65535)).toBe(segments.starts.length - 1);
      }),
      { numRuns: 60 },
    );
  });

  it('marks exactly the keys some interval of a bit covers', () => {
    fc.assert(
      fc.property(fc.array(interval, { minLength: 1, maxLength: 200 }), fc.array(fc.integer({ min: 0, max: 65535 }), { minLength: 50, maxLength: 50 }), (intervals, keys) => {
        const segments = buildSegments([[], intervals.flat()]);
        for (const key of [...keys, 0, 65535]) {
          const covered = intervals.some(([lo, hi]) => lo <= key && key <= hi);
          expect(hasBit(segments, segmentAt(segments, key), 1)).toBe(covered);
          expect(hasBit(segments, segmentAt(segments, key), 0)).toBe(false);
        }
      }),
      { numRuns: 100 },
    );
  });
});
