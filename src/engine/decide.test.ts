// decide(): each semantic point of docs/engine.md and neutron-api.md §10.1, one scenario each.
import { describe, expect, it } from 'vitest';
import { InvalidInputError, NotFoundError, type RuleDraft } from '../domain/index.js';
import { group, port, rule } from './engine-fixtures.test-support.js';
import type { Flow } from './flow.js';
import { createPolicyEngine } from './policy-engine.js';

const tcpIn = (remoteIp: string, p: number): Flow => ({ direction: 'ingress', etherType: 'IPv4', protocol: 6, remoteIp, port: p });

/** An engine with web (stateful), db, one port `a` in web at 10.0.0.1 and the given rules in web. */
function engineWith(...drafts: RuleDraft[]) {
  const engine = createPolicyEngine();
  engine.load({
    groups: [group('web'), group('db')],
    rules: drafts.map((d, i) => rule(`r${i}`, 'web', d)),
    ports: [port('a', { ips: ['10.0.0.1', '2001:db8::1'], groups: ['web'] }), port('b', { ips: ['10.0.1.7', '2001:db8::7'], groups: ['db'], pairs: ['10.9.0.0/24'] })],
  });
  return engine;
}

describe('decide', () => {
  it('denies by default and allows what an ingress rule admits on port range boundaries', () => {
    const e = engineWith({ direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 25 });
    expect([21, 22, 25, 26].map((p) => e.decide('a', tcpIn('192.0.2.1', p)))).toEqual(['deny', 'allow', 'allow', 'deny']);
  });

  it('treats protocol null, "0", "ip" and "hopopt" as every protocol', () => {
    for (const protocol of [null, '0', 'ip', 'hopopt']) {
      const e = engineWith({ direction: 'ingress', protocol });
      expect(e.decide('a', { direction: 'ingress', etherType: 'IPv4', protocol: 47, remoteIp: '192.0.2.1' })).toBe('allow');
      expect(e.decide('a', tcpIn('192.0.2.1', 9))).toBe('allow');
    }
  });

  it('matches the ether type: an IPv4 rule does not admit IPv6', () => {
    const e = engineWith({ direction: 'ingress', protocol: 'tcp' });
    expect(e.decide('a', tcpIn('192.0.2.1', 80))).toBe('allow');
    expect(e.decide('a', { direction: 'ingress', etherType: 'IPv6', protocol: 6, remoteIp: '2001:db8::9', port: 80 })).toBe('deny');
  });

  it('matches ingress on the source and egress on the destination, by network (host bits kept)', () => {
    const e = engineWith({ direction: 'ingress', remoteIpPrefix: '198.51.100.77/24' }, { direction: 'egress', remoteIpPrefix: '203.0.113.0/30' });
    expect(e.decide('a', tcpIn('198.51.100.200', 1))).toBe('allow');
    expect(e.decide('a', tcpIn('198.51.101.1', 1))).toBe('deny');
    const out = (remoteIp: string): Flow => ({ direction: 'egress', etherType: 'IPv4', protocol: 6, remoteIp, localIp: '10.0.0.1', port: 443 });
    expect([out('203.0.113.3'), out('203.0.113.4')].map((f) => e.decide('a', f))).toEqual(['allow', 'deny']);
  });

  it('keeps every rule whose prefixes differ only in host bits', () => {
    const e = engineWith(
      { direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '10.7.0.77/24' },
      { direction: 'ingress', protocol: 'tcp', portRangeMin: 80, portRangeMax: 80, remoteIpPrefix: '10.7.0.0/24' },
    );
    expect([22, 80, 81].map((p) => e.decide('a', tcpIn('10.7.0.5', p)))).toEqual(['allow', 'allow', 'deny']);
  });

  it('reads ICMP type and code: null type = all, type without code = all codes', () => {
    const icmp = (icmpType: number, icmpCode: number): Flow => ({ direction: 'ingress', etherType: 'IPv4', protocol: 1, remoteIp: '192.0.2.1', icmpType, icmpCode });
    const typed = engineWith({ direction: 'ingress', protocol: 'icmp', portRangeMin: 8 });
    expect([typed.decide('a', icmp(8, 0)), typed.decide('a', icmp(8, 5)), typed.decide('a', icmp(0, 0))]).toEqual(['allow', 'allow', 'deny']);
    const coded = engineWith({ direction: 'ingress', protocol: 'icmp', portRangeMin: 3, portRangeMax: 4 });
    expect([coded.decide('a', icmp(3, 4)), coded.decide('a', icmp(3, 3))]).toEqual(['allow', 'deny']);
    const all = engineWith({ direction: 'ingress', protocol: 'icmp' });
    expect(all.decide('a', icmp(200, 7))).toBe('allow');
  });

  it("admits a remote group's fixed IPs and allowed-address-pair prefixes, of the rule's ether type only", () => {
    const e = engineWith({ direction: 'ingress', remoteGroupId: 'db' });
    expect(e.decide('a', tcpIn('10.0.1.7', 5432))).toBe('allow');
    expect(e.decide('a', tcpIn('10.9.0.200', 5432))).toBe('allow');
    expect(e.decide('a', tcpIn('10.0.1.8', 5432))).toBe('deny');
    expect(e.decide('a', { direction: 'ingress', etherType: 'IPv6', protocol: 6, remoteIp: '2001:db8::7', port: 1 })).toBe('deny');
  });

  it('follows membership changes without any rule change', () => {
    const e = engineWith({ direction: 'ingress', remoteGroupId: 'db' });
    expect(e.decide('a', tcpIn('10.0.2.2', 1))).toBe('deny');
    e.apply({ kind: 'port', port: port('c', { ips: ['10.0.2.2'], groups: ['db'] }) });
    expect(e.decide('a', tcpIn('10.0.2.2', 1))).toBe('allow');
    e.apply({ kind: 'port', port: port('c', { ips: ['10.0.2.2'], groups: [] }) });
    expect(e.decide('a', tcpIn('10.0.2.2', 1))).toBe('deny');
    e.apply({ kind: 'port', port: port('c', { ips: ['10.0.2.2'], groups: ['db'] }) });
    e.apply({ kind: 'port-deleted', portId: 'c' });
    expect(e.decide('a', tcpIn('10.0.2.2', 1))).toBe('deny');
  });

  it('takes the union of all groups of a port', () => {
    const engine = createPolicyEngine();
    engine.load({
      groups: [group('g1'), group('g2')],
      rules: [rule('r1', 'g1', { direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 }), rule('r2', 'g2', { direction: 'ingress', protocol: 'udp', portRangeMin: 53, portRangeMax: 53 })],
      ports: [port('a', { ips: ['10.0.0.1'], groups: ['g1', 'g2'] })],
    });
    expect(engine.decide('a', tcpIn('192.0.2.1', 22))).toBe('allow');
    expect(engine.decide('a', { direction: 'ingress', etherType: 'IPv4', protocol: 17, remoteIp: '192.0.2.1', port: 53 })).toBe('allow');
  });

  it('filters nothing when port security is off, and nothing on network:* ports', () => {
    const engine = createPolicyEngine();
    engine.load({ groups: [], rules: [], ports: [port('off', { ips: ['10.0.0.1'], portSecurity: false }), port('dhcp', { ips: ['10.0.0.2'], deviceOwner: 'network:dhcp' })] });
    expect(engine.decide('off', tcpIn('192.0.2.1', 1))).toBe('allow');
    expect(engine.decide('dhcp', tcpIn('192.0.2.1', 1))).toBe('allow');
    expect(engine.decide('off', { direction: 'egress', etherType: 'IPv4', protocol: 6, remoteIp: '192.0.2.1', localIp: '10.66.0.1', port: 1 })).toBe('allow');
  });

  it('recompiles after rule changes and group deletion', () => {
    const e = engineWith({ direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22 });
    expect(e.decide('a', tcpIn('192.0.2.1', 80))).toBe('deny');
    e.apply({ kind: 'rule', rule: rule('r9', 'web', { direction: 'ingress', protocol: 'tcp', portRangeMin: 80, portRangeMax: 80 }) });
    expect(e.decide('a', tcpIn('192.0.2.1', 80))).toBe('allow');
    e.apply({ kind: 'rule-deleted', ruleId: 'r9' });
    expect(e.decide('a', tcpIn('192.0.2.1', 80))).toBe('deny');
    e.apply({ kind: 'group-deleted', groupId: 'web' });
    expect(e.decide('a', tcpIn('192.0.2.1', 22))).toBe('deny');
  });

  it('answers PortNotFound for an unknown port and lists every problem of a bad flow', () => {
    const e = engineWith();
    expect(() => e.decide('nope', tcpIn('192.0.2.1', 1))).toThrow(NotFoundError);
    try {
      e.decide('a', { direction: 'sideways', etherType: 'IPv4', protocol: 6, remoteIp: '2001:db8::1' } as unknown as Flow);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(InvalidInputError);
      expect((err as InvalidInputError).issues.map((i) => i.path)).toEqual(['flow.direction', 'flow.remoteIp', 'flow.port']);
      // Messages name the attributes the caller sent (remote_ip), not the engine's fields (remoteIp).
      expect((err as InvalidInputError).message).toContain('remote_ip 2001:db8::1 is not an IPv4 address.');
      expect((err as InvalidInputError).message).not.toMatch(/remoteIp/);
    }
    expect(() => e.decide('a', { direction: 'ingress', etherType: 'IPv4', protocol: 1, remoteIp: '192.0.2.1', icmpType: 300, icmpCode: 0 })).toThrow(/icmp_type must be an integer from 0 to 255/);
  });
});
