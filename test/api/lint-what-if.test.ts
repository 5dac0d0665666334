// Lint and what-if over the API: findings with fixes, the difference a change would make, errors in Neutron's format.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Caller, type Harness, type Json } from '../support/api-harness.js';

describe('lint and what-if API', () => {
  let h: Harness;
  let demo: Caller;
  let web: Json;
  let db: Json;
  let vm1: Json;
  let vm2: Json;
  let ssh: Json;

  beforeAll(async () => {
    h = await makeHarness();
    demo = h.as('demo');
    web = await demo.group({ name: 'web' });
    db = await demo.group({ name: 'db' });
    ssh = await demo.rule(web['id'], { protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '0.0.0.0/0' });
    await demo.rule(web['id'], { protocol: 'tcp', port_range_min: 80, port_range_max: 80 });
    await demo.rule(web['id'], { protocol: 'tcp', port_range_min: 80, port_range_max: 80, remote_ip_prefix: '10.0.0.0/8' });
    await demo.rule(db['id'], { protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_group_id: web['id'] });
    const { network } = await networkWithSubnet(demo);
    vm1 = await demo.port(network['id'], { name: 'vm1', device_id: 'vm1', security_groups: [web['id']] });
    vm2 = await demo.port(network['id'], { name: 'vm2', device_id: 'vm2', security_groups: [db['id']] });
  });
  afterAll(() => h.close());

  it('lints the project: an open ssh port and a redundant rule with its fix', async () => {
    const { lint } = ok(await demo.get('/v2.0/palisade/lint'));
    const codes = lint['findings'].map((f: Json) => f['code']);
    expect(codes).toContain('open-admin-port');
    const redundant = lint['findings'].find((f: Json) => f['code'] === 'redundant-rule');
    expect(redundant).toMatchObject({ severity: 'low', security_group_ids: [web['id']], port_ids: [vm1['id']], port_count: 1 });
    expect(redundant['fix']).toEqual([{ action: 'delete', resource: 'security_group_rule', id: redundant['security_group_rule_ids'][0] }]);
    const admin = lint['findings'].find((f: Json) => f['code'] === 'open-admin-port');
    expect(admin['security_group_rule_ids']).toEqual([ssh['id']]);
    expect(admin['message']).toContain('tcp/22 (ssh) from 0.0.0.0/0');
  });

  it('narrows lint to one group or one port, and hides other projects', async () => {
    const byGroup = ok(await demo.get(`/v2.0/palisade/lint?security_group_id=${db['id']}`))['lint']['findings'];
    expect(byGroup.every((f: Json) => f['security_group_ids'].includes(db['id']) || f['code'] === 'duplicate-groups')).toBe(true);
    const byPort = ok(await demo.get(`/v2.0/palisade/lint?port_id=${vm1['id']}`))['lint']['findings'];
    expect(byPort.some((f: Json) => f['code'] === 'open-admin-port')).toBe(true);
    const other = h.as('other');
    expectError(await other.get(`/v2.0/palisade/lint?security_group_id=${db['id']}`), 404, 'SecurityGroupNotFound');
    expectError(await other.get(`/v2.0/palisade/lint?port_id=${vm1['id']}`), 404, 'PortNotFound');
    expectError(await demo.get('/v2.0/palisade/lint?colour=red'), 400, 'HTTPBadRequest');
  });

  it('says what a rule delete would take away, and applies nothing', async () => {
    const dbRule = ok(await demo.get(`/v2.0/security-group-rules?security_group_id=${db['id']}&port_range_min=5432`))['security_group_rules'][0];
    const body = { changes: [{ action: 'delete', resource: 'security_group_rule', id: dbRule['id'] }] };
    const w = ok(await demo.post('/v2.0/palisade/what-if', body))['what_if'];
    expect(w['access']).toEqual([{ source_port_id: vm1['id'], destination_port_id: vm2['id'], ethertype: 'IPv4', gained: [], lost: ['tcp/5432'] }]);
    // Nothing was applied: vm1 still reaches vm2 on 5432.
    const reach = ok(await demo.get(`/v2.0/palisade/reachability?source_port_id=${vm1['id']}&destination_port_id=${vm2['id']}&protocol=tcp&port=5432`));
    expect(reach['reachability']['verdict']).toBe('allow');
  });

  it('shows new exposure and new findings of a proposed rule, and a port moving groups', async () => {
    const rule = { security_group_id: db['id'], direction: 'ingress', protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_ip_prefix: '0.0.0.0/0' };
    const w = ok(await demo.post('/v2.0/palisade/what-if', { changes: [{ action: 'create', resource: 'security_group_rule', object: rule }] }))['what_if'];
    expect(w['exposure']).toEqual([{ port_id: vm2['id'], ethertype: 'IPv4', service: 'tcp/5432', gained: ['0.0.0.0/0'], lost: [] }]);
    expect(w['findings_added'].map((f: Json) => f['code'])).toContain('open-admin-port');
    const moved = ok(await demo.post('/v2.0/palisade/what-if', { changes: [{ action: 'update', resource: 'port', id: vm2['id'], object: { security_groups: [web['id']] } }] }))['what_if'];
    const toVm2 = moved['access'].find((a: Json) => a['source_port_id'] === vm1['id'] && a['destination_port_id'] === vm2['id']);
    expect(toVm2['lost']).toEqual(['tcp/5432']);
    expect(toVm2['gained']).toEqual(['tcp/22', 'tcp/80']);
  });

  it('refuses changes as the API would, in Neutron format', async () => {
    const post = (changes: unknown) => demo.post('/v2.0/palisade/what-if', { changes });
    expectError(await post([]), 400, 'HTTPBadRequest');
    expectError(await post([{ action: 'create', resource: 'security_group_rule', object: { security_group_id: db['id'], direction: 'sideways' } }]), 400);
    expectError(await post([{ action: 'create', resource: 'security_group_rule', object: { security_group_id: db['id'], direction: 'ingress', protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_group_id: web['id'] } }]), 409, 'SecurityGroupRuleExists');
    expectError(await post([{ action: 'delete', resource: 'security_group_rule', id: 'nope' }]), 404, 'SecurityGroupRuleNotFound');
    expectError(await post([{ action: 'delete', resource: 'security_group', id: web['id'] }]), 409, 'SecurityGroupInUse');
    expectError(await post([{ action: 'update', resource: 'port', id: vm1['id'], object: { name: 'x' } }]), 400, 'WhatIfChangeNotSupported');
    expectError(await post([{ action: 'update', resource: 'security_group_rule', id: ssh['id'] }]), 400, 'WhatIfChangeNotSupported');
    expectError(await h.as('other').post('/v2.0/palisade/what-if', { changes: [{ action: 'delete', resource: 'security_group_rule', id: ssh['id'] }] }), 404, 'SecurityGroupRuleNotFound');
  });

  it("shows what an address group's new addresses would expose, applying nothing; another project's group is 404", async () => {
    const ag = ok(await demo.post('/v2.0/address-groups', { address_group: { name: 'admins', addresses: ['198.51.100.0/24'] } }), 201)['address_group'];
    await demo.rule(db['id'], { protocol: 'tcp', port_range_min: 9000, port_range_max: 9000, remote_address_group_id: ag['id'] });
    const change = { action: 'update', resource: 'address_group', id: ag['id'], object: { addresses: ['198.51.100.0/24', '203.0.113.0/24'] } };
    const w = ok(await demo.post('/v2.0/palisade/what-if', { changes: [change] }))['what_if'];
    expect(w['exposure']).toEqual([{ port_id: vm2['id'], ethertype: 'IPv4', service: 'tcp/9000', gained: ['203.0.113.0/24'], lost: [] }]);
    expect(ok(await demo.get(`/v2.0/address-groups/${ag['id']}`))['address_group']['addresses']).toEqual(['198.51.100.0/24']);
    const emptied = ok(await demo.post('/v2.0/palisade/what-if', { changes: [{ ...change, object: { addresses: [] } }] }))['what_if'];
    expect(emptied['exposure']).toEqual([{ port_id: vm2['id'], ethertype: 'IPv4', service: 'tcp/9000', gained: [], lost: ['198.51.100.0/24'] }]);
    expectError(await h.as('other').post('/v2.0/palisade/what-if', { changes: [change] }), 404, 'AddressGroupNotFound');
    expectError(await demo.post('/v2.0/palisade/what-if', { changes: [{ ...change, object: { name: 'x' } }] }), 400);
  });
});
