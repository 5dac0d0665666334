// Tests for the console's address and prefix checks.
import { describe, expect, it } from 'vitest';
import { anywhere, flowAddressProblem, parseCidr, prefixMeaningHint, subnetCidrProblem } from './ip-cidr.js';

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

describe('prefixMeaningHint (issue 18 defect 9)', () => {
  it('says that a prefix with host bits set means its whole network', () => {
    expect(prefixMeaningHint('10.0.0.5/24')).toBe('10.0.0.5/24 matches the whole network 10.0.0.0/24, not only 10.0.0.5.');
    expect(prefixMeaningHint('2001:db8::1/64')).toContain('2001:db8::/64');
    expect(prefixMeaningHint('10.0.0.0/24')).toBeNull();
    expect(prefixMeaningHint('10.0.0.5')).toBeNull();
    expect(prefixMeaningHint('nonsense/3')).toBeNull();
  });
});

describe('subnetCidrProblem (issue 18 defect 2)', () => {
  it('catches a bad subnet CIDR before any network is created', () => {
    expect(subnetCidrProblem('10.0.0.0/24')).toBeNull();
    expect(subnetCidrProblem('10.0.0.300/24')).toMatch(/is not a subnet CIDR/);
    expect(subnetCidrProblem('10.0.0.1')).toMatch(/is not a subnet CIDR/);
    expect(subnetCidrProblem('10.0.0.0/32')).toMatch(/leaves no addresses/);
    expect(subnetCidrProblem(' ')).toMatch(/Give the subnet a CIDR/);
  });
});

describe('flowAddressProblem (issue 18 defect 3)', () => {
  it('checks the flow check remote IP in the browser, in words that name no internal field', () => {
    expect(flowAddressProblem('10.0.0.5')).toBeNull();
    expect(flowAddressProblem('2001:db8::5')).toBeNull();
    expect(flowAddressProblem('10.0.0.500')).toBe("'10.0.0.500' is not an IPv4 or IPv6 address.");
    expect(flowAddressProblem('10.0.0.0/8')).toMatch(/not a prefix/);
    expect(flowAddressProblem('')).toMatch(/Give the remote IP/);
  });
});
