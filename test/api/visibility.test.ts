// neutron-api.md §9 visibility and authorisation: other projects' objects are 404, rules in their groups 403, admin sees all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, send, type Caller, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
let alice: Caller;
let bob: Caller;
let aliceGroup: Json;
beforeAll(async () => {
  h = await makeHarness();
  alice = h.as('alice');
  bob = h.as('bob');
  aliceGroup = await alice.group({ name: 'alice-web' });
});
afterAll(() => h.close());

const SG = '/v2.0/security-groups';
const RULES = '/v2.0/security-group-rules';

describe('§9 another project\'s objects', () => {
  it('groups: 404 on show, update, delete; absent from lists', async () => {
    const id = aliceGroup['id'];
    expectError(await bob.get(`${SG}/${id}`), 404, 'SecurityGroupNotFound');
    expectError(await bob.put(`${SG}/${id}`, { security_group: { name: 'x' } }), 404, 'SecurityGroupNotFound');
    expectError(await bob.del(`${SG}/${id}`), 404, 'SecurityGroupNotFound');
    const names = (ok(await bob.get(SG))['security_groups'] as Json[]).map((g) => g['project_id']);
    expect(new Set(names)).toEqual(new Set(['bob']));
    ok(await alice.get(`${SG}/${id}`));
  });

  it('rules: 404 on show and delete, absent from lists; 403 creating one in the group', async () => {
    const rule = aliceGroup['security_group_rules'][0];
    expectError(await bob.get(`${RULES}/${rule['id']}`), 404, 'SecurityGroupRuleNotFound');
    expectError(await bob.del(`${RULES}/${rule['id']}`), 404, 'SecurityGroupRuleNotFound');
    const visible = (ok(await bob.get(RULES))['security_group_rules'] as Json[]).map((r) => r['id']);
    expect(visible).not.toContain(rule['id']);
    const res = await bob.post(RULES, { security_group_rule: { security_group_id: aliceGroup['id'], direction: 'ingress' } });
    expectError(res, 403);
    expect(ok(await alice.get(`${SG}/${aliceGroup['id']}`))['security_group']['security_group_rules']).toHaveLength(2);
  });

  it('ports and networks: 404 across projects', async () => {
    const { network } = await networkWithSubnet(alice);
    const port = await alice.port(network['id']);
    expectError(await bob.get(`/v2.0/ports/${port['id']}`), 404, 'PortNotFound');
    expectError(await bob.put(`/v2.0/ports/${port['id']}`, { port: { name: 'x' } }), 404, 'PortNotFound');
    expectError(await bob.del(`/v2.0/ports/${port['id']}`), 404, 'PortNotFound');
    expectError(await bob.get(`/v2.0/networks/${network['id']}`), 404, 'NetworkNotFound');
    expectError(await bob.post('/v2.0/ports', { port: { network_id: network['id'] } }), 404, 'NetworkNotFound');
    expect(ok(await bob.get('/v2.0/ports'))['ports']).toHaveLength(0);
  });

  it('tags of another project\'s group are 404', async () => {
    expectError(await bob.put(`${SG}/${aliceGroup['id']}/tags/x`), 404, 'TagResourceNotFound');
  });
});

describe('§9 admin', () => {
  it('an admin sees every project, and filters by project_id', async () => {
    await bob.group({ name: 'bob-db' });
    const all = ok(await h.admin.get(SG))['security_groups'] as Json[];
    const projects = new Set(all.map((g) => g['project_id']));
    expect(projects.has('alice')).toBe(true);
    expect(projects.has('bob')).toBe(true);
    const onlyBob = ok(await h.admin.get(`${SG}?project_id=bob`))['security_groups'] as Json[];
    expect(new Set(onlyBob.map((g) => g['project_id']))).toEqual(new Set(['bob']));
    ok(await h.admin.get(`${SG}/${aliceGroup['id']}`));
  });

  it('a rule the admin creates in a user\'s group is listed for the user; rules of the admin\'s own group are not', async () => {
    const adminGroup = await h.admin.group({ name: 'admin-own' });
    const rule = await h.admin.rule(aliceGroup['id'], { protocol: 'tcp', port_range_min: 8443, port_range_max: 8443 });
    const visible = (ok(await alice.get(RULES))['security_group_rules'] as Json[]).map((r) => r['id']);
    expect(visible).toContain(rule['id']);
    for (const r of adminGroup['security_group_rules']) expect(visible).not.toContain(r['id']);
    ok(await alice.get(`${RULES}/${rule['id']}`));
  });

  it('the admin role must be sent: X-Roles member is not admin', async () => {
    const member = h.as('admin-project', 'member');
    expectError(await member.get(`${SG}/${aliceGroup['id']}`), 404);
  });
});

describe('§9 authentication', () => {
  it('no X-Project-Id is 401 on every API path', async () => {
    for (const [method, url] of [['GET', SG], ['GET', RULES], ['GET', '/v2.0/ports'], ['GET', '/v2.0/quotas/x'], ['GET', '/v2.0/palisade/changes'], ['DELETE', `${SG}/${aliceGroup['id']}`]] as const) {
      expectError(await send(h.app, method, url, { 'x-roles': 'admin' }), 401);
    }
    ok(await alice.get(`${SG}/${aliceGroup['id']}`));
  });
});
