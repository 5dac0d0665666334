// Service sets: union, intersection and difference agree with a key-by-key model, and equal sets get equal forms.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KEY_MAX, KEY_MIN } from './key-intervals.js';
import {
  ALL_SERVICES, differenceOf, hasService, intersectionOf, isEmptySet, keysLabel, NO_SERVICES, sameSet, serviceSet, setLabels, unionOf, type Keys, type ServiceSet,
} from './service-set.js';

const TCP = 6;
const UDP = 17;
const ICMP = 1;
const GRE = 47;
/** Keys the model checks one by one: a small range, plus the ends of the key space. */
const PROBES = [...Array.from({ length: 42 }, (_, i) => i), KEY_MIN, KEY_MAX];

const keysArb: fc.Arbitrary<Keys> = fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 3 })), { maxLength: 4 })
  .map((spans) => {
    // Sorted, disjoint and not touching, as the set's own form keeps them.
    const out: number[] = [];
    let next = 0;
    for (const [start, width] of spans.sort((a, b) => a[0] - b[0])) {
      const lo = Math.max(start, next);
      const hi = lo + width;
      if (hi > 41) break;
      out.push(lo, hi);
      next = hi + 2;
    }
    return out;
  });

const setArb: fc.Arbitrary<ServiceSet> = fc.tuple(
  fc.array(fc.tuple(fc.constantFrom(TCP, UDP, ICMP, GRE), keysArb), { maxLength: 3 }),
  fc.boolean(),
).map(([named, rest]) => serviceSet(new Map(named), rest));

const holds = (s: ServiceSet, p: number, k: number) => hasService(s, p, k);

describe('service sets', () => {
  it('union, intersection and difference agree with the key-by-key model; sameSet with equality of all keys', () => {
    fc.assert(fc.property(setArb, setArb, (a, b) => {
      const u = unionOf(a, b);
      const i = intersectionOf(a, b);
      const d = differenceOf(a, b);
      for (const p of [TCP, UDP, ICMP, GRE, 132]) {
        for (const k of PROBES) {
          expect(holds(u, p, k)).toBe(holds(a, p, k) || holds(b, p, k));
          expect(holds(i, p, k)).toBe(holds(a, p, k) && holds(b, p, k));
          expect(holds(d, p, k)).toBe(holds(a, p, k) && !holds(b, p, k));
        }
      }
      expect(sameSet(unionOf(a, b), unionOf(b, a))).toBe(true);
      expect(isEmptySet(differenceOf(i, u))).toBe(true);
      expect(sameSet(a, b)).toBe(isEmptySet(differenceOf(a, b)) && isEmptySet(differenceOf(b, a)));
    }), { numRuns: 300 });
  });

  it('keeps one form per set: a protocol holding what `rest` says is not named', () => {
    expect(serviceSet([[TCP, [KEY_MIN, KEY_MAX]]], true)).toBe(ALL_SERVICES);
    expect(serviceSet([[TCP, []]], false)).toBe(NO_SERVICES);
    expect(serviceSet([[GRE, [5, 5]]], false).named.get(GRE)).toEqual([KEY_MIN, KEY_MAX]);
    expect(isEmptySet(NO_SERVICES)).toBe(true);
    expect(isEmptySet(ALL_SERVICES)).toBe(false);
  });

  it('labels keys as the API words them', () => {
    expect(keysLabel(TCP, 22, 22)).toBe('tcp/22');
    expect(keysLabel(TCP, 1000, 2000)).toBe('tcp/1000-2000');
    expect(keysLabel(TCP, KEY_MIN, KEY_MAX)).toBe('tcp');
    expect(keysLabel(GRE, 3, 9)).toBe('gre');
    expect(keysLabel(ICMP, 8 << 8, (8 << 8) | 255)).toBe('icmp/8');
    expect(keysLabel(ICMP, 3 << 8, (4 << 8) | 255)).toBe('icmp/3-4');
    expect(keysLabel(ICMP, (3 << 8) | 1, (3 << 8) | 1)).toBe('icmp/3:1');
    expect(keysLabel(ICMP, (3 << 8) | 1, (3 << 8) | 4)).toBe('icmp/3:1-3:4');
    expect(setLabels(serviceSet([[UDP, [53, 53]], [TCP, [22, 23]]], true))).toEqual(['tcp/22-23', 'udp/53', 'any other protocol']);
    expect(setLabels(ALL_SERVICES)).toEqual(['any protocol']);
  });
});
