// Address-group input: separators, host prefixes, normalising, duplicates, refusals.
import { describe, expect, it } from 'vitest';
import { parseAddressInput } from './address-list.js';

describe('parseAddressInput', () => {
  it('splits on commas, blanks and lines; bare addresses become host prefixes; host bits are cleared; duplicates go', () => {
    expect(parseAddressInput('10.0.0.7/24, 192.0.2.1\n2001:db8::1/64  10.0.0.9/24')).toEqual({ addresses: ['10.0.0.0/24', '192.0.2.1/32', '2001:db8::/64'] });
    expect(parseAddressInput('  ')).toEqual({ addresses: [] });
  });

  it('names the first value that is not an address', () => {
    expect(parseAddressInput('10.0.0.0/8 nope 10.0.0.0/33')).toEqual({ problem: "'nope' is not an IP address or CIDR." });
  });
});
