// Copy group and rule sets (docs/import-export.md): one transaction each, quota-checked, project-isolated.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness({ quotaDefaults: { security_group: 10, security_group_rule: 12 } });
});
afterAll(() => h.close());

const SG = '/v2.0/security-groups';
const PAL = '/v2.0/palisade/security-groups';

function keys(rules: Json[], selfId?: string): string[] {
  return rules.map((r) => `${r['direction']}/${r['ethertype']}/${r['protocol']}/${r['port_range_min']}/${r['remote_ip_prefix']}/${r['remote_group_id'] === selfId ? 'self' : r['remote_group_id']}/${r['description']}`).sort();
}

describe('POST …/security-groups/{id}/copy', () => {
  it('makes a new group with exactly the same rules; self references name the copy; no extra egress rules', async () => {
    const c = h.as('copy');
    const web = await c.group({ name: 'web', description: 'front' });
    await c.rule(web['id'], { direction: 'ingress', protocol: 'tcp', port_range_min: 443, port_range_max: 443, remote_ip_prefix: '0.0.0.0/0' });
    await c.rule(web['id'], { direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_group_id: web['id'], description: 'peers' });
    const source = ok(await c.get(`${SG}/${web['id']}`))['security_group'];
    const copy = ok(await c.post(`${PAL}/${web['id']}/copy`, {}), 201)['security_group'];
    expect(copy).toMatchObject({ name: 'web (copy)', description: 'front', project_id: 'copy', stateful: true });
    expect(copy['id']).not.toBe(web['id']);
    expect(keys(copy['security_group_rules'], copy['id'])).toEqual(keys(source['security_group_rules'], web['id']));
    expect(copy['security_group_rules']).toHaveLength(4);
    const again = ok(await c.get(`${SG}/${copy['id']}`))['security_group'];
    expect(again['security_group_rules']).toHaveLength(4);
  });

  it('takes a name and description; refuses the name default', async () => {
    const c = h.as('copy-named');
    const g = await c.group({ name: 'db' });
    const copy = ok(await c.post(`${PAL}/${g['id']}/copy`, { security_group: { name: 'db2', description: 'second' } }), 201)['security_group'];
    expect(copy).toMatchObject({ name: 'db2', description: 'second' });
    expectError(await c.post(`${PAL}/${g['id']}/copy`, { security_group: { name: 'Default' } }), 409, 'SecurityGroupDefaultAlreadyExists');
    expectError(await c.post(`${PAL}/${g['id']}/copy`, { security_group: { colour: 'red' } }), 400, 'HTTPBadRequest', 'colour');
  });

  it("another project's group is 404, and a member cannot copy into another project", async () => {
    const g = await h.as('copy-owner').group({ name: 'private' });
    expectError(await h.as('copy-other').post(`${PAL}/${g['id']}/copy`, {}), 404, 'SecurityGroupNotFound');
    expectError(await h.as('copy-owner').post(`${PAL}/${g['id']}/copy`, { security_group: { project_id: 'elsewhere' } }), 400, 'HTTPBadRequest');
  });

  it('is quota-checked and writes nothing when over', async () => {
    const c = h.as('copy-quota');
    const g = await c.group({ name: 'big' });
    for (let p = 1; p <= 4; p++) await c.rule(g['id'], { direction: 'ingress', protocol: 'tcp', port_range_min: p, port_range_max: p });
    // default group 4 rules + big 6 = 10 of 12: a copy needs 6 more.
    expectError(await c.post(`${PAL}/${g['id']}/copy`, {}), 409, 'OverQuota');
    expect(ok(await c.get(`${SG}?name=big (copy)`))['security_groups']).toHaveLength(0);
  });

  it('a copy of a copy exports the same CSV-relevant rules: the round trip the console needs', async () => {
    const c = h.as('copy-twice');
    const g = await c.group({ name: 'a' });
    const one = ok(await c.post(`${PAL}/${g['id']}/copy`, {}), 201)['security_group'];
    const two = ok(await c.post(`${PAL}/${one['id']}/copy`, {}), 201)['security_group'];
    expect(keys(two['security_group_rules'])).toEqual(keys(g['security_group_rules']));
  });
});

describe('POST …/security-groups:apply and …/{id}/rules:apply', () => {
  it('takes rules naming an address group the project may use; another project\'s is 404', async () => {
    const c = h.as('set-ag');
    const g = await c.group({ name: 'admins-in' });
    const ag = ok(await c.post('/v2.0/address-groups', { address_group: { name: 'admins', addresses: ['198.51.100.0/24'] } }), 201)['address_group'];
    const rule = { direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_address_group_id: ag['id'] };
    const out = ok(await c.post(`${PAL}/${g['id']}/rules:apply`, { security_group_rules: [rule] }))['security_groups'][0];
    expect(out['created'].map((r: Json) => r['remote_address_group_id'])).toEqual([ag['id']]);
    const again = ok(await c.post(`${PAL}/${g['id']}/rules:apply`, { security_group_rules: [rule] }))['security_groups'][0];
    expect([again['action'], again['unchanged'].length]).toEqual(['unchanged', 1]);
    const other = h.as('set-ag-other');
    const theirs = await other.group({ name: 'x' });
    expectError(await other.post(`${PAL}/${theirs['id']}/rules:apply`, { security_group_rules: [rule] }), 404, 'AddressGroupNotFound');
  });

  const ssh = { direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '10.0.0.0/8' };
  const egress4 = { direction: 'egress', ethertype: 'IPv4' };

  it('dry run plans without writing; apply writes; the same set again changes nothing', async () => {
    const c = h.as('apply');
    const body = {
      security_groups: [
        { name: 'app', description: 'app tier', security_group_rules: [ssh, egress4, { direction: 'ingress', protocol: 'tcp', port_range_min: 80, port_range_max: 80, remote_group_name: 'lb' }] },
        { name: 'lb', security_group_rules: [{ direction: 'ingress', protocol: 'tcp', port_range_min: 443, port_range_max: 443, remote_ip_prefix: '0.0.0.0/0' }] },
      ],
    };
    const plan = ok(await c.post(`${PAL}:apply`, { ...body, dry_run: true }));
    expect(plan['dry_run']).toBe(true);
    expect(plan['security_groups'].map((g: Json) => [g['name'], g['id'], g['action'], g['created'].length])).toEqual([['app', null, 'create', 3], ['lb', null, 'create', 1]]);
    expect(ok(await c.get(`${SG}?name=app`))['security_groups']).toHaveLength(0);

    const applied = ok(await c.post(`${PAL}:apply`, body));
    expect(applied['security_groups'].map((g: Json) => g['action'])).toEqual(['create', 'create']);
    const [app] = ok(await c.get(`${SG}?name=app`))['security_groups'];
    const [lb] = ok(await c.get(`${SG}?name=lb`))['security_groups'];
    expect(app['description']).toBe('app tier');
    expect(app['security_group_rules']).toHaveLength(3);
    expect(app['security_group_rules'].find((r: Json) => r['port_range_min'] === 80)['remote_group_id']).toBe(lb['id']);

    const seq = await h.latestSeq();
    const again = ok(await c.post(`${PAL}:apply`, body));
    expect(again['security_groups'].map((g: Json) => [g['action'], g['unchanged'].length])).toEqual([['unchanged', 3], ['unchanged', 1]]);
    expect(await h.latestSeq()).toBe(seq);
  });

  it('rules:apply on one group deletes what the set lacks and creates what it adds, in one revision', async () => {
    const c = h.as('apply-one');
    const g = await c.group({ name: 'g' });
    const out = ok(await c.post(`${PAL}/${g['id']}/rules:apply`, { security_group_rules: [ssh, egress4] }))['security_groups'][0];
    expect(out).toMatchObject({ id: g['id'], action: 'update' });
    expect(out['created']).toHaveLength(1);
    expect(out['deleted'].map((r: Json) => r['ethertype'])).toEqual(['IPv6']);
    expect(out['unchanged']).toHaveLength(1);
    const after = ok(await c.get(`${SG}/${g['id']}`))['security_group'];
    expect(after['revision_number']).toBe(g['revision_number'] + 1);
    expect(keys(after['security_group_rules'])).toEqual(keys([...out['created'], ...out['unchanged']]));
  });

  it('a bad rule anywhere writes nothing', async () => {
    const c = h.as('apply-bad');
    const g = await c.group({ name: 'keep' });
    const body = { security_groups: [{ name: 'new1', security_group_rules: [ssh] }, { id: g['id'], security_group_rules: [{ direction: 'ingress', protocol: 'tcp', port_range_min: 99999, port_range_max: 99999 }] }] };
    expectError(await c.post(`${PAL}:apply`, body), 400, 'SecurityGroupInvalidPortValue');
    expect(ok(await c.get(`${SG}?name=new1`))['security_groups']).toHaveLength(0);
    expect(ok(await c.get(`${SG}/${g['id']}`))['security_group']['security_group_rules']).toHaveLength(2);
    expectError(await c.post(`${PAL}:apply`, { security_groups: [{ name: 'x', security_group_rules: [ssh, ssh] }] }), 409, 'DuplicateSecurityGroupRuleInPost');
    expectError(await c.post(`${PAL}:apply`, { security_groups: [{ name: 'x', security_group_rules: [{ ...ssh, colour: 1 }] }] }), 400, 'HTTPBadRequest', 'colour');
    expectError(await c.post(`${PAL}:apply`, { security_groups: [{ name: 'x', security_group_rules: [{ ...ssh, remote_ip_prefix: null, remote_group_name: 'nope' }] }] }), 404, 'SecurityGroupNotFound');
  });

  it('names matching several groups are ambiguous; another project\'s group is 404; quotas count the net change', async () => {
    const c = h.as('apply-names');
    await c.group({ name: 'twin' });
    await c.group({ name: 'twin' });
    expectError(await c.post(`${PAL}:apply`, { security_groups: [{ name: 'twin', security_group_rules: [] }] }), 409, 'SecurityGroupNameAmbiguous');
    const foreign = await h.as('apply-foreign').group({ name: 'f' });
    expectError(await c.post(`${PAL}/${foreign['id']}/rules:apply`, { security_group_rules: [] }), 404, 'SecurityGroupNotFound');
    const q = h.as('apply-quota');
    const g = await q.group({ name: 'q' });
    // 4 default + 2 = 6 of 12: replacing q's two rules by eight fits only if the two deletions count.
    const eight = Array.from({ length: 8 }, (_, i) => ({ direction: 'ingress', protocol: 'udp', port_range_min: 100 + i, port_range_max: 100 + i }));
    expect(ok(await q.post(`${PAL}/${g['id']}/rules:apply`, { security_group_rules: eight }))['security_groups'][0]['created']).toHaveLength(8);
    expectError(await q.post(`${PAL}/${g['id']}/rules:apply`, { security_group_rules: [...eight, ssh] }), 409, 'OverQuota');
  });

  it('the OpenAPI document lists the three endpoints with their literal colons', async () => {
    const doc = JSON.parse((await h.app.inject({ method: 'GET', url: '/docs/json' })).body) as Json;
    expect(Object.keys(doc['paths'])).toEqual(expect.arrayContaining([
      '/v2.0/palisade/security-groups/{id}/copy', '/v2.0/palisade/security-groups/{id}/rules:apply', '/v2.0/palisade/security-groups:apply',
    ]));
  });

  it('the default group answers to its name', async () => {
    const c = h.as('apply-default');
    const d = await c.defaultGroup();
    const out = ok(await c.post(`${PAL}:apply`, { security_groups: [{ name: 'default', security_group_rules: [egress4] }], dry_run: true }))['security_groups'][0];
    expect(out).toMatchObject({ id: d['id'], action: 'update' });
    expect(out['deleted']).toHaveLength(3);
  });
});
