// The one address and prefix parser: what the server, the agent and the console all read, checked by properties.
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { describe, expect, it } from 'vitest';
import { addressBits, cidrContains, formatCidr, formatNormalizedCidr, networkOf, tryParseCidr, tryParseIpAddress } from './index.js';

const prefix = fc.oneof(
  fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })),
  fc.tuple(fc.ipV6(), fc.integer({ min: 0, max: 128 })),
).map(([a, n]) => `${a}/${n}`);

describe('tryParseCidr', () => {
  it('clears host bits as ipaddr.js does, and the network is a fixed point that contains the address', () => {
    fc.assert(
      fc.property(prefix, (text) => {
        const cidr = tryParseCidr(text)!;
        const [address, len] = ipaddr.parseCIDR(text);
        const network = address.kind() === 'ipv4' ? ipaddr.IPv4.networkAddressFromCIDR(text) : ipaddr.IPv6.networkAddressFromCIDR(text);
        expect(formatNormalizedCidr(cidr)).toBe(`${network.toString()}/${len}`);
        const normal = tryParseCidr(formatNormalizedCidr(cidr))!;
        expect(formatNormalizedCidr(normal)).toBe(formatCidr(normal));
        expect(cidrContains(normal, cidr.address)).toBe(true);
        expect(networkOf(cidr)).toEqual(normal.address);
      }),
      { numRuns: 2000 },
    );
  });

  it('a bare address is its host prefix; a length past the family or a bad one is refused', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), fc.constantFrom('', '/33', '/129', '/', '/-1', '/1x', '/ 8'), (a, tail) => {
        const address = tryParseIpAddress(a)!;
        const bits = addressBits(address.version);
        const parsed = tryParseCidr(`${a}${tail}`);
        if (tail === '') expect(parsed?.prefixLength).toBe(bits);
        else if (tail === '/33' && bits === 128) expect(parsed?.prefixLength).toBe(33);
        else expect(parsed).toBeNull();
      }),
    );
  });
});
