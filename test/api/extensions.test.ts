// neutron-api.md §14.2: /v2.0/extensions names exactly what behaves as Neutron's; each alias has a probe that shows it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Caller, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const SG = '/v2.0/security-groups';
const OWNER = '0a6c2e5b7f0d4f6a9a1b2c3d4e5f6a70';
const TARGET = '0a6c2e5b7f0d4f6a9a1b2c3d4e5f6a71';
let probeCount = 0;
/** A fresh project per probe, so no probe sees another's objects. */
const fresh = (): Caller => h.as(`${OWNER.slice(0, -2)}${String(++probeCount).padStart(2, '0')}`);

/** One request (or a few) per alias, asserting the behaviour the alias promises a client. */
const PROBES: Record<string, () => Promise<void>> = {
  'security-group': async () => {
    const g = await fresh().group({ name: 'web' });
    expect(g['security_group_rules']).toHaveLength(2);
  },
  'standard-attr-description': async () => {
    const c = fresh();
    expect((await c.group({ description: 'd' }))['description']).toBe('d');
    expect((await c.network({ description: 'n' }))['description']).toBe('n');
  },
  'standard-attr-timestamp': async () => {
    const c = fresh();
    const g = await c.group();
    expect(g['created_at']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    expect(ok(await c.get(`${SG}?changed_since=${g['created_at']}&id=${g['id']}`))['security_groups']).toHaveLength(1);
  },
  'standard-attr-revisions': async () => {
    const c = fresh();
    const g = await c.group();
    const after = ok(await c.put(`${SG}/${g['id']}`, { security_group: { description: 'x' } }))['security_group'];
    expect(after['revision_number']).toBeGreaterThan(g['revision_number']);
  },
  'standard-attr-tag': async () => {
    const c = fresh();
    const g = await c.group();
    ok(await c.put(`${SG}/${g['id']}/tags`, { tags: ['red'] }));
    expect(ok(await c.get(`${SG}?tags=red`))['security_groups'].map((x: Json) => x['id'])).toEqual([g['id']]);
  },
  'tag-creation': async () => {
    const c = fresh();
    const g = await c.group();
    expect(ok(await c.post(`${SG}/${g['id']}/tags`, { tags: ['a', 'b'] }))['tags'].sort()).toEqual(['a', 'b']);
  },
  'revision-if-match': async () => {
    const c = fresh();
    const g = await c.group();
    expectError(await c.put(`${SG}/${g['id']}`, { security_group: { name: 'y' } }, { 'if-match': 'revision_number=999' }), 412, 'RevisionNumberConstraintFailed');
  },
  'project-id': async () => {
    const c = fresh();
    expect(await c.group()).toMatchObject({ project_id: c.project, tenant_id: c.project });
  },
  pagination: async () => {
    const c = fresh();
    await c.group();
    const page = ok(await c.get(`${SG}?limit=1`));
    expect(page['security_groups']).toHaveLength(1);
    expect(page['security_groups_links'][0]['rel']).toBe('next');
  },
  sorting: async () => {
    const c = fresh();
    await c.group({ name: 'b' });
    await c.group({ name: 'a' });
    expect(ok(await c.get(`${SG}?sort_key=name&sort_dir=asc`))['security_groups'].map((g: Json) => g['name'])).toEqual(['a', 'b', 'default']);
  },
  'sort-key-validation': async () => {
    expectError(await fresh().get(`${SG}?sort_key=stateful&sort_dir=asc`), 400, 'HTTPBadRequest', 'is invalid attribute for sort_keys');
  },
  'filter-validation': async () => {
    expectError(await fresh().get(`${SG}?colour=red`), 400, 'HTTPBadRequest', "['colour'] is invalid attribute for filtering");
  },
  'empty-string-filtering': async () => {
    const c = fresh();
    const g = await c.group({ description: '' });
    expect(ok(await c.get(`${SG}?description=`))['security_groups'].map((x: Json) => x['id'])).toContain(g['id']);
  },
  quotas: async () => {
    const c = fresh();
    expect(ok(await c.get(`/v2.0/quotas/${c.project}`))['quota']).toMatchObject({ security_group: 10, security_group_rule: 100 });
  },
  quota_details: async () => {
    const c = fresh();
    await c.group();
    expect(ok(await c.get(`/v2.0/quotas/${c.project}/details.json`))['quota']['security_group']).toEqual({ used: 2, limit: 10, reserved: 0 });
  },
  'stateful-security-group': async () => {
    expect((await fresh().group({ stateful: false }))['stateful']).toBe(false);
  },
  'security-groups-shared-filtering': async () => {
    const c = fresh();
    expect(ok(await c.get(`${SG}?shared=False`))['security_groups'].length).toBeGreaterThan(0);
  },
  'rbac-policies': async () => {
    const owner = h.as(OWNER);
    const g = await owner.group();
    const policy = { object_type: 'security_group', object_id: g['id'], action: 'access_as_shared', target_tenant: TARGET };
    expect(ok(await owner.post('/v2.0/rbac-policies', { rbac_policy: policy }), 201)['rbac_policy']).toMatchObject(policy);
  },
  'rbac-security-groups': async () => {
    const owner = h.as(OWNER);
    const g = await owner.group({ name: 'to-share' });
    ok(await owner.post('/v2.0/rbac-policies', { rbac_policy: { object_type: 'security_group', object_id: g['id'], action: 'access_as_shared', target_tenant: TARGET } }), 201);
    expect(ok(await h.as(TARGET).get(`${SG}/${g['id']}`))['security_group']['shared']).toBe(true);
  },
  'address-group': async () => {
    const c = fresh();
    const ag = ok(await c.post('/v2.0/address-groups', { address_group: { name: 'ag', addresses: ['10.0.0.1/32', '2001:db8::/32'] } }), 201)['address_group'];
    expect(ag['addresses'].sort()).toEqual(['10.0.0.1/32', '2001:db8::/32']);
    const added = ok(await c.put(`/v2.0/address-groups/${ag['id']}/add_addresses`, { addresses: ['10.1.0.0/16'] }))['address_group'];
    expect(added['addresses']).toContain('10.1.0.0/16');
  },
  'security-groups-remote-address-group': async () => {
    const c = fresh();
    const ag = ok(await c.post('/v2.0/address-groups', { address_group: { name: 'ag', addresses: ['10.0.0.0/24'] } }), 201)['address_group'];
    const r = await c.rule((await c.group())['id'], { remote_address_group_id: ag['id'] });
    expect(r['remote_address_group_id']).toBe(ag['id']);
    expectError(await c.del(`/v2.0/address-groups/${ag['id']}`), 409, 'AddressGroupInUse');
  },
  'rbac-address-group': async () => {
    const owner = h.as(OWNER);
    const ag = ok(await owner.post('/v2.0/address-groups', { address_group: { name: 'to-share', addresses: ['10.0.0.0/24'] } }), 201)['address_group'];
    expectError(await h.as(TARGET).get(`/v2.0/address-groups/${ag['id']}`), 404);
    ok(await owner.post('/v2.0/rbac-policies', { rbac_policy: { object_type: 'address_group', object_id: ag['id'], action: 'access_as_shared', target_tenant: TARGET } }), 201);
    expect(ok(await h.as(TARGET).get(`/v2.0/address-groups/${ag['id']}`))['address_group']['id']).toBe(ag['id']);
  },
  'palisade-rule-expiry': async () => {
    const c = fresh();
    const g = await c.group();
    const at = new Date(Date.now() + 3_600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    expect((await c.rule(g['id'], { protocol: 'tcp', port_range_min: 22, port_range_max: 22, expires_at: at }))['expires_at']).toBe(at);
    expectError(await c.post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: g['id'], direction: 'ingress', expires_at: '2001-01-01T00:00:00Z' } }), 400, 'SecurityGroupRuleInvalidExpiry');
  },
  'security-groups-normalized-cidr': async () => {
    const c = fresh();
    const r = await c.rule((await c.group())['id'], { remote_ip_prefix: '10.0.0.34/24' });
    expect(r['normalized_cidr']).toBe('10.0.0.0/24');
  },
  'security-groups-rules-belongs-to-default-sg': async () => {
    const c = fresh();
    const d = await c.defaultGroup();
    const rules = ok(await c.get(`/v2.0/security-group-rules?security_group_id=${d['id']}`))['security_group_rules'] as Json[];
    expect(rules.every((r) => r['belongs_to_default_sg'] === true)).toBe(true);
  },
  'port-security': async () => {
    const c = fresh();
    const { network } = await networkWithSubnet(c);
    expect((await c.port(network['id'], { port_security_enabled: false, security_groups: [] }))['port_security_enabled']).toBe(false);
  },
  'allowed-address-pairs': async () => {
    const c = fresh();
    const { network } = await networkWithSubnet(c);
    const p = await c.port(network['id'], { allowed_address_pairs: [{ ip_address: '10.0.0.200' }] });
    expect(p['allowed_address_pairs'][0]).toMatchObject({ ip_address: '10.0.0.200', mac_address: p['mac_address'] });
  },
  'port-security-groups-filtering': async () => {
    const c = fresh();
    const g = await c.group();
    const { network } = await networkWithSubnet(c);
    const p = await c.port(network['id'], { security_groups: [g['id']] });
    expect(ok(await c.get(`/v2.0/ports?security_groups=${g['id']}`))['ports'].map((x: Json) => x['id'])).toEqual([p['id']]);
  },
  'security-groups-default-rules': async () => {
    const made = ok(await h.admin.post('/v2.0/default-security-group-rules', {
      default_security_group_rule: { direction: 'ingress', protocol: 'icmp', used_in_default_sg: false, used_in_non_default_sg: true },
    }), 201)['default_security_group_rule'];
    expect((await fresh().group())['security_group_rules'].map((r: Json) => r['protocol'])).toContain('icmp');
    ok(await h.admin.del(`/v2.0/default-security-group-rules/${made['id']}`), 204);
  },
  'external-net': async () => {
    const net = ok(await h.admin.post('/v2.0/networks', { network: { name: 'ext', 'router:external': true } }), 201)['network'];
    expect(ok(await fresh().get('/v2.0/networks?router%3Aexternal=True'))['networks'].map((n: Json) => n['id'])).toContain(net['id']);
  },
  'net-mtu': async () => {
    const c = fresh();
    const n = await c.network();
    expect(ok(await c.get(`/v2.0/networks?mtu=1500&id=${n['id']}`))['networks'][0]['mtu']).toBe(1500);
  },
  l2_adjacency: async () => {
    expect((await fresh().network())['l2_adjacency']).toBe(true);
  },
};

describe('§14.2 extension aliases', () => {
  it('lists exactly the aliases that have a probe, each shown on its own', async () => {
    const listed = (ok(await h.as('ext').get('/v2.0/extensions'))['extensions'] as Json[]).map((e) => e['alias'] as string);
    expect([...listed].sort()).toEqual(Object.keys(PROBES).sort());
    for (const alias of listed) expect(ok(await h.as('ext').get(`/v2.0/extensions/${alias}`))['extension']['alias']).toBe(alias);
  });

  for (const [alias, probe] of Object.entries(PROBES)) it(`${alias} behaves as Neutron's`, probe);

  it('does not list what Palisade lacks', async () => {
    for (const alias of ['network_availability_zone', 'availability_zone', 'address-scope', 'auto-allocated-topology', 'security-groups-default-statefulness', 'router']) {
      expectError(await h.as('ext').get(`/v2.0/extensions/${alias}`), 404, 'ExtensionNotFound');
    }
  });
});
