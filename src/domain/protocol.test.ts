// Protocol parsing and normalisation as the §7.1 table of neutron-api.md says, plus properties over all inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from './errors.js';
import { parseProtocol, protocolIdentity, protocolMeaning, PROTOCOLS } from './protocol.js';

describe('parseProtocol (§7.1)', () => {
  it.each([
    [null, 'IPv4', null],
    [undefined, 'IPv4', null],
    ['any', 'IPv4', null],
    ['ANY', 'IPv4', null],
    ['TCP', 'IPv4', 'tcp'],
    [6, 'IPv4', '6'],
    ['6', 'IPv4', '6'],
    ['06', 'IPv4', '6'],
    ['0', 'IPv4', '0'],
    [0, 'IPv4', '0'],
    ['icmp', 'IPv4', 'icmp'],
    ['icmp', 'IPv6', 'ipv6-icmp'],
    ['icmpv6', 'IPv6', 'ipv6-icmp'],
    ['1', 'IPv6', '58'],
    [1, 'IPv6', '58'],
    ['255', 'IPv4', '255'],
  ] as const)('%j on %s → %j', (input, ether, expected) => {
    expect(parseProtocol(input, ether)).toBe(expected);
  });

  it.each(['', 'tcp/ip', '256', '-1', 'bad', ' 6', 256, -1, 1.5, true, {}, []])('refuses %j with SecurityGroupRuleInvalidProtocol', (input) => {
    expect(() => parseProtocol(input, 'IPv4')).toThrow(InvalidInputError);
    try {
      parseProtocol(input, 'IPv4');
    } catch (e) {
      expect((e as InvalidInputError).code).toBe('SecurityGroupRuleInvalidProtocol');
      expect((e as InvalidInputError).message).toContain('integer representations [0 to 255] are supported');
    }
  });

  it('accepts every listed name in any case, and every number 0–255', () => {
    fc.assert(
      fc.property(fc.constantFrom(...PROTOCOLS.map((p) => p.name)), fc.boolean(), (name, upper) => {
        const out = parseProtocol(upper ? name.toUpperCase() : name, 'IPv4');
        expect(out).toBe(name);
      }),
    );
    fc.assert(fc.property(fc.integer({ min: 0, max: 255 }), (n) => parseProtocol(n, 'IPv4') === String(n)));
  });

  it('is idempotent: parsing a normalised value gives it back', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...PROTOCOLS.map((p) => p.name), 'any')), fc.constantFrom('IPv4', 'IPv6' as const), (input, ether) => {
        const once = parseProtocol(input, ether);
        expect(parseProtocol(once, ether)).toBe(once);
      }),
    );
  });
});

describe('protocol meaning and identity', () => {
  it('treats null, "0", "ip" and "hopopt" as every protocol', () => {
    for (const p of [null, '0', 'ip', 'hopopt']) expect(protocolMeaning(p).number).toBeNull();
  });

  it('knows which protocols have ports and which have ICMP type/code', () => {
    expect(protocolMeaning('tcp')).toMatchObject({ number: 6, hasPorts: true });
    expect(protocolMeaning('17')).toMatchObject({ number: 17, hasPorts: true });
    expect(protocolMeaning('58')).toMatchObject({ hasIcmpTypeCode: true, ipv6Only: true });
    expect(protocolMeaning('47')).toMatchObject({ hasPorts: false, hasIcmpTypeCode: false });
  });

  it('makes tcp ≡ 6 and keeps null ≢ "0" (§7.4)', () => {
    expect(protocolIdentity('tcp')).toBe(protocolIdentity('6'));
    expect(protocolIdentity('ipv6-icmp')).toBe(protocolIdentity('58'));
    expect(protocolIdentity(null)).not.toBe(protocolIdentity('0'));
  });
});
