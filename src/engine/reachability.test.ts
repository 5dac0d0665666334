// reachability(): both sides' verdicts, which side blocks, and a rule that opens it (checked by adding it).
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../domain/index.js';
import { group, port, rule } from './engine-fixtures.test-support.js';
import { createPolicyEngine } from './policy-engine.js';

function engine() {
  const e = createPolicyEngine();
  e.load({
    groups: [group('web'), group('db'), group('closed'), group('cold', { stateful: false })],
    rules: [
      rule('web-out', 'web', { direction: 'egress' }),
      rule('db-out', 'db', { direction: 'egress' }),
      rule('cold-out', 'cold', { direction: 'egress' }),
      rule('cold-in', 'cold', { direction: 'ingress', protocol: 'tcp', portRangeMin: 80, portRangeMax: 80 }),
    ],
    ports: [
      port('app', { ips: ['10.0.0.1', '2001:db8::1'], groups: ['web'] }),
      port('db1', { ips: ['10.0.0.2', '2001:db8::2'], groups: ['db'] }),
      port('lone', { ips: ['10.0.0.3'], groups: [] }),
      port('shut', { ips: ['10.0.0.4'], groups: ['closed'] }),
      port('cache', { ips: ['10.0.0.5'], groups: ['cold'] }),
      port('v6', { ips: ['2001:db8::6'], groups: ['db'] }),
    ],
  });
  return e;
}

describe('reachability', () => {
  it("finds the destination's ingress blocking and proposes a remote-group rule that opens it", () => {
    const e = engine();
    const r = e.reachability('app', 'db1', { protocol: 'tcp', port: 5432 });
    expect([r.verdict, r.etherType, r.sourceIp, r.destinationIp, r.blockedBy]).toEqual(['deny', 'IPv4', '10.0.0.1', '10.0.0.2', ['destination-ingress']]);
    expect(r.egress.matches.map((m) => m.ruleId)).toEqual(['web-out']);
    expect(r.openWith).toHaveLength(1);
    const open = r.openWith[0]!;
    expect([open.side, open.portId, open.groupId]).toEqual(['destination-ingress', 'db1', 'db']);
    expect(open.rule).toMatchObject({ direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteGroupId: 'web', remoteIpPrefix: null });
    e.apply({ kind: 'rule', rule: rule('opened', open.groupId, open.rule) });
    const after = e.reachability('app', 'db1', { protocol: 'tcp', port: 5432 });
    expect([after.verdict, after.ingress.matches.map((m) => m.ruleId)]).toEqual(['allow', ['opened']]);
  });

  it('proposes a /32 when the other side has no group, and blames the source egress when it blocks', () => {
    const e = engine();
    const fromLone = e.reachability('lone', 'db1', { protocol: 'udp', port: 53 });
    expect(fromLone.blockedBy).toEqual(['source-egress', 'destination-ingress']);
    expect(fromLone.openWith.map((o) => [o.side, o.groupId])).toEqual([['destination-ingress', 'db']]);
    expect(fromLone.openWith[0]!.rule).toMatchObject({ remoteIpPrefix: '10.0.0.3/32', remoteGroupId: null });
    const fromShut = e.reachability('shut', 'cache', { protocol: 'tcp', port: 80 });
    expect([fromShut.blockedBy, fromShut.openWith[0]?.rule.direction, fromShut.openWith[0]?.rule.remoteGroupId]).toEqual([['source-egress'], 'egress', 'cold']);
  });

  it('reports stateless groups, defaults ICMP to echo request, and picks IPv6 when IPv4 is missing', () => {
    const e = engine();
    expect(e.reachability('app', 'cache', { protocol: 'tcp', port: 80 })).toMatchObject({ verdict: 'allow', repliesNeedRules: true });
    const ping = e.reachability('app', 'cache', { protocol: 'icmp' });
    expect(ping.openWith[0]!.rule).toMatchObject({ protocol: 'icmp', portRangeMin: 8, portRangeMax: 0 });
    expect(e.reachability('app', 'v6', { protocol: 'tcp', port: 1 }).etherType).toBe('IPv6');
  });

  it('refuses a service with no single protocol, or ports without a common IP version', () => {
    const e = engine();
    expect(() => e.reachability('app', 'db1', { protocol: 'any' })).toThrow(InvalidInputError);
    expect(() => e.reachability('lone', 'v6', { protocol: 'tcp', port: 1 })).toThrow(/IPv6 fixed IP/);
    expect(() => e.reachability('app', 'db1', { protocol: 'tcp' })).toThrow(/port is required/);
  });
});
