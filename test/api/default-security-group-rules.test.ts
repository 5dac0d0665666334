// neutron-api.md §3.4, §4.4, D1–D8: default security-group rule templates and the groups created from them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, type Harness, type Json } from '../support/api-harness.js';

const URL = '/v2.0/default-security-group-rules';
let h: Harness;
beforeEach(async () => {
  h = await makeHarness();
});
afterEach(() => h.close());

const template = (attrs: Json = {}) => ({
  default_security_group_rule: { direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, used_in_default_sg: false, used_in_non_default_sg: true, ...attrs },
});
const create = async (attrs: Json = {}) => ok(await h.admin.post(URL, template(attrs)), 201)['default_security_group_rule'] as Json;
const templates = async (query = '') => ok(await h.as('reader', 'reader').get(`${URL}${query}`))['default_security_group_rules'] as Json[];
/** A rule without its identity, owner and timestamps, for comparing what groups start with. */
const shape = (r: Json) => [r['direction'], r['ethertype'], r['protocol'], r['port_range_min'], r['remote_group_id'], r['remote_ip_prefix']].join(' ');

describe('§3.4 the seeded templates reproduce the old starting rules', () => {
  it('lists Neutron\'s four legacy templates, ingress from PARENT only in default groups', async () => {
    const all = await templates();
    expect(all.map((t) => [t['direction'], t['ethertype'], t['remote_group_id'], t['used_in_default_sg'], t['used_in_non_default_sg']]).sort()).toEqual([
      ['egress', 'IPv4', null, true, true], ['egress', 'IPv6', null, true, true],
      ['ingress', 'IPv4', 'PARENT', true, false], ['ingress', 'IPv6', 'PARENT', true, false],
    ]);
    expect(Object.keys(all[0]!).sort()).toEqual([
      'description', 'direction', 'ethertype', 'id', 'port_range_max', 'port_range_min', 'protocol', 'remote_address_group_id', 'remote_group_id',
      'remote_ip_prefix', 'used_in_default_sg', 'used_in_non_default_sg',
    ]);
    expect(all.find((t) => t['direction'] === 'egress')!['description']).toBe('Legacy default SG rule for egress traffic');
  });

  it('a default group gets all four with its own id as remote, a custom group the two egress rules, all without description', async () => {
    const c = h.as('seeded');
    const g = await c.group();
    const d = await c.defaultGroup();
    expect(g['security_group_rules'].map(shape).sort()).toEqual(['egress IPv4    ', 'egress IPv6    ']);
    expect(d['security_group_rules'].map(shape).sort()).toEqual([
      'egress IPv4    ', 'egress IPv6    ', `ingress IPv4   ${d['id']} `, `ingress IPv6   ${d['id']} `,
    ]);
    expect([...g['security_group_rules'], ...d['security_group_rules']].every((r: Json) => r['description'] === '')).toBe(true);
  });
});

describe('D1 policies: readers list and show, only admins create and delete', () => {
  it('a reader lists, shows and filters; a member may neither create nor delete', async () => {
    const [first] = await templates();
    const shown = ok(await h.as('m').get(`${URL}/${first!['id']}?fields=id&fields=direction`))['default_security_group_rule'];
    expect(shown).toEqual({ id: first!['id'], direction: first!['direction'] });
    expectError(await h.as('m').post(URL, template()), 403, 'PolicyNotAuthorized', 'rule:create_default_security_group_rule is disallowed by policy');
    expectError(await h.as('m').del(`${URL}/${first!['id']}`), 403, 'PolicyNotAuthorized', 'rule:delete_default_security_group_rule is disallowed by policy');
    expect(await templates()).toHaveLength(4);
  });

  it('D8: an unknown id is 404 on show and delete, for members and admins alike', async () => {
    const id = '6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1';
    expectError(await h.as('m').get(`${URL}/${id}`), 404, 'DefaultSecurityGroupRuleNotFound', `Default Security Group rule ${id} does not exist`);
    expectError(await h.admin.del(`${URL}/${id}`), 404, 'DefaultSecurityGroupRuleNotFound');
    expectError(await h.as('m').del(`${URL}/${id}`), 404, 'DefaultSecurityGroupRuleNotFound');
  });

  it('has no update: PUT is 405', async () => {
    const [first] = await templates();
    expectError(await h.admin.put(`${URL}/${first!['id']}`, template()), 405, 'HTTPMethodNotAllowed');
  });
});

describe('D2–D5 validation, as for a rule\'s own attributes', () => {
  it('requires direction and both used_in flags, which Neutron\'s attribute map gives no default', async () => {
    const body = (drop: string) => {
      const { [drop]: _dropped, ...t } = template()['default_security_group_rule'] as Json;
      return { default_security_group_rule: t };
    };
    for (const attr of ['direction', 'used_in_default_sg', 'used_in_non_default_sg']) {
      expectError(await h.admin.post(URL, body(attr)), 400, 'HTTPBadRequest', `Failed to parse request. Required attribute '${attr}' not specified`);
    }
    expectError(await h.admin.post(URL, template({ used_in_default_sg: 'maybe' })), 400, 'HTTPBadRequest', "'maybe' cannot be converted to boolean");
  });

  it('normalises like a rule: protocol case, ether type case, 1–65535, bare prefixes', async () => {
    const t = await create({ protocol: 'TCP', ethertype: 'ipv4', port_range_min: 1, port_range_max: 65535, remote_ip_prefix: '10.1.2.3' });
    expect(t).toMatchObject({ protocol: 'tcp', ethertype: 'IPv4', port_range_min: null, port_range_max: null, remote_ip_prefix: '10.1.2.3/32', description: '' });
    expect(await create({ protocol: 2, port_range_min: null, port_range_max: null })).toMatchObject({ protocol: '2' });
  });

  it('refuses what a rule refuses, with the same types', async () => {
    expectError(await h.admin.post(URL, template({ protocol: 'tcp/ip' })), 400, 'SecurityGroupRuleInvalidProtocol');
    expectError(await h.admin.post(URL, template({ port_range_min: 50, port_range_max: 22 })), 400, 'SecurityGroupInvalidPortRange');
    expectError(await h.admin.post(URL, template({ protocol: null })), 400, 'SecurityGroupProtocolRequiredWithPorts');
    expectError(await h.admin.post(URL, template({ protocol: 'ipv6-frag', port_range_min: null, port_range_max: null })), 400, 'SecurityGroupEthertypeConflictWithProtocol');
    expectError(await h.admin.post(URL, template({ remote_ip_prefix: '192.168.1.1/24', ethertype: 'IPv6' })), 400, 'SecurityGroupRuleParameterConflict');
    expectError(await h.admin.post(URL, template({ remote_ip_prefix: '172.30./24' })), 400, 'InvalidCIDR');
    expectError(await h.admin.post(URL, template({ remote_ip_prefix: '10.0.0.0/8', remote_group_id: 'PARENT' })), 400, 'SecurityGroupMultipleRemoteEntites');
    expectError(await h.admin.post(URL, template({ security_group_id: 'x' })), 400, 'HTTPBadRequest', 'Unrecognized attribute');
    expect(await templates()).toHaveLength(4);
  });
});

describe('D6, D7 duplicates', () => {
  it('an equal template for the same kind of group is 409 naming the existing one; tcp and 6 are equal; descriptions do not count', async () => {
    const first = await create();
    expectError(await h.admin.post(URL, template({ protocol: '6', description: 'other' })), 409, 'DefaultSecurityGroupRuleExists',
      `Default Security group rule already exists. Rule id is ${first['id']}.`);
  });

  it('the same rule may serve disjoint kinds of group', async () => {
    await create({ used_in_default_sg: true, used_in_non_default_sg: false });
    await create({ used_in_default_sg: false, used_in_non_default_sg: true });
    expectError(await h.admin.post(URL, template({ used_in_default_sg: true, used_in_non_default_sg: true })), 409, 'DefaultSecurityGroupRuleExists');
  });

  it('a bulk create is atomic, and two equal items in it are 409', async () => {
    const items = [template()['default_security_group_rule'], template({ port_range_min: 80, port_range_max: 80 })['default_security_group_rule']];
    const made = ok(await h.admin.post(URL, { default_security_group_rules: items }), 201)['default_security_group_rules'];
    expect(made).toHaveLength(2);
    const twice = template({ port_range_min: 443, port_range_max: 443 })['default_security_group_rule'];
    expectError(await h.admin.post(URL, { default_security_group_rules: [twice, twice] }), 409, 'DuplicateDefaultSgRuleInPost', 'Duplicate Default Security Group Rule in POST.');
    expectError(await h.admin.post(URL, { default_security_group_rules: [twice, items[0]] }), 409, 'DefaultSecurityGroupRuleExists');
    expect(await templates()).toHaveLength(6);
  });
});

describe('§8.2, §8.3 groups start with the templates of their time', () => {
  it('a change shapes groups created afterwards only; PARENT names each new group', async () => {
    const c = h.as('later');
    const before = await c.group({ name: 'before' });
    await create({ remote_group_id: 'PARENT' });
    const after = await c.group({ name: 'after' });
    expect(after['security_group_rules'].map(shape)).toContain(`ingress IPv4 tcp 22 ${after['id']} `);
    expect(ok(await c.get(`/v2.0/security-groups/${before['id']}`))['security_group']['security_group_rules']).toHaveLength(2);
  });

  it('deleting the egress templates makes new groups start closed, and a new project\'s default group too', async () => {
    for (const t of await templates('?direction=egress')) ok(await h.admin.del(`${URL}/${t['id']}`), 204);
    expect(await templates()).toHaveLength(2);
    const c = h.as('closed');
    expect((await c.group())['security_group_rules']).toEqual([]);
    const d = await c.defaultGroup();
    expect(d['security_group_rules'].map(shape).sort()).toEqual([`ingress IPv4   ${d['id']} `, `ingress IPv6   ${d['id']} `]);
  });

  it('a template naming a group that is gone fails the create with that group\'s 404, and writes nothing', async () => {
    const c = h.as('remote');
    const target = await c.group({ name: 'target' });
    await create({ remote_group_id: target['id'] });
    ok(await c.del(`/v2.0/security-groups/${target['id']}`), 204);
    expectError(await c.post('/v2.0/security-groups', { security_group: { name: 'x' } }), 404, 'SecurityGroupNotFound', target['id']);
    expect(ok(await c.get('/v2.0/security-groups?name=x'))['security_groups']).toEqual([]);
  });

  it('the rule quota counts the templates a new group would get (R9)', async () => {
    const c = h.as('quota');
    await c.defaultGroup();
    ok(await h.admin.put('/v2.0/quotas/quota', { quota: { security_group_rule: 6 } }));
    await c.group({ name: 'fits' });
    await create({ port_range_min: 80, port_range_max: 80 });
    expectError(await c.post('/v2.0/security-groups', { security_group: { name: 'over' } }), 409, 'OverQuota', "['security_group_rule']");
  });
});

describe('lists: filters, sorting, paging and fields in SQL', () => {
  it('filters on the flags and PARENT, sorts and pages with links', async () => {
    expect((await templates('?used_in_non_default_sg=False')).map((t) => t['remote_group_id'])).toEqual(['PARENT', 'PARENT']);
    expect(await templates('?remote_group_id=PARENT&ethertype=ipv6')).toHaveLength(1);
    expect((await templates('?sort_key=direction&sort_dir=desc&sort_key=ethertype&sort_dir=asc')).map((t) => `${t['direction']} ${t['ethertype']}`))
      .toEqual(['ingress IPv4', 'ingress IPv6', 'egress IPv4', 'egress IPv6']);
    const page = ok(await h.as('m').get(`${URL}?limit=3&sort_key=id&sort_dir=asc`));
    expect(page['default_security_group_rules']).toHaveLength(3);
    const next = (page['default_security_group_rules_links'] as Json[]).find((l) => l['rel'] === 'next')!['href'] as string;
    const rest = ok(await h.as('m').get(next.slice(next.indexOf('/v2.0'))))['default_security_group_rules'];
    expect(rest).toHaveLength(1);
    expectError(await h.as('m').get(`${URL}?project_id=x`), 400, 'HTTPBadRequest', "['project_id'] is invalid attribute for filtering");
    expectError(await h.as('m').get(`${URL}?sort_key=description&sort_dir=asc`), 400, 'HTTPBadRequest', "['description'] is invalid attribute for sort_keys");
  });
});
