// Traffic decided before the rules: always allowed (DHCP, ND), always denied (DHCP server, RA) and anti-spoofing.
import { describe, expect, it } from 'vitest';
import { group, port, rule } from './engine-fixtures.test-support.js';
import type { Flow } from './flow.js';
import { createPolicyEngine } from './policy-engine.js';

function engine() {
  const e = createPolicyEngine();
  e.load({
    groups: [group('open')],
    rules: [rule('any-out', 'open', { direction: 'egress' }), rule('any-out6', 'open', { direction: 'egress', etherType: 'IPv6' })],
    ports: [
      port('bare', { ips: ['10.0.0.1', '2001:db8::1'], mac: 'fa:16:3e:12:34:56' }),
      port('v4only', { ips: ['10.0.0.2'] }),
      port('open', { ips: ['10.0.0.3'], groups: ['open'], pairs: ['10.0.5.0/24', { ip: '2001:db8:5::9', mac: 'fa:16:3e:aa:bb:cc' }] }),
    ],
  });
  return e;
}

const udp = (direction: Flow['direction'], etherType: Flow['etherType'], remoteIp: string, sourcePort: number, p: number, localIp?: string): Flow => ({
  direction, etherType, protocol: 17, remoteIp, sourcePort, port: p, ...(localIp === undefined ? {} : { localIp }),
});
const icmp6 = (direction: Flow['direction'], icmpType: number, localIp?: string, remoteIp = 'fe80::1'): Flow => ({
  direction, etherType: 'IPv6', protocol: 58, remoteIp, icmpType, icmpCode: 0, ...(localIp === undefined ? {} : { localIp }),
});

describe('always-allowed traffic on a port with no groups', () => {
  it('lets DHCP and DHCPv6 client requests out and their replies in', () => {
    const e = engine();
    expect(e.explain('bare', udp('egress', 'IPv4', '10.0.0.254', 68, 67)).reason).toBe('always-allowed');
    expect(e.explain('bare', udp('egress', 'IPv6', 'ff02::1:2', 546, 547)).reason).toBe('always-allowed');
    expect(e.decide('bare', udp('ingress', 'IPv4', '10.0.0.254', 67, 68, '10.0.0.1'))).toBe('allow');
    expect(e.decide('bare', udp('ingress', 'IPv4', '10.0.0.254', 67, 68, '255.255.255.255'))).toBe('allow');
    expect(e.decide('bare', udp('ingress', 'IPv4', '10.0.0.254', 67, 68, '10.0.0.99'))).toBe('deny');
    expect(e.decide('bare', udp('ingress', 'IPv6', 'fe80::2', 547, 546, 'fe80::f816:3eff:fe12:3456'))).toBe('allow');
  });

  it('lets neighbour discovery through: NS, NA, MLD query both ways, RS out, RA in only with an IPv6 address', () => {
    const e = engine();
    for (const t of [130, 135, 136]) {
      expect(e.decide('bare', icmp6('ingress', t))).toBe('allow');
      expect(e.decide('bare', icmp6('egress', t))).toBe('allow');
    }
    expect(e.decide('bare', icmp6('egress', 133))).toBe('allow');
    expect(e.decide('bare', icmp6('ingress', 134))).toBe('allow');
    expect(e.decide('v4only', icmp6('ingress', 134))).toBe('deny');
    expect(e.explain('bare', icmp6('ingress', 128)).reason).toBe('no-matching-rule');
  });

  it('denies everything else, saying the port has no groups', () => {
    const x = engine().explain('bare', { direction: 'egress', etherType: 'IPv4', protocol: 6, remoteIp: '192.0.2.1', port: 443 });
    expect([x.verdict, x.reason, x.nearest]).toEqual(['deny', 'no-matching-rule', []]);
    expect(x.summary).toMatch(/no security groups/);
  });
});

describe('always-denied egress', () => {
  it('stops DHCP server replies and router advertisements even with an allow-all egress rule', () => {
    const e = engine();
    expect(e.explain('open', udp('egress', 'IPv4', '10.0.0.9', 67, 68)).reason).toBe('always-denied');
    expect(e.explain('open', udp('egress', 'IPv6', 'fe80::9', 547, 546)).reason).toBe('always-denied');
    expect(e.explain('open', icmp6('egress', 134)).reason).toBe('always-denied');
  });
});

describe('anti-spoofing', () => {
  const out = (localIp: string, etherType: Flow['etherType'] = 'IPv4', remoteIp = '192.0.2.1'): Flow => ({ direction: 'egress', etherType, protocol: 6, remoteIp, localIp, port: 80 });

  it('lets egress out from a fixed IP, an allowed pair, or the link-local address of an allowed MAC', () => {
    const e = engine();
    expect(e.decide('open', out('10.0.0.3'))).toBe('allow');
    expect(e.decide('open', out('10.0.5.77'))).toBe('allow');
    expect(e.decide('open', out('2001:db8:5::9', 'IPv6', '2001:db8::99'))).toBe('allow');
    expect(e.decide('open', out('fe80::f816:3eff:feaa:bbcc', 'IPv6', '2001:db8::99'))).toBe('allow');
  });

  it('denies any other source as spoofed, whatever the rules', () => {
    const x = engine().explain('open', out('10.0.6.1'));
    expect([x.verdict, x.reason]).toEqual(['deny', 'spoofed']);
    expect(x.matches.map((m) => m.ruleId)).toEqual(['any-out']);
  });

  it('lets DHCP discover from 0.0.0.0 and DAD from :: through', () => {
    const e = engine();
    expect(e.explain('bare', udp('egress', 'IPv4', '255.255.255.255', 68, 67, '0.0.0.0')).reason).toBe('always-allowed');
    expect(e.explain('bare', udp('egress', 'IPv4', '10.0.0.254', 68, 67, '0.0.0.0')).reason).toBe('spoofed');
    for (const t of [131, 135, 143]) expect(e.decide('bare', icmp6('egress', t, '::', 'ff02::1:ff12:3456'))).toBe('allow');
    expect(e.explain('bare', icmp6('egress', 136, '::', 'ff02::1')).reason).toBe('spoofed');
  });
});
