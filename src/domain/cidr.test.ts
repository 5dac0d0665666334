// CIDR parsing, canonical forms and containment, checked by examples and by properties.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { cidrContains, formatCidr, formatNormalizedCidr, parseCidr, tryParseCidr, tryParseIpAddress, formatIpAddress } from './cidr.js';

describe('parseCidr (S6, S17)', () => {
  it('adds /32 and /128 to bare addresses and keeps host bits', () => {
    expect(formatCidr(parseCidr('10.1.2.3'))).toBe('10.1.2.3/32');
    expect(formatCidr(parseCidr('2001:DB8::1'))).toBe('2001:db8::1/128');
    expect(formatCidr(parseCidr('10.0.0.34/24'))).toBe('10.0.0.34/24');
    expect(formatNormalizedCidr(parseCidr('10.0.0.34/24'))).toBe('10.0.0.0/24');
    expect(formatNormalizedCidr(parseCidr('2001:db8::ff/64'))).toBe('2001:db8::/64');
    expect(formatCidr(parseCidr('0.0.0.0/0'))).toBe('0.0.0.0/0');
  });

  it.each(['192.168.1./24', '192.168.1.1/33', '2001:db8::1/129', '256', 'bad_prefix', '', '10.0.0.1/', '10.0.0.1/-1', '1.2.3.4/08x', 'fe80::1%eth0'])(
    'refuses %j with InvalidCIDR and Neutron\'s message',
    (input) => {
      expect(() => parseCidr(input)).toThrow(`Invalid CIDR ${input} given as IP prefix.`);
    },
  );

  it('refuses non-strings', () => {
    expect(() => parseCidr(12)).toThrow('Invalid CIDR 12 given as IP prefix.');
  });
});

describe('properties', () => {
  it('round-trips IPv4 and IPv6 addresses', () => {
    fc.assert(fc.property(fc.ipV4(), (ip) => formatIpAddress(tryParseIpAddress(ip)!) === ip));
    fc.assert(
      fc.property(fc.ipV6(), (ip) => {
        const parsed = tryParseIpAddress(ip);
        expect(parsed).not.toBeNull();
        expect(tryParseIpAddress(formatIpAddress(parsed!))).toEqual(parsed);
      }),
    );
  });

  it('normalising clears exactly the host bits (checked by octet arithmetic), keeps the length, and is idempotent', () => {
    fc.assert(
      fc.property(fc.ipV4(), fc.integer({ min: 0, max: 32 }), (ip, len) => {
        const cidr = tryParseCidr(`${ip}/${len}`)!;
        expect(cidrContains(cidr, cidr.address)).toBe(true);
        const normal = formatNormalizedCidr(cidr);
        const network = ip.split('.').map((octet, i) => Number(octet) & (0xff << (8 - Math.min(8, Math.max(0, len - 8 * i)))) & 0xff);
        expect(normal).toBe(`${network.join('.')}/${len}`);
        expect(formatNormalizedCidr(tryParseCidr(normal)!)).toBe(normal);
        expect(formatCidr(tryParseCidr(normal)!)).toBe(normal);
      }),
    );
  });

  it('never contains an address of the other family', () => {
    fc.assert(fc.property(fc.ipV4(), fc.ipV6(), (v4, v6) => !cidrContains(tryParseCidr('0.0.0.0/0')!, tryParseIpAddress(v6)!) && !cidrContains(tryParseCidr('::/0')!, tryParseIpAddress(v4)!)));
  });
});
