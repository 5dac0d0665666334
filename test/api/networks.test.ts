// neutron-api.md §15: networks as Horizon 23 and the clients read them: router:external, mtu and the rest of Zed's view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
let external: Json;
beforeAll(async () => {
  h = await makeHarness();
  external = ok(await h.admin.post('/v2.0/networks', { network: { name: 'public', 'router:external': true, project_id: 'ext-owner' } }), 201)['network'];
});
afterAll(() => h.close());

const names = (reply: Json) => (reply['networks'] as Json[]).map((n) => n['name']).sort();

describe('§15 the network view', () => {
  it('carries Zed\'s attributes with Neutron\'s defaults, in every view', async () => {
    const c = h.as('view');
    const made = await c.network({ name: 'v' });
    const expected = {
      'router:external': false, mtu: 1500, l2_adjacency: true, availability_zone_hints: [], availability_zones: [],
      ipv4_address_scope: null, ipv6_address_scope: null, shared: false, status: 'ACTIVE',
    };
    expect(made).toMatchObject(expected);
    expect(ok(await c.get(`/v2.0/networks/${made['id']}`))['network']).toMatchObject(expected);
    expect(ok(await c.get('/v2.0/networks'))['networks'].find((n: Json) => n['id'] === made['id'])).toMatchObject(expected);
    expect(ok(await c.put(`/v2.0/networks/${made['id']}`, { network: { name: 'v2' } }))['network']).toMatchObject(expected);
    expect(ok(await c.get(`/v2.0/networks/${made['id']}?fields=router:external&fields=mtu`))['network']).toEqual({ 'router:external': false, mtu: 1500 });
  });

  it('mtu and the other computed attributes are read-only', async () => {
    for (const attr of ['mtu', 'l2_adjacency', 'availability_zones', 'ipv4_address_scope']) {
      expectError(await h.as('ro').post('/v2.0/networks', { network: { [attr]: null } }), 400, 'HTTPBadRequest', `Attribute '${attr}' not allowed in POST`);
    }
  });
});

describe('§15 router:external: admins set it, everyone filters on it', () => {
  it('Horizon\'s network list queries answer 200 with the right networks', async () => {
    const c = h.as('horizon');
    await c.network({ name: 'mine' });
    const extNonShared = ok(await c.get('/v2.0/networks?router%3Aexternal=True&shared=False'));
    expect(names(extNonShared)).toEqual(['public']);
    expect(names(ok(await c.get('/v2.0/networks?shared=True')))).toEqual([]);
    expect(names(ok(await c.get('/v2.0/networks?tenant_id=horizon&shared=False&sort_key=id&sort_dir=desc&limit=21')))).toEqual(['mine']);
    expect(names(ok(await c.get('/v2.0/networks?router%3Aexternal=false&mtu=1500')))).toEqual(['mine']);
    expect(ok(await c.get('/v2.0/networks?sort_key=mtu&sort_dir=asc'))['networks']).toHaveLength(2);
  });

  it('a member may not make a network external, on create (unless false, the default) or update', async () => {
    const c = h.as('member');
    expectError(await c.post('/v2.0/networks', { network: { 'router:external': true } }), 403, 'PolicyNotAuthorized',
      '(rule:create_network and rule:create_network:router:external) is disallowed by policy');
    expectError(await c.post('/v2.0/networks', { network: { 'router:external': true, shared: true } }), 403, 'PolicyNotAuthorized',
      '((rule:create_network and rule:create_network:shared) and rule:create_network:router:external) is disallowed by policy');
    const own = await c.network({ 'router:external': 'false' });
    expect(own['router:external']).toBe(false);
    expectError(await c.put(`/v2.0/networks/${own['id']}`, { network: { 'router:external': false } }), 403, 'PolicyNotAuthorized',
      '(rule:update_network and rule:update_network:router:external) is disallowed by policy');
    expectError(await c.post('/v2.0/networks', { network: { 'router:external': 'maybe' } }), 400, 'HTTPBadRequest', "'maybe' cannot be converted to boolean");
    const flipped = ok(await h.admin.put(`/v2.0/networks/${own['id']}`, { network: { 'router:external': true } }))['network'];
    expect(flipped['router:external']).toBe(true);
  });

  it('every project sees an external network and its subnets, but builds nothing on it', async () => {
    const subnet = ok(await h.admin.post('/v2.0/subnets', { subnet: { network_id: external['id'], cidr: '203.0.113.0/24', project_id: 'ext-owner' } }), 201)['subnet'];
    const c = h.as('outsider');
    expect(ok(await c.get(`/v2.0/networks/${external['id']}`))['network']['subnets']).toEqual([subnet['id']]);
    expect(ok(await c.get(`/v2.0/subnets/${subnet['id']}`))['subnet']['cidr']).toBe('203.0.113.0/24');
    expectError(await c.post('/v2.0/ports', { port: { network_id: external['id'] } }), 403, 'HTTPForbidden', 'Tenant outsider not allowed to create port on this network');
    expectError(await c.post('/v2.0/subnets', { subnet: { network_id: external['id'], cidr: '198.51.100.0/24' } }), 403, 'HTTPForbidden',
      'Tenant outsider not allowed to create subnet on this network');
    expectError(await c.del(`/v2.0/networks/${external['id']}`), 403);
    expectError(await c.get('/v2.0/networks/6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1'), 404, 'NetworkNotFound');
  });
});

describe('§15 delete as Horizon does it', () => {
  it('deletes a listed network with its subnets; a network with ports is 409', async () => {
    const c = h.as('deleter');
    const { network, subnet } = await networkWithSubnet(c);
    const listed = ok(await c.get('/v2.0/networks?tenant_id=deleter&shared=False&sort_key=id&sort_dir=asc&limit=21'))['networks'] as Json[];
    expect(listed.map((n) => n['id'])).toEqual([network['id']]);
    ok(await c.del(`/v2.0/networks/${network['id']}`), 204);
    expectError(await c.get(`/v2.0/subnets/${subnet['id']}`), 404, 'SubnetNotFound');
    const busy = await networkWithSubnet(c, '10.1.0.0/24');
    await c.port(busy.network['id']);
    expectError(await c.del(`/v2.0/networks/${busy.network['id']}`), 409, 'NetworkInUse');
  });
});
