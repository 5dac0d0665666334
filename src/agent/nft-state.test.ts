// Layered element maps: the same contents as a plain map over random adds and removes, and every differing key among the candidates.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LayeredElements, candidateKeys } from './nft-state.js';

describe('LayeredElements', () => {
  it('matches a plain map through chains of derivations, and candidateKeys covers every difference', () => {
    const key = fc.integer({ min: 0, max: 120 }).map(String);
    fc.assert(
      fc.property(fc.array(fc.record({ add: fc.array(key, { maxLength: 8 }), remove: fc.array(key, { maxLength: 8 }) }), { maxLength: 30 }), (steps) => {
        let plain = new Map(Array.from({ length: 60 }, (_, i) => [String(i), ''] as [string, string]));
        let layered: ReadonlyMap<string, string> = new Map(plain);
        for (const { add, remove } of steps) {
          const before = layered;
          const beforePlain = new Map(plain);
          layered = LayeredElements.derive(layered, add.filter((k) => !remove.includes(k)), remove.filter((k) => !add.includes(k)));
          for (const k of remove.filter((x) => !add.includes(x))) plain.delete(k);
          for (const k of add.filter((x) => !remove.includes(x))) plain.set(k, '');
          expect([...layered.keys()].sort()).toEqual([...plain.keys()].sort());
          expect(layered.size).toBe(plain.size);
          const candidates = candidateKeys(before, layered);
          const differing = [...new Set([...beforePlain.keys(), ...plain.keys()])].filter((k) => beforePlain.has(k) !== plain.has(k));
          if (candidates) for (const k of differing) expect(candidates.has(k)).toBe(true);
          plain = new Map(plain);
        }
      }),
      { numRuns: 300 },
    );
  });
});
