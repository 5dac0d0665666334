// Tests for the console's address and prefix checks.
import { describe, expect, it } from 'vitest';
import { anywhere, parseCidr } from './ip-cidr.js';

describe('parseCidr', () => {
  it('adds the host mask to a bare address and keeps host bits', () => {
    expect(parseCidr('10.0.0.1')).toEqual({ version: 4, prefixLength: 32, text: '10.0.0.1/32' });
    expect(parseCidr('10.0.0.34/24')?.text).toBe('10.0.0.34/24');
    expect(parseCidr('2001:db8::1')).toEqual({ version: 6, prefixLength: 128, text: '2001:db8::1/128' });
    expect(parseCidr(' ::/0 ')?.prefixLength).toBe(0);
  });

  it.each(['192.168.1./24', '192.168.1.1/33', '2001:db8::1/129', '256', 'bad_prefix', '1.2.3.4/', '1.2.3.04', '', '1::2::3'])(
    'refuses %s',
    (bad) => expect(parseCidr(bad)).toBeNull(),
  );

  it('knows IPv6 forms with embedded IPv4 and full hextets', () => {
    expect(parseCidr('::ffff:10.0.0.1')?.version).toBe(6);
    expect(parseCidr('1:2:3:4:5:6:7:8')?.version).toBe(6);
    expect(parseCidr('1:2:3:4:5:6:7:8:9')).toBeNull();
    expect(parseCidr('1:2:3:4:5:6:7::8')).toBeNull();
  });

  it('names the Anywhere prefix per ether type', () => {
    expect(anywhere('IPv4')).toBe('0.0.0.0/0');
    expect(anywhere('IPv6')).toBe('::/0');
  });
});
