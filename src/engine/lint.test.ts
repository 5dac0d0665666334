// Lint findings on small hand-made projects: each code found where it applies and not where it does not.
import { describe, expect, it } from 'vitest';
import type { Port, SecurityGroup, SecurityGroupRule } from '../domain/index.js';
import { group, port, rule } from './engine-fixtures.test-support.js';
import { createPolicyEngine } from './policy-engine.js';
import type { Finding } from './lint.js';

function lint(groups: SecurityGroup[], rules: SecurityGroupRule[], ports: Port[], scope: { groupId?: string; portId?: string } = {}): Finding[] {
  const engine = createPolicyEngine();
  engine.load({ groups, rules, ports });
  return engine.lint({ projectId: 'p1', ...scope });
}

const codes = (fs: Finding[], code: string) => fs.filter((f) => f.code === code);
const tcp = (lo: number, hi = lo, extra: object = {}) => ({ direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: lo, portRangeMax: hi, ...extra });

describe('lint', () => {
  const web = port('web', { ips: ['10.0.0.1'], groups: ['a', 'b'] });

  it('finds a rule covered by the union of its group, and only one of two equal rules', () => {
    const rules = [
      rule('r1', 'a', tcp(20, 30, { remoteIpPrefix: '10.0.0.0/24' })),
      rule('r2', 'a', tcp(10, 25, { remoteIpPrefix: '10.0.0.0/16' })),
      rule('r3', 'a', tcp(26, 40, { remoteIpPrefix: '10.0.0.0/23' })),
      rule('r4', 'a', tcp(5432, 5432, { remoteGroupId: 'b' })),
      rule('r5', 'a', tcp(5432, 5432, { remoteGroupId: 'b', description: 'again' })),
    ];
    const found = codes(lint([group('a'), group('b')], rules, [web]), 'redundant-rule');
    expect(found.map((f) => f.ruleIds[0])).toEqual(['r1', 'r4']);
    expect(found[0]!.fix).toEqual([{ action: 'delete', resource: 'security_group_rule', id: 'r1' }]);
  });

  it('does not count a remote group as covered by prefixes that hold its members today', () => {
    const rules = [rule('r1', 'a', tcp(22, 22, { remoteGroupId: 'b' })), rule('r2', 'a', tcp(22, 22, { remoteIpPrefix: '10.0.0.0/8' }))];
    expect(codes(lint([group('a'), group('b')], rules, [web]), 'redundant-rule')).toEqual([]);
  });

  it('finds a rule shadowed on every port of its group by the ports’ other groups', () => {
    const rules = [rule('r1', 'a', tcp(80, 80)), rule('r2', 'b', tcp(1, 1024)), rule('r3', 'a', tcp(8080, 8080))];
    const found = lint([group('a'), group('b')], rules, [web]);
    expect(codes(found, 'shadowed-on-port').map((f) => f.ruleIds[0])).toEqual(['r1']);
    // A second port with group a alone: r1 is no longer covered everywhere.
    const alone = port('db', { ips: ['10.0.0.2'], groups: ['a'] });
    expect(codes(lint([group('a'), group('b')], rules, [web, alone]), 'shadowed-on-port')).toEqual([]);
  });

  it('finds open admin ports, all traffic from anywhere, unused groups and empty remote groups', () => {
    const rules = [
      rule('ssh-lo', 'a', tcp(1, 100, { remoteIpPrefix: '0.0.0.0/1' })),
      rule('ssh-hi', 'a', tcp(22, 22, { remoteIpPrefix: '128.0.0.0/1' })),
      rule('all6', 'b', { direction: 'ingress', etherType: 'IPv6', protocol: null }),
      rule('to-c', 'a', tcp(443, 443, { remoteGroupId: 'c' })),
    ];
    const found = lint([group('a'), group('b'), group('c')], rules, [web]);
    const admin = codes(found, 'open-admin-port');
    // tcp/23 is open to 0.0.0.0/1 only.
    expect(admin.map((f) => f.message)).toEqual(['Group a admits tcp/22 (ssh) from 0.0.0.0/0.']);
    expect(admin[0]!.ruleIds).toEqual(['ssh-lo', 'ssh-hi']);
    expect(codes(found, 'all-traffic-from-anywhere').map((f) => f.ruleIds)).toEqual([['all6']]);
    expect(codes(found, 'unused-group').map((f) => f.groupIds)).toEqual([['c']]);
    expect(codes(found, 'empty-remote-group').map((f) => f.ruleIds)).toEqual([['to-c']]);
  });

  it('finds duplicate groups by what they admit, not by how the rules are written', () => {
    const rules = [
      rule('a1', 'a', tcp(22, 22, { remoteIpPrefix: '10.0.0.0/24' })),
      rule('a2', 'a', tcp(22, 22, { remoteIpPrefix: '10.0.1.0/24' })),
      rule('b1', 'b', tcp(22, 22, { remoteIpPrefix: '10.0.0.0/23' })),
      rule('c1', 'c', tcp(22, 23, { remoteIpPrefix: '10.0.0.0/23' })),
    ];
    const found = codes(lint([group('a'), group('b'), group('c')], rules, [web]), 'duplicate-groups');
    expect(found.map((f) => f.groupIds)).toEqual([['a', 'b']]);
  });

  it('proposes one rule for adjacent port ranges and for sibling prefixes', () => {
    const rules = [
      rule('p1', 'a', tcp(80, 89)), rule('p2', 'a', tcp(90, 99)),
      rule('n1', 'a', tcp(443, 443, { remoteIpPrefix: '10.0.2.0/24' })), rule('n2', 'a', tcp(443, 443, { remoteIpPrefix: '10.0.3.0/24' })),
    ];
    const found = codes(lint([group('a')], rules, [port('x', { ips: ['10.0.0.9'], groups: ['a'] })]), 'mergeable-rules');
    expect(found.map((f) => f.ruleIds)).toEqual([['p1', 'p2'], ['n1', 'n2']]);
    expect(found[0]!.fix?.[2]).toMatchObject({ action: 'create', rule: { portRangeMin: 80, portRangeMax: 99, securityGroupId: 'a' } });
    expect(found[1]!.fix?.[2]).toMatchObject({ action: 'create', rule: { remoteIpPrefix: '10.0.2.0/23' } });
  });

  it('narrows to one group or to the groups of one port', () => {
    const rules = [rule('r1', 'a', tcp(22, 22)), rule('r2', 'b', tcp(22, 22)), rule('r3', 'b', tcp(22, 22, { remoteIpPrefix: '10.0.0.0/8' }))];
    const ps = [port('x', { ips: ['10.0.0.9'], groups: ['a'] }), port('y', { ips: ['10.0.0.8'], groups: ['b'] })];
    const inB = lint([group('a'), group('b')], rules, ps, { groupId: 'b' });
    expect(inB.filter((f) => f.code !== 'duplicate-groups').every((f) => f.groupIds.includes('b'))).toBe(true);
    expect(codes(inB, 'redundant-rule').map((f) => f.ruleIds)).toEqual([['r3']]);
    expect(lint([group('a'), group('b')], rules, ps, { portId: 'x' }).some((f) => f.ruleIds.includes('r3'))).toBe(false);
  });
});
