// The address hash table behaves like a Map through growth and backward-shift deletes; prefix maps probe per length.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressTable } from './address-table.js';
import { PrefixMap } from './prefix-map.js';

const keyArb = fc.tuple(fc.constantFrom(0, 1, -1, 0x20010db8), fc.constantFrom(0, 7), fc.constantFrom(0, 3), fc.integer({ min: -40, max: 40 }), fc.constantFrom(128, 120, 96));
const opArb = fc.tuple(fc.constantFrom('set', 'set', 'delete'), keyArb, fc.nat(1000));

describe('AddressTable', () => {
  it('agrees with a Map on every key after any sequence of sets and deletes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        const table = new AddressTable();
        const model = new Map<string, number>();
        for (const [op, k, v] of ops) {
          if (op === 'set') {
            table.set(...k, v);
            model.set(k.join(), v);
          } else expect(table.delete(...k)).toBe(model.delete(k.join()));
        }
        expect(table.size).toBe(model.size);
        for (const [, k] of ops) expect(table.get(...k)).toBe(model.get(k.join()) ?? -1);
      }),
      { numRuns: 300 },
    );
  });
});

describe('PrefixMap', () => {
  it('finds an address under each prefix length that holds it, and forgets deleted lengths', () => {
    const map = new PrefixMap<string>();
    map.set(Int32Array.of(0, 0, 0, 0x0a000000), 0, 96 + 8, '10/8');
    map.set(Int32Array.of(0, 0, 0, 0x0a000105), 0, 96 + 24, '10.0.1/24');
    const address = [0, 0, 0, 0x0a0001ff] as const;
    expect([...map.lengths]).toEqual([120, 104]);
    expect([0, 1].map((i) => map.getAt(i, ...address))).toEqual(['10.0.1/24', '10/8']);
    map.delete(Int32Array.of(0, 0, 0, 0x0a000100), 0, 120);
    expect([...map.lengths]).toEqual([104]);
  });
});
