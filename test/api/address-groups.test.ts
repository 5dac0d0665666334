// /v2.0/address-groups (Neutron's address-group extension): CRUD, add/remove, lists, sharing, rules naming a group, the log.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, type Caller, type Harness, type Json } from '../support/api-harness.js';

const OWNER = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TARGET = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const OTHER = 'cccccccccccccccccccccccccccccccc';
const AG = '/v2.0/address-groups';

let h: Harness;
let owner: Caller;
let target: Caller;
let other: Caller;

async function addressGroup(by: Caller, attrs: Json = {}): Promise<Json> {
  return ok(await by.post(AG, { address_group: { name: 'ag', ...attrs } }), 201)['address_group'];
}

function share(by: Caller, id: string, targetTenant: string) {
  return by.post('/v2.0/rbac-policies', { rbac_policy: { object_type: 'address_group', object_id: id, action: 'access_as_shared', target_tenant: targetTenant } });
}

beforeEach(async () => {
  h = await makeHarness();
  owner = h.as(OWNER);
  target = h.as(TARGET);
  other = h.as(OTHER);
});
afterEach(() => h.close());

describe('create, show, update, delete', () => {
  it('answers Neutron\'s shape with addresses of both families normalised', async () => {
    const ag = await addressGroup(owner, { name: 'web', description: 'front', addresses: ['10.0.0.7/24', '2001:db8:0:0::1/64', '192.0.2.1/32'] });
    expect(ag).toEqual({
      id: expect.any(String), name: 'web', description: 'front', addresses: ['10.0.0.0/24', '192.0.2.1/32', '2001:db8::/64'],
      project_id: OWNER, tenant_id: OWNER, revision_number: 1, created_at: expect.any(String), updated_at: expect.any(String),
    });
    expect(ok(await owner.get(`${AG}/${ag['id']}`))['address_group']).toEqual(ag);
    expect(ok(await owner.get(`${AG}/${ag['id']}?fields=addresses`))['address_group']).toEqual({ addresses: ag['addresses'] });
    const updated = ok(await owner.put(`${AG}/${ag['id']}`, { address_group: { name: 'web2', description: '' } }))['address_group'];
    expect(updated).toMatchObject({ name: 'web2', description: '', revision_number: 2, addresses: ag['addresses'] });
    expect(ok(await owner.del(`${AG}/${ag['id']}`), 204)).toBeUndefined();
    expectError(await owner.get(`${AG}/${ag['id']}`), 404, 'AddressGroupNotFound', `Address group ${ag['id']} could not be found.`);
  });

  it('If-Match: revision_number on PUT and DELETE (revision-if-match)', async () => {
    const ag = await addressGroup(owner);
    const url = `${AG}/${ag['id']}`;
    expectError(await owner.put(url, { address_group: { name: 'x' } }, { 'if-match': 'revision_number=7' }), 412, 'RevisionNumberConstraintFailed');
    ok(await owner.put(url, { address_group: { name: 'x' } }, { 'if-match': 'revision_number=1' }));
    expectError(await owner.del(url, { 'if-match': 'revision_number=1' }), 412, 'RevisionNumberConstraintFailed');
    ok(await owner.del(url, { 'if-match': 'revision_number=2' }), 204);
  });

  it('defaults: empty name, description and addresses; null addresses means none', async () => {
    const ag = ok(await owner.post(AG, { address_group: {} }), 201)['address_group'];
    expect(ag).toMatchObject({ name: '', description: '', addresses: [] });
    expect((await addressGroup(owner, { addresses: null }))['addresses']).toEqual([]);
  });

  it('refuses what neutron-lib\'s subnet_list refuses, with its messages', async () => {
    const cases: [unknown, string][] = [
      ['10.0.0.0/8', "Invalid input for addresses. Reason: '10.0.0.0/8' is not a list."],
      [['10.0.0.1'], "Invalid input for addresses. Reason: '10.0.0.1' is not a valid IP subnet."],
      [['10.0.0.0/33'], "'10.0.0.0/33' is not a valid IP subnet."],
      [['010.0.0.0/8'], "'010.0.0.0/8' is not a valid IP subnet."],
      [['10.0.0.0/8', '10.0.0.0/8'], "Duplicate items in the list: '10.0.0.0/8'."],
      [[7], "'7' is not a valid IP subnet."],
    ];
    for (const [addresses, message] of cases) expectError(await owner.post(AG, { address_group: { addresses } }), 400, 'HTTPBadRequest', message);
    expectError(await owner.post(AG, { address_group: { addresses: [], shared: true } }), 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'shared'");
    expectError(await owner.put(`${AG}/x`, { address_group: { addresses: [] } }), 400, 'HTTPBadRequest', 'Cannot update read-only attribute addresses');
    expect(ok(await owner.get(AG))['address_groups']).toEqual([]);
  });

  it('two spellings of one network are one address after normalising', async () => {
    expect((await addressGroup(owner, { addresses: ['10.0.0.1/24', '10.0.0.2/24'] }))['addresses']).toEqual(['10.0.0.0/24']);
  });

  it('bulk create writes all or none', async () => {
    const made = ok(await owner.post(AG, { address_groups: [{ name: 'a' }, { name: 'b', addresses: ['192.0.2.0/24'] }] }), 201)['address_groups'];
    expect(made.map((g: Json) => g['name'])).toEqual(['a', 'b']);
    expectError(await owner.post(AG, { address_groups: [{ name: 'c' }, { name: 'd', addresses: ['bad'] }] }), 400, 'HTTPBadRequest');
    expect(ok(await owner.get(`${AG}?name=c`))['address_groups']).toEqual([]);
  });
});

describe('add_addresses and remove_addresses', () => {
  it('add normalises, dedups, and refuses held addresses (400 AddressesAlreadyExist)', async () => {
    const ag = await addressGroup(owner, { addresses: ['10.0.0.0/24'] });
    const url = `${AG}/${ag['id']}`;
    const added = ok(await owner.put(`${url}/add_addresses`, { addresses: ['192.0.2.9', '192.0.2.9/32', '2001:db8::5/64'] }))['address_group'];
    expect(added['addresses']).toEqual(['10.0.0.0/24', '192.0.2.9/32', '2001:db8::/64']);
    expect(added['revision_number']).toBe(2);
    expectError(await owner.put(`${url}/add_addresses`, { addresses: ['10.0.0.5/24', '198.51.100.0/24'] }), 400, 'AddressesAlreadyExist',
      `Addresses ['10.0.0.0/24'] already exist in the address group ${ag['id']}.`);
    expect(ok(await owner.get(url))['address_group']['addresses']).toEqual(added['addresses']);
  });

  it('remove refuses addresses not held (404 AddressesNotFound) and removes nothing then', async () => {
    const ag = await addressGroup(owner, { addresses: ['10.0.0.0/24', '2001:db8::/64'] });
    const url = `${AG}/${ag['id']}`;
    expectError(await owner.put(`${url}/remove_addresses`, { addresses: ['10.0.0.0/24', '10.9.0.0/16'] }), 404, 'AddressesNotFound',
      `Addresses ['10.9.0.0/16'] not found in the address group ${ag['id']}.`);
    const removed = ok(await owner.put(`${url}/remove_addresses`, { addresses: ['10.0.0.9/24'] }))['address_group'];
    expect(removed['addresses']).toEqual(['2001:db8::/64']);
  });

  it('refuses a malformed action body', async () => {
    const ag = await addressGroup(owner);
    const url = `${AG}/${ag['id']}/add_addresses`;
    expectError(await owner.put(url, {}), 400, 'HTTPBadRequest', "Required attribute 'addresses' not specified");
    expectError(await owner.put(url, { addresses: 'x' }), 400, 'HTTPBadRequest', "'x' is not a list.");
    expectError(await owner.put(url, { addresses: ['nope'] }), 400, 'HTTPBadRequest', "'nope' is not a valid IP subnet.");
    expectError(await owner.put(url, { addresses: [], extra: 1 }), 400, 'HTTPBadRequest', "Unrecognized attribute(s) 'extra'");
    expectError(await owner.put(`${AG}/missing/add_addresses`, { addresses: [] }), 404, 'AddressGroupNotFound');
    expect((await owner.request('POST', url, { addresses: [] })).status).toBe(405);
  });
});

describe('lists', () => {
  it('filters, sorts, pages and selects fields', async () => {
    for (const name of ['c', 'a', 'b']) await addressGroup(owner, { name, description: name === 'a' ? 'x' : '' });
    await addressGroup(other, { name: 'z' });
    const names = (r: Json) => (r['address_groups'] as Json[]).map((g) => g['name']);
    expect(names(ok(await owner.get(`${AG}?sort_key=name&sort_dir=asc`)))).toEqual(['a', 'b', 'c']);
    expect(names(ok(await owner.get(`${AG}?description=x`)))).toEqual(['a']);
    const page = ok(await owner.get(`${AG}?sort_key=name&sort_dir=desc&limit=2`));
    expect(names(page)).toEqual(['c', 'b']);
    expect(page['address_groups_links'][0]['rel']).toBe('next');
    expect(ok(await owner.get(`${AG}?fields=name&name=b`))['address_groups']).toEqual([{ name: 'b' }]);
    expectError(await owner.get(`${AG}?addresses=10.0.0.0/8`), 400, 'HTTPBadRequest');
    expect(names(ok(await h.admin.get(`${AG}?sort_key=name&sort_dir=asc`)))).toEqual(['a', 'b', 'c', 'z']);
  });
});

describe('project scoping and RBAC sharing', () => {
  it('another project gets 404; a shared group is visible and usable but not writable (403)', async () => {
    const ag = await addressGroup(owner, { addresses: ['10.0.0.0/24'] });
    const url = `${AG}/${ag['id']}`;
    expectError(await target.get(url), 404, 'AddressGroupNotFound');
    expectError(await target.put(`${url}/add_addresses`, { addresses: ['10.1.0.0/24'] }), 404, 'AddressGroupNotFound');
    const group = await target.group();
    expectError(await target.post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: group['id'], direction: 'ingress', remote_address_group_id: ag['id'] } }),
      404, 'AddressGroupNotFound');
    const policy = ok(await share(owner, ag['id'], TARGET), 201)['rbac_policy'];
    expect(policy).toMatchObject({ object_type: 'address_group', object_id: ag['id'], target_tenant: TARGET });
    expect(ok(await target.get(url))['address_group']['id']).toBe(ag['id']);
    expect((ok(await target.get(AG))['address_groups'] as Json[]).map((g) => g['id'])).toEqual([ag['id']]);
    expectError(await target.put(`${url}/add_addresses`, { addresses: ['10.1.0.0/24'] }), 403, 'PolicyNotAuthorized');
    expectError(await target.del(url), 403, 'PolicyNotAuthorized');
    const rule = await target.rule(group['id'], { remote_address_group_id: ag['id'] });
    expect(rule['remote_address_group_id']).toBe(ag['id']);
    expectError(await owner.del(`/v2.0/rbac-policies/${policy['id']}`), 409, 'RbacPolicyInUse', `Details: project_id=${TARGET}`);
    expectError(await other.get(url), 404, 'AddressGroupNotFound');
    expectError(await share(target, ag['id'], OTHER), 400, 'InvalidInput');
    expectError(await share(other, ag['id'], OTHER), 404, 'AddressGroupNotFound');
  });
});

describe('rules naming an address group', () => {
  it('stores remote_address_group_id, filters on it, and keeps the group from deletion (409 AddressGroupInUse)', async () => {
    const ag = await addressGroup(owner, { addresses: ['10.0.0.0/24'] });
    const group = await owner.group();
    const rule = await owner.rule(group['id'], { protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_address_group_id: ag['id'] });
    expect(rule).toMatchObject({ remote_address_group_id: ag['id'], remote_ip_prefix: null, remote_group_id: null });
    const listed = ok(await owner.get(`/v2.0/security-group-rules?remote_address_group_id=${ag['id']}`))['security_group_rules'];
    expect(listed.map((r: Json) => r['id'])).toEqual([rule['id']]);
    expectError(await owner.del(`${AG}/${ag['id']}`), 409, 'AddressGroupInUse', `Address group ${ag['id']} is in use on one or more security group rules.`);
    ok(await owner.del(`/v2.0/security-group-rules/${rule['id']}`), 204);
    ok(await owner.del(`${AG}/${ag['id']}`), 204);
  });

  it('one remote only: Neutron\'s SecurityGroupMultipleRemoteEntites', async () => {
    const ag = await addressGroup(owner);
    const group = await owner.group();
    const message = 'Only one of remote_ip_prefix or remote_group_id or remote_address_group_id may be provided.';
    for (const extra of [{ remote_ip_prefix: '10.0.0.0/8' }, { remote_group_id: group['id'] }]) {
      expectError(await owner.post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: group['id'], direction: 'ingress', remote_address_group_id: ag['id'], ...extra } }),
        400, 'SecurityGroupMultipleRemoteEntites', message);
    }
    expectError(await owner.post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: group['id'], direction: 'ingress', remote_address_group_id: 'nope' } }),
      404, 'AddressGroupNotFound', 'Address group nope could not be found.');
  });
});

describe('the engine behind the analysis API', () => {
  it('explain follows add_addresses and remove_addresses on a rule\'s remote address group', async () => {
    const ag = await addressGroup(owner, { addresses: ['10.0.0.0/24'] });
    const group = await owner.group();
    const network = ok(await owner.post('/v2.0/networks', { network: { name: 'n' } }), 201)['network'];
    ok(await owner.post('/v2.0/subnets', { subnet: { network_id: network['id'], cidr: '10.1.0.0/24' } }), 201);
    const port = ok(await owner.post('/v2.0/ports', { port: { network_id: network['id'], security_groups: [group['id']] } }), 201)['port'];
    await owner.rule(group['id'], { protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_address_group_id: ag['id'] });
    const verdict = async (remoteIp: string) =>
      ok(await owner.post('/v2.0/palisade/explain', { flow: { port_id: port['id'], direction: 'ingress', protocol: 'tcp', remote_ip: remoteIp, port: 22 } }))['explanation']['verdict'];
    expect([await verdict('10.0.0.9'), await verdict('192.0.2.9')]).toEqual(['allow', 'deny']);
    ok(await owner.put(`${AG}/${ag['id']}/add_addresses`, { addresses: ['192.0.2.0/24'] }));
    expect(await verdict('192.0.2.9')).toBe('allow');
    ok(await owner.put(`${AG}/${ag['id']}/remove_addresses`, { addresses: ['10.0.0.0/24'] }));
    expect([await verdict('10.0.0.9'), await verdict('192.0.2.9')]).toEqual(['deny', 'allow']);
  });
});

describe('extensions and the change log', () => {
  it('lists address-group and security-groups-remote-address-group', async () => {
    const aliases = (ok(await owner.get('/v2.0/extensions'))['extensions'] as Json[]).map((e) => e['alias']);
    expect(aliases).toEqual(expect.arrayContaining(['address-group', 'security-groups-remote-address-group', 'rbac-address-group']));
    expect(ok(await owner.get('/v2.0/extensions/address-group'))['extension']['name']).toBe('Address group');
  });

  it('every write reaches the log as resource address_group, in wire form', async () => {
    const since = await h.latestSeq();
    const ag = await addressGroup(owner, { addresses: ['10.0.0.0/24'] });
    ok(await owner.put(`${AG}/${ag['id']}/add_addresses`, { addresses: ['10.1.0.0/24'] }));
    ok(await owner.put(`${AG}/${ag['id']}/remove_addresses`, { addresses: ['10.0.0.0/24'] }));
    ok(await owner.del(`${AG}/${ag['id']}`), 204);
    const changes = ok(await h.admin.get(`/v2.0/palisade/changes?since=${since}`))['changes'] as Json[];
    expect(changes.map((c) => [c['resource'], c['action'], c['object']?.['addresses'] ?? null])).toEqual([
      ['address_group', 'create', ['10.0.0.0/24']],
      ['address_group', 'update', ['10.0.0.0/24', '10.1.0.0/24']],
      ['address_group', 'update', ['10.1.0.0/24']],
      ['address_group', 'delete', null],
    ]);
    expect(changes[0]!['object']).toMatchObject({ id: ag['id'], project_id: OWNER, tenant_id: OWNER });
  });
});
