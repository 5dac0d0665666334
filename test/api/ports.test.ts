// neutron-api.md §3.5, §4.7, §8.4 ports and their security groups, and NHN's /v2.0/security-group-ports (§13).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Caller, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const PORTS = '/v2.0/ports';
const MISSING = '6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1';

async function setup(project: string): Promise<{ c: Caller; net: Json; subnet: Json; post: (attrs: Json) => ReturnType<Caller['post']> }> {
  const c = h.as(project);
  const { network, subnet } = await networkWithSubnet(c);
  const post = (attrs: Json) => c.post(PORTS, { port: { network_id: network['id'], ...attrs } });
  return { c, net: network, subnet, post };
}

describe('§3.5 security_groups on ports', () => {
  it('omitted → the project\'s default group; [] or null → none', async () => {
    const { c, post } = await setup('pdef');
    const d = await c.defaultGroup();
    expect(ok(await post({}), 201)['port']['security_groups']).toEqual([d['id']]);
    expect(ok(await post({ security_groups: [] }), 201)['port']['security_groups']).toEqual([]);
    expect(ok(await post({ security_groups: null }), 201)['port']['security_groups']).toEqual([]);
  });

  it('a network:* port gets no groups', async () => {
    const { post } = await setup('ptrusted');
    expect(ok(await post({ device_owner: 'network:dhcp' }), 201)['port']['security_groups']).toEqual([]);
  });

  it('the port shows fixed IPs from the subnet and the documented fields', async () => {
    const { subnet, post } = await setup('pshape');
    const p = ok(await post({ device_id: 'vm-1', name: 'eth0' }), 201)['port'];
    expect(p).toMatchObject({ device_id: 'vm-1', name: 'eth0', port_security_enabled: true, allowed_address_pairs: [] });
    expect(p).not.toHaveProperty('binding:host_id'); // admin-only to read, as in Neutron
    expect(p['fixed_ips']).toHaveLength(1);
    expect(p['fixed_ips'][0]['subnet_id']).toBe(subnet['id']);
    expect(p['fixed_ips'][0]['ip_address']).toMatch(/^10\.0\.0\.\d+$/);
    expect(p['mac_address']).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
  });

  it('not a list is 400 «… is not a list»', async () => {
    const { c, post } = await setup('plist');
    const g = await c.group();
    expectError(await post({ security_groups: g['id'] }), 400, 'HTTPBadRequest', 'is not a list');
  });

  it('the same group twice is 400 «Duplicate items in the list»', async () => {
    const { c, post } = await setup('pdup');
    const g = await c.group();
    expectError(await post({ security_groups: [g['id'], g['id']] }), 400, 'HTTPBadRequest', `Duplicate items in the list: '${g['id']}'`);
  });

  it('a non-UUID entry is 400', async () => {
    const { post } = await setup('puuid');
    expectError(await post({ security_groups: ['not-a-uuid'] }), 400, 'HTTPBadRequest');
    expectError(await post({ security_groups: [42] }), 400, 'HTTPBadRequest');
  });

  it('an unknown group is 404 listing it, and an update leaves the port unchanged', async () => {
    const { c, post } = await setup('punknown');
    const g = await c.group();
    expectError(await post({ security_groups: [MISSING] }), 404, 'SecurityGroupNotFound', MISSING);
    const p = ok(await post({ security_groups: [g['id']] }), 201)['port'];
    expectError(await c.put(`${PORTS}/${p['id']}`, { port: { security_groups: [g['id'], MISSING] } }), 404, 'SecurityGroupNotFound', MISSING);
    const after = ok(await c.get(`${PORTS}/${p['id']}`))['port'];
    expect(after['security_groups']).toEqual([g['id']]);
    expect(after['revision_number']).toBe(p['revision_number']);
  });

  it('another project\'s group is 404 on a port', async () => {
    const { post } = await setup('pforeign');
    const foreign = await h.as('pforeign-other').group();
    expectError(await post({ security_groups: [foreign['id']] }), 404, 'SecurityGroupNotFound');
  });

  it('stateful and stateless groups cannot mix (409 SecurityGroupConflict)', async () => {
    const { c, post } = await setup('pmix');
    const a = await c.group({ stateful: true });
    const b = await c.group({ stateful: false });
    expectError(await post({ security_groups: [a['id'], b['id']] }), 409, 'SecurityGroupConflict', 'Cannot apply both stateful and stateless security groups on the same port');
    const p = ok(await post({ security_groups: [a['id']] }), 201)['port'];
    expectError(await c.put(`${PORTS}/${p['id']}`, { port: { security_groups: [a['id'], b['id']] } }), 409, 'SecurityGroupConflict');
  });

  it('a group in use cannot be deleted; once released it can', async () => {
    const { c, post } = await setup('pinuse');
    const g = await c.group();
    const p = ok(await post({ security_groups: [g['id']] }), 201)['port'];
    expectError(await c.del(`/v2.0/security-groups/${g['id']}`), 409, 'SecurityGroupInUse', 'in use.');
    ok(await c.put(`${PORTS}/${p['id']}`, { port: { security_groups: [] } }));
    ok(await c.del(`/v2.0/security-groups/${g['id']}`), 204);
  });

  it('updating with the same set is a no-op (revision unchanged)', async () => {
    const { c, post } = await setup('pnoop');
    const g = await c.group();
    const p = ok(await post({ security_groups: [g['id']] }), 201)['port'];
    const u = ok(await c.put(`${PORTS}/${p['id']}`, { port: { security_groups: [g['id']] } }))['port'];
    expect(u['revision_number']).toBe(p['revision_number']);
  });

  it('GET /v2.0/ports?security_groups= lists the ports using a group', async () => {
    const { c, post } = await setup('pfilter');
    const g = await c.group();
    const p = ok(await post({ security_groups: [g['id']] }), 201)['port'];
    ok(await post({ security_groups: [] }), 201);
    const list = ok(await c.get(`${PORTS}?security_groups=${g['id']}`))['ports'] as Json[];
    expect(list.map((x) => x['id'])).toEqual([p['id']]);
  });
});

describe('bulk create of ports, networks and subnets', () => {
  it('is all-or-nothing: one bad item writes nothing', async () => {
    const { c, net } = await setup('pbulk');
    const before = await h.latestSeq();
    const ports = [{ network_id: net['id'], name: 'ok' }, { network_id: net['id'], security_groups: [MISSING] }];
    expectError(await c.post(PORTS, { ports }), 404, 'SecurityGroupNotFound');
    expectError(await c.post('/v2.0/networks', { networks: [{ name: 'ok' }, { name: 5 }] }), 400);
    expectError(await c.post('/v2.0/subnets', { subnets: [{ network_id: net['id'], cidr: '10.5.0.0/24' }, { network_id: net['id'], cidr: 'bad' }] }), 400);
    expect(await h.latestSeq()).toBe(before);
    expect(ok(await c.get(`${PORTS}?name=ok`))['ports']).toHaveLength(0);
    const created = ok(await c.post(PORTS, { ports: [{ network_id: net['id'] }, { port: { network_id: net['id'] } }] }), 201)['ports'] as Json[];
    expect(new Set(created.map((p) => p['fixed_ips'][0]['ip_address'])).size).toBe(2);
  });
});

describe('§3.5 port_security_enabled and allowed_address_pairs', () => {
  it('port security off with groups is refused; off without groups works', async () => {
    const { c, post } = await setup('psec');
    const g = await c.group();
    expectError(await post({ port_security_enabled: false, security_groups: [g['id']] }), 400, 'PortSecurityAndIPRequiredForSecurityGroups');
    const p = ok(await post({ port_security_enabled: false }), 201)['port'];
    expect(p).toMatchObject({ port_security_enabled: false, security_groups: [] });
    const q = ok(await post({ security_groups: [g['id']] }), 201)['port'];
    expectError(await c.put(`${PORTS}/${q['id']}`, { port: { port_security_enabled: false } }), 409, 'PortSecurityPortHasSecurityGroup');
  });

  it('port security is inherited from the network', async () => {
    const c = h.as('pinherit');
    const net = await c.network({ port_security_enabled: false });
    await c.subnet(net['id']);
    const p = await c.port(net['id']);
    expect(p).toMatchObject({ port_security_enabled: false, security_groups: [] });
  });

  it('allowed_address_pairs: ip required, optional MAC defaults to the port\'s, no extra keys, no duplicates, ≤10', async () => {
    const { post } = await setup('pairs');
    const p = ok(await post({ allowed_address_pairs: [{ ip_address: '10.0.0.100' }, { ip_address: '192.168.0.0/24', mac_address: 'fa:16:3e:00:00:01' }] }), 201)['port'];
    expect(p['allowed_address_pairs']).toEqual([
      { ip_address: '10.0.0.100', mac_address: p['mac_address'] },
      { ip_address: '192.168.0.0/24', mac_address: 'fa:16:3e:00:00:01' },
    ]);
    expectError(await post({ allowed_address_pairs: [{ mac_address: 'fa:16:3e:00:00:01' }] }), 400);
    expectError(await post({ allowed_address_pairs: [{ ip_address: '10.0.0.1', colour: 'red' }] }), 400);
    expectError(await post({ allowed_address_pairs: [{ ip_address: 'bogus' }] }), 400);
    expectError(await post({ allowed_address_pairs: [{ ip_address: '10.0.0.1' }, { ip_address: '10.0.0.1' }] }), 400, 'DuplicateAddressPairInRequest');
    const many = Array.from({ length: 11 }, (_, i) => ({ ip_address: `10.1.0.${i}` }));
    expectError(await post({ allowed_address_pairs: many }), 400, 'AllowedAddressPairExhausted');
    expectError(await post({ allowed_address_pairs: 'x' }), 400);
    expectError(await post({ port_security_enabled: false, security_groups: [], allowed_address_pairs: [{ ip_address: '10.0.0.5' }] }), 409, 'AddressPairAndPortSecurityRequired');
  });
});

describe('§13 GET /v2.0/security-group-ports (NHN)', () => {
  it('lists the ports of a group, requires security_group_id, hides other projects\' groups', async () => {
    const { c, post } = await setup('sgports');
    const g = await c.group();
    const p = ok(await post({ security_groups: [g['id']], device_id: 'vm' }), 201)['port'];
    ok(await post({ security_groups: [] }), 201);
    const list = ok(await c.get(`/v2.0/security-group-ports?security_group_id=${g['id']}`))['security_group_ports'] as Json[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: p['id'], device_id: 'vm', security_groups: [g['id']], network_id: p['network_id'], tenant_id: 'sgports', project_id: 'sgports' });
    for (const key of ['name', 'status', 'admin_state_up', 'device_owner', 'mac_address', 'fixed_ips']) expect(list[0]).toHaveProperty(key);
    const fields = ok(await c.get(`/v2.0/security-group-ports?security_group_id=${g['id']}&fields=id`))['security_group_ports'];
    expect(fields).toEqual([{ id: p['id'] }]);
    expectError(await c.get('/v2.0/security-group-ports'), 400, 'HTTPBadRequest', 'security_group_id');
    expectError(await h.as('sgports-other').get(`/v2.0/security-group-ports?security_group_id=${g['id']}`), 404, 'SecurityGroupNotFound');
  });
});

describe('binding:host_id is admin-only to set (issue 14 item 7, Neutron\'s default policy)', () => {
  it('a member creating a port with binding:host_id gets Neutron\'s 403 PolicyNotAuthorized, and nothing is created', async () => {
    const { post } = await setup('bind-member');
    const before = await h.latestSeq();
    expectError(await post({ name: 'p', 'binding:host_id': 'host-a' }), 403, 'PolicyNotAuthorized');
    expect((await post({ 'binding:host_id': 'host-a' })).body['NeutronError']['message'])
      .toBe('(rule:create_port and rule:create_port:binding:host_id) is disallowed by policy');
    expect((await post({ 'binding:host_id': '' })).status).toBe(403);
    expect((await post({ 'binding:host_id': 'h', fixed_ips: [{ subnet_id: MISSING }], device_owner: 'compute:nova' })).body['NeutronError']['message'])
      .toBe('(((rule:create_port and (rule:create_port:fixed_ips and (rule:create_port:fixed_ips:subnet_id))) and rule:create_port:device_owner) and rule:create_port:binding:host_id) is disallowed by policy');
    expect(await h.latestSeq()).toBe(before);
  });

  it('a member updating binding:host_id of an own port gets 403; the port keeps its binding', async () => {
    const { c, post } = await setup('bind-member2');
    const port = ok(await post({ name: 'p' }), 201)['port'];
    const reply = await c.put(`${PORTS}/${port['id']}`, { port: { 'binding:host_id': 'host-b', name: 'renamed' } });
    expectError(reply, 403, 'PolicyNotAuthorized', '(rule:update_port and rule:update_port:binding:host_id) is disallowed by policy');
    expect(ok(await c.get(`${PORTS}/${port['id']}`))['port']).toMatchObject({ name: 'p' });
    expect(ok(await h.admin.get(`${PORTS}/${port['id']}`))['port']).toMatchObject({ name: 'p', 'binding:host_id': '' });
    // Another project's port stays invisible: 404, not 403.
    expectError(await h.as('bind-stranger').put(`${PORTS}/${port['id']}`, { port: { 'binding:host_id': 'x' } }), 404, 'PortNotFound');
  });

  it('an admin binds on create and update, for any project', async () => {
    const { net } = await setup('bind-owner');
    const created = ok(await h.admin.post(PORTS, { port: { network_id: net['id'], project_id: 'bind-owner', 'binding:host_id': 'host-a' } }), 201)['port'];
    expect(created).toMatchObject({ project_id: 'bind-owner', 'binding:host_id': 'host-a' });
    const updated = ok(await h.admin.put(`${PORTS}/${created['id']}`, { port: { 'binding:host_id': 'host-b' } }))['port'];
    expect(updated['binding:host_id']).toBe('host-b');
    // The member still changes what it may: the binding stays.
    ok(await h.as('bind-owner').put(`${PORTS}/${created['id']}`, { port: { name: 'web' } }));
    expect(ok(await h.admin.get(`${PORTS}/${created['id']}`))['port']).toMatchObject({ name: 'web', 'binding:host_id': 'host-b' });
  });

  it('reading it is admin-only too: a member\'s views omit it and cannot filter on it; an admin lists by host', async () => {
    const { net } = await setup('bind-reader');
    const created = ok(await h.admin.post(PORTS, { port: { network_id: net['id'], project_id: 'bind-reader', 'binding:host_id': 'host-r' } }), 201)['port'];
    const member = h.as('bind-reader');
    expect(ok(await member.get(`${PORTS}/${created['id']}`))['port']).not.toHaveProperty('binding:host_id');
    for (const port of ok(await member.get(PORTS))['ports']) expect(port).not.toHaveProperty('binding:host_id');
    expect(ok(await member.get(`${PORTS}?binding:host_id=host-r`))['ports']).toEqual([]);
    expect(ok(await h.admin.get(`${PORTS}?binding:host_id=host-r`))['ports'].map((p: Json) => p['id'])).toEqual([created['id']]);
  });
});

describe('binding:profile is admin-only to set and read (issue 14, Neutron\'s default policy)', () => {
  it('a member setting it on create or update gets Neutron\'s 403, and nothing changes', async () => {
    const { c, post } = await setup('profile-member');
    const before = await h.latestSeq();
    expectError(await post({ 'binding:profile': { local_link_information: [] } }), 403, 'PolicyNotAuthorized',
      '(rule:create_port and rule:create_port:binding:profile) is disallowed by policy');
    expect(await h.latestSeq()).toBe(before);
    const port = ok(await post({ name: 'p' }), 201)['port'];
    expectError(await c.put(`${PORTS}/${port['id']}`, { port: { 'binding:profile': {} } }), 403, 'PolicyNotAuthorized',
      '(rule:update_port and rule:update_port:binding:profile) is disallowed by policy');
    expect(port).not.toHaveProperty('binding:profile');
  });

  it('an admin sets and replaces it; null empties it; the member never sees it; a non-object is 400', async () => {
    const { net } = await setup('profile-owner');
    const profile = { capabilities: ['switchdev'], pci_slot: '0000:03:00.1' };
    const created = ok(await h.admin.post(PORTS, { port: { network_id: net['id'], project_id: 'profile-owner', 'binding:profile': profile } }), 201)['port'];
    expect(created['binding:profile']).toEqual(profile);
    expect(ok(await h.admin.get(`${PORTS}/${created['id']}`))['port']['binding:profile']).toEqual(profile);
    expect(ok(await h.as('profile-owner').get(`${PORTS}/${created['id']}`))['port']).not.toHaveProperty('binding:profile');
    const replaced = ok(await h.admin.put(`${PORTS}/${created['id']}`, { port: { 'binding:profile': { trusted: true } } }))['port'];
    expect(replaced['binding:profile']).toEqual({ trusted: true });
    // A member's own edit leaves the profile alone.
    ok(await h.as('profile-owner').put(`${PORTS}/${created['id']}`, { port: { name: 'web' } }));
    expect(ok(await h.admin.get(`${PORTS}/${created['id']}`))['port']['binding:profile']).toEqual({ trusted: true });
    expect(ok(await h.admin.put(`${PORTS}/${created['id']}`, { port: { 'binding:profile': null } }))['port']['binding:profile']).toEqual({});
    for (const bad of ['pci', [1], 7]) {
      expectError(await h.admin.put(`${PORTS}/${created['id']}`, { port: { 'binding:profile': bad } }), 400, 'HTTPBadRequest');
    }
    expect((await h.admin.put(`${PORTS}/${created['id']}`, { port: { 'binding:profile': 'pci' } })).body['NeutronError']['message'])
      .toBe("Invalid input for binding:profile. Reason: 'pci' is not a dictionary.");
  });
});
