// explain() and effectiveRules(): what matched what, the nearest rules on a deny, origins of merged rules.
import { describe, expect, it } from 'vitest';
import { group, port, rule } from './engine-fixtures.test-support.js';
import type { Flow } from './flow.js';
import { createPolicyEngine } from './policy-engine.js';

function engine() {
  const e = createPolicyEngine();
  e.load({
    groups: [group('web', { name: 'web' }), group('ops', { name: 'ops', stateful: false }), group('lb', { name: 'lb' })],
    rules: [
      rule('http', 'web', { direction: 'ingress', protocol: 'tcp', portRangeMin: 80, portRangeMax: 80, remoteGroupId: 'lb' }),
      rule('https', 'web', { direction: 'ingress', protocol: 'tcp', portRangeMin: 443, portRangeMax: 443 }),
      rule('ssh', 'ops', { direction: 'ingress', protocol: 'tcp', portRangeMin: 22, portRangeMax: 22, remoteIpPrefix: '192.0.2.0/24' }),
      rule('https-again', 'ops', { direction: 'ingress', protocol: '6', portRangeMin: 443, portRangeMax: 443, remoteIpPrefix: '0.0.0.0/0' }),
    ],
    ports: [port('a', { ips: ['10.0.0.1'], groups: ['web', 'ops'] }), port('lb1', { ips: ['10.0.9.9'], groups: ['lb'] })],
  });
  return e;
}

const tcpIn = (remoteIp: string, p: number): Flow => ({ direction: 'ingress', etherType: 'IPv4', protocol: 6, remoteIp, port: p });

describe('explain', () => {
  it('lists every matching rule with its group and what each field matched', () => {
    const x = engine().explain('a', tcpIn('198.51.100.1', 443));
    expect([x.verdict, x.reason, x.stateful]).toEqual(['allow', 'rule', false]);
    expect(x.matches.map((m) => [m.ruleId, m.groupName])).toEqual([['https', 'web'], ['https-again', 'ops']]);
    expect(x.matches[1]!.fields).toEqual([
      { field: 'direction', matched: true, rule: 'ingress', flow: 'ingress' },
      { field: 'etherType', matched: true, rule: 'IPv4', flow: 'IPv4' },
      { field: 'protocol', matched: true, rule: 'tcp', flow: 'tcp' },
      { field: 'ports', matched: true, rule: 'port 443', flow: 'port 443' },
      { field: 'remote', matched: true, rule: 'prefix 0.0.0.0/0', flow: 'source 198.51.100.1' },
    ]);
  });

  it('says which member of a remote group the source is', () => {
    const x = engine().explain('a', tcpIn('10.0.9.9', 80));
    expect(x.matches.map((m) => m.ruleId)).toEqual(['http']);
    expect(x.matches[0]!.fields[4]).toEqual({ field: 'remote', matched: true, rule: 'members of group lb (lb)', flow: 'source 10.0.9.9 (a member)' });
  });

  it('gives the nearest rules on a deny, with the fields that missed', () => {
    const x = engine().explain('a', tcpIn('203.0.113.5', 22));
    expect([x.verdict, x.reason]).toEqual(['deny', 'no-matching-rule']);
    expect(x.nearest.map((n) => [n.ruleId, n.mismatches])).toEqual([['https', 1], ['https-again', 1], ['ssh', 1]]);
    const ssh = x.nearest.find((n) => n.ruleId === 'ssh')!;
    expect(ssh.fields.filter((f) => !f.matched)).toEqual([{ field: 'remote', matched: false, rule: 'prefix 192.0.2.0/24', flow: 'source 203.0.113.5' }]);
    const udp = engine().explain('a', { ...tcpIn('192.0.2.5', 22), protocol: 17 });
    expect(udp.nearest.map((n) => [n.ruleId, n.fields.filter((f) => !f.matched).map((f) => f.field)])).toEqual([['ssh', ['protocol']]]);
  });
});

describe('effectiveRules', () => {
  it('merges duplicates across groups (tcp ≡ 6, no prefix ≡ 0.0.0.0/0) and keeps every origin', () => {
    const policy = engine().effectiveRules('a');
    expect([policy.filtering, policy.groupIds, policy.stateful]).toEqual(['filtered', ['web', 'ops'], false]);
    expect(policy.rules).toHaveLength(3);
    const https = policy.rules.find((r) => r.origins.length === 2)!;
    expect(https.origins.map((o) => `${o.groupName}/${o.ruleId}`).sort()).toEqual(['ops/https-again', 'web/https']);
    expect(https.rule).toMatchObject({ direction: 'ingress', protocol: 'tcp', portRangeMin: 443, portRangeMax: 443 });
  });

  it('reports ports that are not filtered', () => {
    const e = createPolicyEngine();
    e.load({ groups: [], rules: [], ports: [port('x', { portSecurity: false }), port('r', { deviceOwner: 'network:router_interface' })] });
    expect([e.effectiveRules('x').filtering, e.effectiveRules('r').filtering]).toEqual(['port-security-disabled', 'trusted-port']);
  });
});
