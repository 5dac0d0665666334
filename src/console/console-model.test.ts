// Tests for instances, effective rules, routes and paging: the console's pure model.
import { describe, expect, it } from 'vitest';
import type { PortWire, SecurityGroupRuleWire, SecurityGroupWire } from '../contract/index.js';
import { enginePolicy, portPolicy } from './effective-rules.js';
import { groupPortsIntoInstances, instancesByGroup } from './instances.js';
import { pageOf } from './pagination.js';
import { pageTitle, parseRoute, routePath, type Route } from './route.js';

const port = (over: Partial<PortWire>): PortWire => ({
  id: 'p', name: '', description: '', network_id: 'n', project_id: 'demo', tenant_id: 'demo', mac_address: 'fa:16:3e:00:00:01',
  fixed_ips: [], device_id: '', device_owner: '', 'binding:host_id': '', admin_state_up: true, status: 'ACTIVE', security_groups: [],
  port_security_enabled: true, allowed_address_pairs: [], revision_number: 0, created_at: '', updated_at: '', ...over,
});
const rule = (id: string, dir: 'ingress' | 'egress', port: number | null, proto: string | null = 'tcp'): SecurityGroupRuleWire => ({
  id, security_group_id: 'x', direction: dir, ethertype: 'IPv4', protocol: proto, port_range_min: port, port_range_max: port,
  remote_ip_prefix: null, normalized_cidr: null, remote_group_id: null, remote_address_group_id: null, belongs_to_default_sg: false,
  description: '', project_id: 'demo', tenant_id: 'demo', revision_number: 0, created_at: '', updated_at: '',
});
const group = (id: string, name: string, rules: SecurityGroupRuleWire[]): SecurityGroupWire => ({
  id, name, description: '', project_id: 'demo', tenant_id: 'demo', stateful: true, shared: false, tags: [], revision_number: 0,
  created_at: '', updated_at: '', security_group_rules: rules,
});

describe('instances', () => {
  it('groups ports by device, leaves service ports out, and lists each group’s users', () => {
    const ports = [
      port({ id: 'p1', device_id: 'd1', name: 'web-1', fixed_ips: [{ subnet_id: 's', ip_address: '10.0.0.5' }], security_groups: ['CONN'] }),
      port({ id: 'p2', device_id: 'd1', fixed_ips: [{ subnet_id: 's', ip_address: '10.0.1.5' }], security_groups: ['CONN', 'WEB'], port_security_enabled: false }),
      port({ id: 'p3', device_id: 'dhcp', device_owner: 'network:dhcp' }),
      port({ id: 'p4', name: 'loose', security_groups: ['WEB'] }),
    ];
    const instances = groupPortsIntoInstances(ports);
    expect(instances.map((i) => [i.key, i.name, i.addresses, i.groupIds, i.portSecurity])).toEqual([
      ['port:p4', 'loose', [], ['WEB'], true],
      ['d1', 'web-1', ['10.0.0.5', '10.0.1.5'], ['CONN', 'WEB'], false],
    ]);
    expect(instancesByGroup(instances).get('WEB')?.map((i) => i.name)).toEqual(['loose', 'web-1']);
  });
});

describe('portPolicy', () => {
  it('is the union of the groups’ rules, each with its origin, the same rule once', () => {
    const groups = new Map([
      ['c', group('c', 'CONN', [rule('r1', 'ingress', 22), rule('r2', 'ingress', 23), rule('e1', 'egress', null, null)])],
      ['w', group('w', 'WEB', [rule('r3', 'ingress', 80), rule('r4', 'ingress', 8080), rule('e2', 'egress', null, null)])],
    ]);
    const policy = portPolicy(port({ security_groups: ['c', 'w', 'gone'] }), groups);
    expect(policy.rules.filter((r) => r.rule.direction === 'ingress').map((r) => [r.rule.port_range_min, r.origins])).toEqual([
      [22, ['CONN']], [23, ['CONN']], [80, ['WEB']], [8080, ['WEB']],
    ]);
    expect(policy.rules.filter((r) => r.rule.direction === 'egress').map((r) => r.origins)).toEqual([['CONN', 'WEB']]);
    expect(policy.missingGroups).toEqual(['gone']);
    expect(portPolicy(port({ port_security_enabled: false }), groups).filtered).toBe(false);
  });

  it('reads the engine answer in the same shape, sorted for the table', () => {
    const policy = enginePolicy({
      port_id: 'p', filtering: 'filtered', security_groups: ['c', 'w'], stateful: true,
      rules: [
        { ...rule('x', 'egress', null, null), origins: [{ rule_id: 'e1', group_id: 'c', group_name: 'CONN' }, { rule_id: 'e2', group_id: 'w', group_name: 'WEB' }] },
        { ...rule('y', 'ingress', 80), origins: [{ rule_id: 'r3', group_id: 'w', group_name: 'WEB' }] },
      ],
    });
    expect(policy.rules.map((r) => [r.key, r.rule.direction, r.origins])).toEqual([['r3', 'ingress', ['WEB']], ['e1+e2', 'egress', ['CONN', 'WEB']]]);
    expect(policy.source).toBe('engine');
    expect(enginePolicy({ port_id: 'p', filtering: 'port-security-disabled', security_groups: [], stateful: true, rules: [] }).filtered).toBe(false);
  });
});

describe('routes', () => {
  it('parses and prints every page', () => {
    const routes: Route[] = [{ page: 'groups' }, { page: 'group', id: 'a b' }, { page: 'instances' }, { page: 'instance', key: 'port:x' }, { page: 'networks' }, { page: 'reachability' }, { page: 'default-rules' }];
    for (const r of routes) expect(parseRoute(routePath(r))).toEqual(r);
    expect(parseRoute('/')).toEqual({ page: 'groups' });
    expect(parseRoute('/nope/a/b')).toEqual({ page: 'not-found', path: '/nope/a/b' });
  });

  it('gives every page its own title, with the object name once known (issue 18 defect 13)', () => {
    expect(pageTitle({ page: 'groups' })).toBe('Security groups – Palisade');
    expect(pageTitle({ page: 'group', id: 'x' }, 'WEB')).toBe('WEB – Security group – Palisade');
    expect(new Set([pageTitle({ page: 'instances' }), pageTitle({ page: 'networks' }), pageTitle({ page: 'reachability' })]).size).toBe(3);
  });
});

describe('pageOf', () => {
  it('slices, clamps and counts', () => {
    const all = Array.from({ length: 45 }, (_, i) => i);
    expect(pageOf(all, 2)).toMatchObject({ items: [40, 41, 42, 43, 44], page: 2, pageCount: 3, first: 41, last: 45, total: 45 });
    expect(pageOf(all, 9).page).toBe(2);
    expect(pageOf([], 0)).toMatchObject({ items: [], pageCount: 1, first: 0, last: 0 });
  });
});
