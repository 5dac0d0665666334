// neutron-api.md §4.6 and §11 quotas: defaults, -1 unlimited, 0 blocks, bad values, usage checks, OverQuota.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Harness } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const SG = '/v2.0/security-groups';
const quota = (project: string) => `/v2.0/quotas/${project}`;

describe('§4.6 quota calls', () => {
  it('defaults are 10 groups, 100 rules, 500 ports; the default call says the same', async () => {
    const q = ok(await h.as('qd').get(quota('qd')))['quota'];
    expect(q).toMatchObject({ security_group: 10, security_group_rule: 100, port: 500 });
    expect(ok(await h.as('qd').get(`${quota('qd')}/default`))['quota']).toMatchObject({ security_group: 10, security_group_rule: 100, port: 500 });
  });

  it('an admin sets limits with PUT (full set back) and resets them with DELETE', async () => {
    const q = ok(await h.admin.put(quota('qset'), { quota: { security_group: 3, force: true } }))['quota'];
    expect(q).toMatchObject({ security_group: 3, security_group_rule: 100, port: 500 });
    expect(ok(await h.as('qset').get(quota('qset')))['quota']['security_group']).toBe(3);
    ok(await h.admin.del(quota('qset')), 204);
    expect(ok(await h.as('qset').get(quota('qset')))['quota']['security_group']).toBe(10);
  });

  it('a non-admin cannot change quotas, nor read another project\'s', async () => {
    expectError(await h.as('qna').put(quota('qna'), { quota: { security_group: 50 } }), 403);
    expectError(await h.as('qna').get(quota('someone')), 404);
  });

  it('details show used, limit and reserved', async () => {
    const c = h.as('qdetail');
    await c.group();
    const d = ok(await c.get(`${quota('qdetail')}/details.json`))['quota'];
    expect(d['security_group']).toEqual({ used: 2, limit: 10, reserved: 0 });
    expect(d['security_group_rule']).toEqual({ used: 6, limit: 100, reserved: 0 });
  });

  it('values: -1…2^31-1 accepted; -2, 2^31 and "value" are 400', async () => {
    ok(await h.admin.put(quota('qbad'), { quota: { security_group: -1 } }));
    ok(await h.admin.put(quota('qbad'), { quota: { security_group: 2147483647 } }));
    for (const v of [-2, 2147483648, 'value', 1.5, null, true]) {
      expectError(await h.admin.put(quota('qbad'), { quota: { security_group: v } }), 400, 'HTTPBadRequest');
    }
    expectError(await h.admin.put(quota('qbad'), { quota: { flux_capacitors: 1 } }), 400);
    expectError(await h.admin.put(quota('qbad'), { nothing: 1 }), 400);
  });

  it('a limit below usage is accepted (Zed); only check_limit refuses it, and force skips the check', async () => {
    const c = h.as('qusage');
    await c.group();
    await c.group();
    expect(ok(await h.admin.put(quota('qusage'), { quota: { security_group: 1 } }))['quota']).toMatchObject({ security_group: 1 });
    expectError(
      await h.admin.put(quota('qusage'), { quota: { security_group: 2, check_limit: true } }),
      400, undefined, 'Quota limit 2 for security_group must be greater than or equal to already used 3',
    );
    expect(ok(await h.admin.put(quota('qusage'), { quota: { security_group: 1 } }))['quota']).toMatchObject({ security_group: 1 });
    ok(await h.admin.put(quota('qusage'), { quota: { security_group: 2, check_limit: true, force: true } }));
    expect(ok(await h.admin.get(quota('qusage')))['quota']).toMatchObject({ security_group: 2 });
    ok(await h.admin.put(quota('qusage'), { quota: { security_group: 5, check_limit: false } }));
    expectError(await h.admin.put(quota('qusage'), { quota: { security_group: 1, check_limit: 'maybe' } }), 400, 'HTTPBadRequest');
  });

  it('security_group: 0 while groups exist is accepted, and the next create is 409 OverQuota; halving a full quota is accepted', async () => {
    const c = h.as('qzero');
    await c.group();
    ok(await h.admin.put(quota('qzero'), { quota: { security_group: 0 } }));
    expectError(await c.post(SG, { security_group: { name: 'one-more' } }), 409, 'OverQuota');
    ok(await h.admin.put(quota('qzero'), { quota: { security_group: 4 } }));
    await c.group();
    await c.group();
    expectError(await c.post(SG, { security_group: { name: 'fifth' } }), 409, 'OverQuota');
    ok(await h.admin.put(quota('qzero'), { quota: { security_group: 2 } }));
    expectError(await c.post(SG, { security_group: { name: 'fifth' } }), 409, 'OverQuota');
  });
});

describe('§11 enforcement', () => {
  it('-1 is unlimited', async () => {
    const c = h.as('qunl');
    ok(await h.admin.put(quota('qunl'), { quota: { security_group: -1 } }));
    for (let i = 0; i < 12; i++) await c.group();
    expect(ok(await c.get(SG))['security_groups']).toHaveLength(13);
  });

  it('the default group counts; the 10th custom group is refused with OverQuota', async () => {
    const c = h.as('q10');
    for (let i = 0; i < 9; i++) await c.group();
    expectError(await c.post(SG, { security_group: { name: 'one-too-many' } }), 409, 'OverQuota', "Quota exceeded for resources: ['security_group'].");
  });

  it('rule quota 0 makes group create 409 because of the template rules', async () => {
    const c = h.as('qzero');
    await c.defaultGroup();
    ok(await h.admin.put(quota('qzero'), { quota: { security_group_rule: 0, force: true } }));
    expectError(await c.post(SG, { security_group: { name: 'x' } }), 409, 'OverQuota', 'security_group_rule');
  });

  it('group quota 0 blocks group create; a bulk reserves the whole batch', async () => {
    const c = h.as('qbulk');
    await c.defaultGroup();
    ok(await h.admin.put(quota('qbulk'), { quota: { security_group: 3 } }));
    expectError(await c.post(SG, { security_groups: [{ name: 'a' }, { name: 'b' }, { name: 'c' }] }), 409, 'OverQuota');
    expect(ok(await c.get(SG))['security_groups']).toHaveLength(1);
    ok(await h.admin.put(quota('qbulk'), { quota: { security_group: 0, force: true } }));
    expectError(await c.post(SG, { security_group: { name: 'a' } }), 409, 'OverQuota');
  });

  it('a bulk rule create counts every rule in the batch: over the quota only in total is 409, nothing written', async () => {
    const c = h.as('qrulebatch');
    const sg = await c.defaultGroup(); // 4 starting rules
    ok(await h.admin.put(quota('qrulebatch'), { quota: { security_group_rule: 6 } }));
    const rule = (port: number) => ({ security_group_id: sg['id'], direction: 'ingress', protocol: 'tcp', port_range_min: port, port_range_max: port });
    expectError(await c.post('/v2.0/security-group-rules', { security_group_rules: [rule(1), rule(2), rule(3)] }), 409, 'OverQuota', 'security_group_rule');
    expect(ok(await c.get(`/v2.0/security-group-rules?security_group_id=${sg['id']}`))['security_group_rules']).toHaveLength(4);
    ok(await c.post('/v2.0/security-group-rules', { security_group_rules: [rule(1), rule(2)] }), 201);
  });

  it("a new group's two starting rules count as two: one free rule is not enough", async () => {
    const c = h.as('qstartrules');
    await c.defaultGroup(); // 4 rules
    ok(await h.admin.put(quota('qstartrules'), { quota: { security_group_rule: 5 } }));
    expectError(await c.post(SG, { security_group: { name: 'needs-two' } }), 409, 'OverQuota', 'security_group_rule');
    ok(await h.admin.put(quota('qstartrules'), { quota: { security_group_rule: 6 } }));
    await c.group();
  });

  it('the port quota is enforced', async () => {
    const c = h.as('qport');
    const { network } = await networkWithSubnet(c);
    ok(await h.admin.put(quota('qport'), { quota: { port: 1 } }));
    await c.port(network['id']);
    expectError(await c.post('/v2.0/ports', { port: { network_id: network['id'] } }), 409, 'OverQuota', "['port']");
  });
});
