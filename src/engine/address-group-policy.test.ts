// Rules naming an address group: decide, explain, effective rules, reachability and the matrix read its CIDRs.
import { describe, expect, it } from 'vitest';
import type { AddressGroup } from '../domain/index.js';
import { group, port, rule } from './engine-fixtures.test-support.js';
import type { Flow } from './flow.js';
import { createPolicyEngine, type PolicyEngine } from './policy-engine.js';

function addressGroup(id: string, addresses: string[], name = id): AddressGroup {
  return { id, projectId: 'p1', name, description: '', addresses, revisionNumber: 1, createdAt: 't', updatedAt: 't' };
}

/** `db` admits tcp:5432 from the address group `admins` (both families); `web` may talk to anything. */
function engine(addresses: string[]): PolicyEngine {
  const e = createPolicyEngine();
  e.load({
    groups: [group('db'), group('web')],
    rules: [
      rule('pg4', 'db', { direction: 'ingress', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteAddressGroupId: 'admins' }),
      rule('pg6', 'db', { direction: 'ingress', etherType: 'IPv6', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteAddressGroupId: 'admins' }),
      rule('out', 'web', { direction: 'egress' }),
    ],
    ports: [
      port('db1', { ips: ['10.0.1.1', '2001:db8:1::1'], groups: ['db'], deviceId: 'db' }),
      port('w1', { ips: ['10.0.0.5'], groups: ['web'], deviceId: 'web-1' }),
      port('w2', { ips: ['10.0.9.5'], groups: ['web'], deviceId: 'web-2' }),
    ],
    addressGroups: [addressGroup('admins', addresses, 'admin nets')],
  });
  return e;
}

const pg = (remoteIp: string, etherType: 'IPv4' | 'IPv6' = 'IPv4'): Flow => ({ direction: 'ingress', etherType, protocol: 6, remoteIp, port: 5432 });

describe('a rule with a remote address group', () => {
  it('allows sources inside one of its CIDRs, of the rule\'s family only', () => {
    const e = engine(['10.0.0.0/24', '2001:db8::/64']);
    expect(e.decide('db1', pg('10.0.0.77'))).toBe('allow');
    expect(e.decide('db1', pg('10.0.1.77'))).toBe('deny');
    expect(e.decide('db1', pg('2001:db8::42', 'IPv6'))).toBe('allow');
    expect(e.decide('db1', pg('2001:db9::42', 'IPv6'))).toBe('deny');
  });

  it('follows address changes and deletion without recompiling the rule', () => {
    const e = engine(['10.0.0.0/24']);
    expect(e.decide('db1', pg('192.0.2.9'))).toBe('deny');
    e.apply({ kind: 'address-group', addressGroup: addressGroup('admins', ['10.0.0.0/24', '192.0.2.0/28']) });
    expect(e.decide('db1', pg('192.0.2.9'))).toBe('allow');
    e.apply({ kind: 'address-group', addressGroup: addressGroup('admins', ['192.0.2.0/28']) });
    expect(e.decide('db1', pg('10.0.0.1'))).toBe('deny');
    expect(e.decide('db1', pg('192.0.2.9'))).toBe('allow');
    e.apply({ kind: 'address-group-deleted', addressGroupId: 'admins' });
    expect(e.decide('db1', pg('192.0.2.9'))).toBe('deny');
  });

  it('is not a security group: a group with the same id gives it no members', () => {
    const e = engine([]);
    e.apply({ kind: 'group', group: group('admins') });
    e.apply({ kind: 'port', port: port('adm', { ips: ['10.0.0.9'], groups: ['admins'] }) });
    expect(e.decide('db1', pg('10.0.0.9'))).toBe('deny');
  });

  it('explain names the group and the CIDRs that hold the source', () => {
    const e = engine(['10.0.0.0/24', '10.0.0.0/28', '2001:db8::/64']);
    const x = e.explain('db1', pg('10.0.0.5'));
    expect(x.matches.map((m) => m.ruleId)).toEqual(['pg4']);
    expect(x.matches[0]!.fields.at(-1)).toEqual({
      field: 'remote', matched: true, rule: 'addresses of address group admin nets (admins)', flow: 'source 10.0.0.5 (in 10.0.0.0/24, 10.0.0.0/28)',
    });
    const miss = e.explain('db1', pg('10.0.3.5'));
    expect(miss.nearest[0]!.fields.at(-1)).toMatchObject({ matched: false, flow: 'source 10.0.3.5 (in none of its addresses)' });
  });

  it('effective rules keep the address group as the remote', () => {
    const rules = engine(['10.0.0.0/24']).effectiveRules('db1').rules.map((r) => r.rule);
    expect(rules.filter((r) => r.remoteAddressGroupId === 'admins')).toHaveLength(2);
  });

  it('reachability and the matrix see ports inside its CIDRs', () => {
    const e = engine(['10.0.0.0/24']);
    expect(e.reachability('w1', 'db1', { protocol: 'tcp', port: 5432 }).verdict).toBe('allow');
    expect(e.reachability('w2', 'db1', { protocol: 'tcp', port: 5432 }).blockedBy).toEqual(['destination-ingress']);
    const m = e.matrix('p1', [{ protocol: 'tcp', port: 5432 }]);
    const classOf = (d: string) => m.classes.find((c) => c.instances.includes(d))!.id;
    const reaches = (a: string, b: string) => m.edges.some((x) => x.from === classOf(a) && x.to === classOf(b));
    expect([reaches('web-1', 'db'), reaches('web-2', 'db')]).toEqual([true, false]);
  });
});
