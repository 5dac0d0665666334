import { describe, expect, it } from 'vitest';
import { normalizedCidrOf } from '../domain/index.js';
import { wireNormalizedCidr } from './rule-spec-wire.js';

describe('wireNormalizedCidr', () => {
  it('gives what normalizedCidrOf gives, for repeated, absent and many distinct prefixes', () => {
    const prefixes = [null, '10.1.2.3/8', '10.1.2.3/8', '2001:db8::1/64', '192.168.0.1', ...Array.from({ length: 10_050 }, (_, i) => `10.${i >> 8}.${i & 255}.7/24`), '10.1.2.3/8'];
    for (const remoteIpPrefix of prefixes) expect(wireNormalizedCidr({ remoteIpPrefix })).toBe(normalizedCidrOf({ remoteIpPrefix }));
  });
});
