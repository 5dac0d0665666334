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
    expect(x.matches[0]!.fields[4]).toEqual({
      field: 'remote', matched: true, rule: 'members of group lb (lb)', flow: 'source 10.0.9.9 (a member)',
      members: { groupId: 'lb', groupName: 'lb', count: 1, wide: false, foreign: false, ports: [{ portId: 'lb1', projectId: 'p1', via: 'fixed_ip', prefix: '10.0.9.9', foreign: false }] },
    });
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

describe('explain: evidence for a remote-group match', () => {
  // WEB belongs to p1 and is shared with p2; p2 puts it on a port with a 0.0.0.0/0 address pair.
  function sharedGroup() {
    const e = createPolicyEngine();
    e.load({
      groups: [group('web', { name: 'WEB', projectId: 'p1' }), group('db', { projectId: 'p1' })],
      rules: [rule('pg', 'db', { direction: 'ingress', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteGroupId: 'web' })],
      ports: [
        port('d', { ips: ['10.0.1.1'], groups: ['db'] }),
        port('web1', { ips: ['10.0.0.5'], groups: ['web'], pairs: ['10.0.0.0/24'] }),
        port('rogue', { ips: ['10.9.0.1'], groups: ['web'], pairs: ['0.0.0.0/0', '203.0.113.0/24'], projectId: 'p2' }),
      ],
    });
    return e;
  }
  const remoteOf = (e: ReturnType<typeof sharedGroup>, ip: string) => e.explain('d', tcpIn(ip, 5432)).matches[0]?.fields[4]?.members;

  it("names a foreign port's address pair as the only reason any address matches: wide and foreign", () => {
    expect(remoteOf(sharedGroup(), '198.51.100.7')).toEqual({
      groupId: 'web', groupName: 'WEB', count: 1, wide: true, foreign: true,
      ports: [{ portId: 'rogue', projectId: 'p2', via: 'allowed_address_pair', prefix: '0.0.0.0/0', foreign: true }],
    });
    // The most specific pair of the port is named.
    expect(remoteOf(sharedGroup(), '203.0.113.9')!.ports[0]).toMatchObject({ portId: 'rogue', prefix: '203.0.113.0/24' });
  });

  it('is neither wide nor foreign when a port of the group\'s project holds the address as a fixed IP', () => {
    const members = remoteOf(sharedGroup(), '10.0.0.5')!;
    expect([members.count, members.wide, members.foreign]).toEqual([2, false, false]);
    expect(members.ports.map((m) => [m.portId, m.via, m.prefix, m.foreign])).toEqual([
      ['rogue', 'allowed_address_pair', '0.0.0.0/0', true],
      ['web1', 'fixed_ip', '10.0.0.5', false],
    ]);
    // Only an own-project pair holds 10.0.0.6 (besides the foreign one): wide, not foreign.
    expect(remoteOf(sharedGroup(), '10.0.0.6')).toMatchObject({ count: 2, wide: true, foreign: false });
  });

  it('follows port changes and bounds the list, counting every member', () => {
    const e = sharedGroup();
    e.apply({ kind: 'port', port: port('rogue', { ips: ['10.9.0.1'], groups: [], pairs: ['0.0.0.0/0'], projectId: 'p2' }) });
    expect(e.explain('d', tcpIn('198.51.100.7', 5432)).verdict).toBe('deny');
    for (let i = 0; i < 7; i++) e.apply({ kind: 'port', port: port(`w${i}`, { ips: [`10.0.2.${i}`], groups: ['web'], pairs: ['0.0.0.0/0'] }) });
    const members = remoteOf(e, '198.51.100.7')!;
    expect([members.count, members.ports.map((m) => m.portId), members.wide, members.foreign]).toEqual([7, ['w0', 'w1', 'w2', 'w3', 'w4'], true, false]);
    e.apply({ kind: 'port-deleted', portId: 'w0' });
    expect(remoteOf(e, '198.51.100.7')!.count).toBe(6);
  });

  it('gives no evidence on a remote-group field that did not match', () => {
    const x = sharedGroup();
    x.apply({ kind: 'port-deleted', portId: 'rogue' });
    const remote = x.explain('d', tcpIn('198.51.100.7', 5432)).nearest[0]!.fields[4]!;
    expect([remote.matched, remote.members]).toEqual([false, undefined]);
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
