// The shared protocol table: every way of writing a protocol (name, number, case, blanks) means the same thing.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FORM_PROTOCOLS, PROTOCOLS, protocolIdentity, protocolLabel, protocolMeaning, rangeKindOf } from './index.js';

const spelled = (text: string) =>
  fc.tuple(fc.boolean(), fc.constantFrom('', ' ', '\t')).map(([upper, pad]) => `${pad}${upper ? text.toUpperCase() : text}${pad}`);

describe('protocol table', () => {
  it('a name, its number and any spelling of either have one meaning', () => {
    const written = fc.constantFrom(...PROTOCOLS).chain((p) =>
      fc.tuple(fc.constant(p), fc.oneof(spelled(p.name), fc.nat(2).chain((zeros) => spelled(`${'0'.repeat(zeros)}${p.number}`)))),
    );
    fc.assert(
      fc.property(written, ([p, text]) => {
        const { info: _a, ...m } = protocolMeaning(text);
        const { info: _b, ...asName } = protocolMeaning(p.name);
        expect(m).toEqual(asName);
      }),
    );
  });

  it('every number 0–255 means itself (0 is every protocol), and its label names it back', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), (n) => {
        const m = protocolMeaning(String(n));
        expect(m.number).toBe(n === 0 ? null : n);
        const label = protocolLabel(String(n));
        expect(protocolMeaning(label).number).toBe(m.number);
        expect(protocolIdentity(label === 'any' ? '0' : label)).toBe(String(n));
        expect(rangeKindOf(m)).toBe(m.hasIcmpTypeCode ? 'icmp' : m.hasPorts ? 'ports' : 'none');
      }),
    );
  });

  it('a word the table does not hold has no number; "any", "" and null are every protocol', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), (word) => {
        fc.pre(!PROTOCOLS.some((p) => p.name === word) && word !== 'any');
        expect(protocolMeaning(word).number).toBeNaN();
        expect(protocolMeaning(word).info).toBeUndefined();
      }),
    );
    for (const v of [null, '', 'any', 'ANY', 'ip', 'hopopt', '0']) expect(protocolMeaning(v).number).toBeNull();
  });

  it('the form offers every name once, except 0 and the icmpv6 alias', () => {
    expect(new Set(FORM_PROTOCOLS.map((p) => p.name))).toEqual(new Set(PROTOCOLS.filter((p) => p.number !== 0 && p.name !== 'icmpv6').map((p) => p.name)));
    expect(FORM_PROTOCOLS).toHaveLength(new Set(FORM_PROTOCOLS).size);
  });
});
