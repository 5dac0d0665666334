// neutron-api.md §4.1 and §6.2 (R1–R10) security groups, §3.6 revisions and If-Match, §8 default behaviours.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const SG = '/v2.0/security-groups';
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

function ruleKeys(rules: Json[]): string[] {
  return rules.map((r) => `${r['direction']}/${r['ethertype']}/${r['remote_group_id'] === null ? 'any' : 'self'}`).sort();
}

describe('§4.1 create, show, update, delete', () => {
  it('creates a group with the full object and two egress rules (§8.3)', async () => {
    const g = await h.as('crud').group({ name: 'web', description: 'web tier' });
    expect(g).toMatchObject({ name: 'web', description: 'web tier', stateful: true, shared: false, tags: [], project_id: 'crud' });
    expect(g['created_at']).toMatch(TIMESTAMP);
    expect(g['updated_at']).toBe(g['created_at']);
    expect(ruleKeys(g['security_group_rules'])).toEqual(['egress/IPv4/any', 'egress/IPv6/any']);
    for (const r of g['security_group_rules']) {
      expect(r).toMatchObject({ protocol: null, port_range_min: null, port_range_max: null, remote_ip_prefix: null, normalized_cidr: null, belongs_to_default_sg: false });
    }
  });

  it('names are not unique and default to ""', async () => {
    const c = h.as('dupnames');
    for (let i = 0; i < 5; i++) await c.group({ name: 'same' });
    expect(ok(await c.get(`${SG}?name=same`))['security_groups']).toHaveLength(5);
    const unnamed = ok(await c.post(SG, { security_group: {} }), 201)['security_group'];
    expect(unnamed['name']).toBe('');
  });

  it('bulk create is all-or-nothing and accepts bare or wrapped items', async () => {
    const c = h.as('bulk');
    const created = ok(await c.post(SG, { security_groups: [{ name: 'a' }, { security_group: { name: 'b' } }] }), 201)['security_groups'];
    expect(created.map((g: Json) => g['name'])).toEqual(['a', 'b']);
    expectError(await c.post(SG, { security_groups: [{ name: 'c' }, { name: 'Default' }] }), 409, 'SecurityGroupDefaultAlreadyExists');
    expect(ok(await c.get(`${SG}?name=c`))['security_groups']).toHaveLength(0);
  });

  it('updates name, description and stateful; updated_at and revision move', async () => {
    const c = h.as('upd');
    const g = await c.group({ name: 'old' });
    const u = ok(await c.put(`${SG}/${g['id']}`, { security_group: { name: 'new', description: 'd', stateful: 'false' } }))['security_group'];
    expect(u).toMatchObject({ name: 'new', description: 'd', stateful: false });
    expect(u['revision_number']).toBeGreaterThan(g['revision_number']);
    expect(u['security_group_rules']).toHaveLength(2);
  });

  it('deletes a group (204, no body) and then it is 404', async () => {
    const c = h.as('del');
    const g = await c.group();
    const res = await c.del(`${SG}/${g['id']}`);
    expect(res.status).toBe(204);
    expect(res.raw).toBe('');
    expectError(await c.get(`${SG}/${g['id']}`), 404, 'SecurityGroupNotFound');
  });

  it('deleting a group removes rules elsewhere that name it as remote group', async () => {
    const c = h.as('cascade');
    const target = await c.group({ name: 'target' });
    const other = await c.group({ name: 'other' });
    const rule = await c.rule(other['id'], { remote_group_id: target['id'] });
    ok(await c.del(`${SG}/${target['id']}`), 204);
    expectError(await c.get(`/v2.0/security-group-rules/${rule['id']}`), 404, 'SecurityGroupRuleNotFound');
    const after = ok(await c.get(`${SG}/${other['id']}`))['security_group'];
    expect(after['security_group_rules']).toHaveLength(2);
  });
});

describe('§6.2 rules R1–R10', () => {
  it('R1: name must be a string of at most 255', async () => {
    const c = h.as('r1');
    expectError(await c.post(SG, { security_group: { name: 7 } }), 400, 'HTTPBadRequest', 'Invalid input for name');
    expectError(await c.post(SG, { security_group: { name: 'x'.repeat(256) } }), 400, 'HTTPBadRequest', 'exceeds maximum length of 255');
    expect((await c.group({ name: 'x'.repeat(255) }))['name']).toHaveLength(255);
  });

  it('R2: description must be a string of at most 255', async () => {
    const c = h.as('r2');
    expectError(await c.post(SG, { security_group: { description: false } }), 400, 'HTTPBadRequest', 'Invalid input for description');
    const g = await c.group();
    expectError(await c.put(`${SG}/${g['id']}`, { security_group: { description: 'd'.repeat(256) } }), 400, 'HTTPBadRequest', 'exceeds maximum length of 255');
  });

  it('R3: the name default in any case is refused on POST and PUT', async () => {
    const c = h.as('r3');
    for (const name of ['default', 'DEFAULT', 'Default']) {
      expectError(await c.post(SG, { security_group: { name } }), 409, 'SecurityGroupDefaultAlreadyExists', 'Default security group already exists.');
    }
    const g = await c.group();
    expectError(await c.put(`${SG}/${g['id']}`, { security_group: { name: 'deFault' } }), 409, 'SecurityGroupDefaultAlreadyExists');
  });

  it('R4: renaming the default group is refused, even for an admin; its description may change', async () => {
    const c = h.as('r4');
    const d = await c.defaultGroup();
    expectError(await c.put(`${SG}/${d['id']}`, { security_group: { name: 'x' } }), 409, 'SecurityGroupCannotUpdateDefault', 'Updating default security group not allowed.');
    expectError(await h.admin.put(`${SG}/${d['id']}`, { security_group: { name: 'default' } }), 409, 'SecurityGroupCannotUpdateDefault');
    expect(ok(await c.put(`${SG}/${d['id']}`, { security_group: { description: 'mine' } }))['security_group']['description']).toBe('mine');
  });

  it('R5: a group bound to a port cannot be deleted', async () => {
    const c = h.as('r5');
    const { network } = await networkWithSubnet(c);
    const g = await c.group();
    await c.port(network['id'], { security_groups: [g['id']] });
    expectError(await c.del(`${SG}/${g['id']}`), 409, 'SecurityGroupInUse', `Security Group ${g['id']} in use.`);
  });

  it('R6: a non-admin cannot delete the default group; an admin can and it comes back', async () => {
    const c = h.as('r6');
    const d = await c.defaultGroup();
    expectError(await c.del(`${SG}/${d['id']}`), 409, 'SecurityGroupCannotRemoveDefault', 'Insufficient rights for removing default security group.');
    ok(await h.admin.del(`${SG}/${d['id']}`), 204);
    const again = await c.defaultGroup();
    expect(again['id']).not.toBe(d['id']);
    expect(again['security_group_rules']).toHaveLength(4);
  });

  it('R7: stateful cannot change while a port uses the group', async () => {
    const c = h.as('r7');
    const { network } = await networkWithSubnet(c);
    const g = await c.group();
    await c.port(network['id'], { security_groups: [g['id']] });
    expectError(await c.put(`${SG}/${g['id']}`, { security_group: { stateful: false } }), 409, 'SecurityGroupInUse', 'in use.');
    ok(await c.put(`${SG}/${g['id']}`, { security_group: { stateful: true } }));
  });

  it('R8: stateful takes boolean-like strings in any case, nothing else', async () => {
    const c = h.as('r8');
    for (const [v, want] of [['TRUE', true], ['no', false], ['On', true], ['f', false], ['Y', true], ['0', false]] as const) {
      expect((await c.group({ stateful: v }))['stateful']).toBe(want);
    }
    expectError(await c.post(SG, { security_group: { stateful: 'nope' } }), 400, 'HTTPBadRequest', "'nope' cannot be converted to boolean");
    expectError(await c.post(SG, { security_group: { stateful: 2 } }), 400, 'HTTPBadRequest', 'cannot be converted to boolean');
  });

  it('R9: create at the group quota is 409 OverQuota', async () => {
    const c = h.as('r9');
    ok(await h.admin.put('/v2.0/quotas/r9', { quota: { security_group: 2 } }));
    await c.group();
    expectError(await c.post(SG, { security_group: { name: 'third' } }), 409, 'OverQuota', "Quota exceeded for resources: ['security_group'].");
  });

  it('R10: unknown or invisible ids are 404 on show, update and delete', async () => {
    const c = h.as('r10');
    const id = '6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1';
    expectError(await c.get(`${SG}/${id}`), 404, 'SecurityGroupNotFound', `Security group ${id} does not exist`);
    expectError(await c.put(`${SG}/${id}`, { security_group: { name: 'x' } }), 404, 'SecurityGroupNotFound');
    expectError(await c.del(`${SG}/${id}`), 404, 'SecurityGroupNotFound');
    expectError(await c.get(`${SG}/my-group-name`), 404, 'SecurityGroupNotFound');
  });
});

describe('§3.6 revisions and If-Match', () => {
  it('revision_number grows on every write, including rule create and delete', async () => {
    const c = h.as('rev');
    const g = await c.group();
    const r1 = ok(await c.get(`${SG}/${g['id']}`))['security_group']['revision_number'];
    const rule = await c.rule(g['id'], { protocol: 'tcp', port_range_min: 22, port_range_max: 22 });
    const r2 = ok(await c.get(`${SG}/${g['id']}`))['security_group']['revision_number'];
    ok(await c.del(`/v2.0/security-group-rules/${rule['id']}`), 204);
    const r3 = ok(await c.get(`${SG}/${g['id']}`))['security_group']['revision_number'];
    ok(await c.put(`${SG}/${g['id']}/tags/t`), 201);
    const r4 = ok(await c.get(`${SG}/${g['id']}`))['security_group']['revision_number'];
    expect(r2).toBeGreaterThan(r1);
    expect(r3).toBeGreaterThan(r2);
    expect(r4).toBeGreaterThan(r3);
  });

  it('If-Match with the current revision succeeds; a stale one is 412; malformed is 400', async () => {
    const c = h.as('ifmatch');
    const g = await c.group();
    const rev = g['revision_number'] as number;
    expectError(await c.put(`${SG}/${g['id']}`, { security_group: { name: 'x' } }, { 'if-match': `revision_number=${rev + 5}` }), 412, 'RevisionNumberConstraintFailed');
    expectError(await c.put(`${SG}/${g['id']}`, { security_group: { name: 'x' } }, { 'if-match': 'rev=1' }), 400, 'HTTPBadRequest');
    const u = ok(await c.put(`${SG}/${g['id']}`, { security_group: { name: 'x' } }, { 'if-match': `revision_number=${rev}` }))['security_group'];
    expectError(await c.del(`${SG}/${g['id']}`, { 'if-match': `revision_number=${rev}` }), 412, 'RevisionNumberConstraintFailed');
    ok(await c.del(`${SG}/${g['id']}`, { 'if-match': `revision_number=${u['revision_number']}` }), 204);
  });
});

describe('§8 default behaviours', () => {
  it('§8.1/8.2: the default group appears on first use with four rules, once per project', async () => {
    const c = h.as('defaults');
    const lists = await Promise.all([c.get(SG), c.get(SG), c.get('/v2.0/security-group-rules')]);
    for (const l of lists) ok(l);
    const groups = ok(await c.get(SG))['security_groups'] as Json[];
    const defaults = groups.filter((g) => g['name'] === 'default');
    expect(defaults).toHaveLength(1);
    const d = defaults[0]!;
    expect(d['description']).toBe('Default security group');
    expect(ruleKeys(d['security_group_rules'])).toEqual(['egress/IPv4/any', 'egress/IPv6/any', 'ingress/IPv4/self', 'ingress/IPv6/self']);
    for (const r of d['security_group_rules']) {
      expect(r['belongs_to_default_sg']).toBe(true);
      if (r['direction'] === 'ingress') expect(r['remote_group_id']).toBe(d['id']);
    }
  });

  it('§8.1: creating a group or a network also ensures the default group', async () => {
    await h.as('viagroup').group();
    await h.as('vianet').network();
    const all = ok(await h.admin.get(`${SG}?name=default`))['security_groups'] as Json[];
    expect(all.filter((g) => g['project_id'] === 'viagroup')).toHaveLength(1);
    expect(all.filter((g) => g['project_id'] === 'vianet')).toHaveLength(1);
  });

  it('§8.1: an admin listing with project_id ensures that project\'s default group', async () => {
    const listed = ok(await h.admin.get(`${SG}?project_id=adminensured`))['security_groups'] as Json[];
    expect(listed.map((g) => g['name'])).toEqual(['default']);
    expect(listed[0]!['project_id']).toBe('adminensured');
  });

  it('§8.1: a project cannot create another project\'s default group by filtering', async () => {
    ok(await h.as('nosy').get(`${SG}?project_id=victim`));
    const all = ok(await h.admin.get(`${SG}?name=default`))['security_groups'] as Json[];
    expect(all.filter((g) => g['project_id'] === 'victim')).toHaveLength(0);
  });

  it('§8.5: stateful defaults to true; stateful=false is kept', async () => {
    const c = h.as('stateful');
    expect((await c.group())['stateful']).toBe(true);
    expect((await c.group({ stateful: false }))['stateful']).toBe(false);
  });
});
