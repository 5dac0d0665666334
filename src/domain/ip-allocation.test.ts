// Fixed-IP allocation: lowest free host address, skipping reserved ones, in IPv4 and IPv6.
import { describe, expect, it } from 'vitest';
import { tryParseCidr } from './cidr.js';
import { addressInSubnet, allocationPool, firstFreeAddress } from './ip-allocation.js';

const cidr = (t: string) => tryParseCidr(t)!;

describe('firstFreeAddress', () => {
  it('skips the network address, the gateway and taken addresses', () => {
    expect(firstFreeAddress(cidr('10.0.0.0/24'), '10.0.0.1', new Set())).toBe('10.0.0.2');
    expect(firstFreeAddress(cidr('10.0.0.0/24'), '10.0.0.1', new Set(['10.0.0.2', '10.0.0.3']))).toBe('10.0.0.4');
    expect(firstFreeAddress(cidr('2001:db8::/64'), '2001:db8::1', new Set())).toBe('2001:db8::2');
  });

  it('never hands out the broadcast address and reports a full subnet', () => {
    expect(firstFreeAddress(cidr('10.0.0.0/30'), '10.0.0.1', new Set())).toBe('10.0.0.2');
    expect(firstFreeAddress(cidr('10.0.0.0/30'), '10.0.0.1', new Set(['10.0.0.2']))).toBeNull();
  });
});

describe('addressInSubnet', () => {
  it('canonicalises addresses inside and refuses those outside', () => {
    expect(addressInSubnet(cidr('2001:db8::/64'), '2001:DB8::0:5')).toBe('2001:db8::5');
    expect(addressInSubnet(cidr('10.0.0.0/24'), '10.0.1.5')).toBeNull();
    expect(addressInSubnet(cidr('10.0.0.0/24'), 'nope')).toBeNull();
  });
});

describe('allocationPool', () => {
  it('is the usable range without the gateway', () => {
    expect(allocationPool(cidr('10.0.0.0/24'), '10.0.0.1')).toEqual({ start: '10.0.0.2', end: '10.0.0.254' });
    expect(allocationPool(cidr('10.0.0.0/24'), '10.0.0.254')).toEqual({ start: '10.0.0.1', end: '10.0.0.253' });
    expect(allocationPool(cidr('10.0.0.0/24'), null)).toEqual({ start: '10.0.0.1', end: '10.0.0.254' });
    expect(allocationPool(cidr('2001:db8::/64'), '2001:db8::1')).toEqual({ start: '2001:db8::2', end: '2001:db8::ffff:ffff:ffff:ffff' });
    expect(allocationPool(cidr('10.0.0.0/32'), '10.0.0.0')).toBeNull();
  });
});
