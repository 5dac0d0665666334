// RBAC sharing of security groups (neutron-api.md §4.5, §12): who sees the group, who may use it, who may change it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Caller, type Harness, type Json } from './support/api-harness.js';

const OWNER = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const TARGET = 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb';
const OTHER = 'cccccccccccccccccccccccccccccccc';
const SG = '/v2.0/security-groups';
const RBAC = '/v2.0/rbac-policies';

let h: Harness;
let owner: Caller;
let target: Caller;
let other: Caller;
let group: Json;

function share(by: Caller, objectId: string, targetTenant: string, extra: Json = {}) {
  return by.post(RBAC, { rbac_policy: { object_type: 'security_group', object_id: objectId, action: 'access_as_shared', target_tenant: targetTenant, ...extra } });
}

async function shared(by: Caller, objectId: string, targetTenant: string): Promise<Json> {
  return ok(await share(by, objectId, targetTenant), 201)['rbac_policy'];
}

beforeEach(async () => {
  h = await makeHarness();
  owner = h.as(OWNER);
  target = h.as(TARGET);
  other = h.as(OTHER);
  group = await owner.group({ name: 'shared-web' });
});
afterEach(() => h.close());

describe('sharing a group with one project', () => {
  it('answers the policy in Neutron\'s shape; the owner sees it, the target does not', async () => {
    const policy = await shared(owner, group['id'], TARGET);
    expect(policy).toEqual({
      id: expect.any(String), object_type: 'security_group', object_id: group['id'], action: 'access_as_shared',
      target_tenant: TARGET, project_id: OWNER, tenant_id: OWNER,
    });
    expect(ok(await owner.get(`${RBAC}/${policy['id']}`))['rbac_policy']).toEqual(policy);
    expect(ok(await owner.get(`${RBAC}?object_id=${group['id']}&fields=target_tenant`))['rbac_policies']).toEqual([{ target_tenant: TARGET }]);
    expectError(await target.get(`${RBAC}/${policy['id']}`), 404, 'RbacPolicyNotFound');
    expect(ok(await target.get(RBAC))['rbac_policies']).toEqual([]);
    expectError(await target.del(`${RBAC}/${policy['id']}`), 404, 'RbacPolicyNotFound');
  });

  it('the target lists and shows the group with shared: true; the owner sees shared: false; others see nothing', async () => {
    await shared(owner, group['id'], TARGET);
    const listed = ok(await target.get(`${SG}?shared=true`))['security_groups'] as Json[];
    expect(listed.map((g) => [g['id'], g['shared']])).toEqual([[group['id'], true]]);
    expect(ok(await target.get(`${SG}/${group['id']}`))['security_group']).toMatchObject({ shared: true, project_id: OWNER });
    expect(ok(await target.get(`${SG}/${group['id']}`))['security_group']['security_group_rules']).toHaveLength(2);
    expect(ok(await owner.get(`${SG}/${group['id']}`))['security_group']['shared']).toBe(false);
    expect((ok(await target.get(`${SG}?shared=false`))['security_groups'] as Json[]).map((g) => g['name'])).toEqual(['default']);
    expectError(await other.get(`${SG}/${group['id']}`), 404, 'SecurityGroupNotFound');
    expect((ok(await other.get(SG))['security_groups'] as Json[]).map((g) => g['id'])).not.toContain(group['id']);
  });

  it('the target may put it on its ports and use it as a remote group, but not change it (403)', async () => {
    await shared(owner, group['id'], TARGET);
    const { network } = await networkWithSubnet(target);
    const port = await target.port(network['id'], { security_groups: [group['id']] });
    expect(port['security_groups']).toEqual([group['id']]);
    const own = await target.group({ name: 'mine' });
    expect((await target.rule(own['id'], { remote_group_id: group['id'] }))['remote_group_id']).toBe(group['id']);
    const refusals = [
      await target.put(`${SG}/${group['id']}`, { security_group: { name: 'stolen' } }),
      await target.del(`${SG}/${group['id']}`),
      await target.post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: group['id'], direction: 'ingress' } }),
      await target.del(`/v2.0/security-group-rules/${group['security_group_rules'][0]['id']}`),
      await target.put(`${SG}/${group['id']}/tags/x`),
    ];
    expect(refusals.map((r) => r.status)).toEqual([403, 403, 403, 403, 403]);
    expect(ok(await owner.get(`${SG}/${group['id']}`))['security_group']).toMatchObject({ name: 'shared-web', tags: [], revision_number: group['revision_number'] });
  });

  it('a project it is not shared with can neither put it on a port nor reference it', async () => {
    await shared(owner, group['id'], TARGET);
    const { network } = await networkWithSubnet(other);
    expectError(await other.post('/v2.0/ports', { port: { network_id: network['id'], security_groups: [group['id']] } }), 404, 'SecurityGroupNotFound');
    const own = await other.group({ name: 'mine' });
    expectError(await other.post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: own['id'], direction: 'ingress', remote_group_id: group['id'] } }), 404, 'SecurityGroupNotFound');
  });
});

describe('removing access', () => {
  it('the policy cannot be deleted or re-targeted while a port of the target uses the group (409 RbacPolicyInUse)', async () => {
    const policy = await shared(owner, group['id'], TARGET);
    const { network } = await networkWithSubnet(target);
    const port = await target.port(network['id'], { security_groups: [group['id']] });
    expectError(await owner.del(`${RBAC}/${policy['id']}`), 409, 'RbacPolicyInUse', group['id']);
    expectError(await owner.put(`${RBAC}/${policy['id']}`, { rbac_policy: { target_tenant: OTHER } }), 409, 'RbacPolicyInUse');
    expectError(await owner.del(`${SG}/${group['id']}`), 409, 'SecurityGroupInUse');
    ok(await target.put(`/v2.0/ports/${port['id']}`, { port: { security_groups: [] } }));
    expect(ok(await owner.put(`${RBAC}/${policy['id']}`, { rbac_policy: { target_tenant: OTHER } }))['rbac_policy']['target_tenant']).toBe(OTHER);
    expectError(await target.get(`${SG}/${group['id']}`), 404);
    expect(ok(await other.get(`${SG}/${group['id']}`))['security_group']['shared']).toBe(true);
    expect((await owner.del(`${RBAC}/${policy['id']}`)).status).toBe(204);
    expectError(await other.get(`${SG}/${group['id']}`), 404);
  });

  it('a wildcard policy that still covers the target lets the specific one go', async () => {
    const specific = await shared(owner, group['id'], TARGET);
    const { network } = await networkWithSubnet(target);
    await target.port(network['id'], { security_groups: [group['id']] });
    const wildcard = await shared(h.admin, group['id'], '*');
    expect((await owner.del(`${RBAC}/${specific['id']}`)).status).toBe(204);
    expectError(await h.admin.del(`${RBAC}/${wildcard['id']}`), 409, 'RbacPolicyInUse');
  });

  it('deleting the group deletes its policies', async () => {
    const policy = await shared(owner, group['id'], TARGET);
    expect((await owner.del(`${SG}/${group['id']}`)).status).toBe(204);
    expectError(await owner.get(`${RBAC}/${policy['id']}`), 404, 'RbacPolicyNotFound');
  });
});

describe('who may share', () => {
  it('wildcard sharing is for admins only; then every project sees the group as shared', async () => {
    expectError(await share(owner, group['id'], '*'), 403, 'PolicyNotAuthorized');
    const policy = await shared(h.admin, group['id'], '*');
    expect(policy['project_id']).toBe('admin-project');
    expect(ok(await other.get(`${SG}/${group['id']}`))['security_group']['shared']).toBe(true);
    expect(ok(await owner.get(`${SG}/${group['id']}`))['security_group']['shared']).toBe(true);
    expectError(await owner.get(`${RBAC}/${policy['id']}`), 404, 'RbacPolicyNotFound');
  });

  it('a target cannot re-share (400), an outsider gets 404, a reader 403', async () => {
    await shared(owner, group['id'], TARGET);
    expectError(await share(target, group['id'], OTHER), 400, 'InvalidInput', 'Only admins can manipulate policies on objects they do not own');
    expectError(await share(other, group['id'], OTHER), 404, 'SecurityGroupNotFound');
    expectError(await share(h.as(OWNER, 'reader'), group['id'], OTHER), 403, 'PolicyNotAuthorized');
    expectError(await share(owner, group['id'], OTHER, { project_id: TARGET }), 400, 'HTTPBadRequest');
  });

  it('validates the body: duplicates 409, bad type, action, target and attributes 400', async () => {
    await shared(owner, group['id'], TARGET);
    expectError(await share(owner, group['id'], TARGET), 409, 'DuplicateRbacPolicy');
    expectError(await owner.post(RBAC, { rbac_policy: { object_type: 'network', object_id: group['id'], action: 'access_as_shared', target_tenant: OTHER } }), 400, 'InvalidInput', "'network' is not a valid RBAC object type");
    expectError(await owner.post(RBAC, { rbac_policy: { object_type: 'security_group', object_id: group['id'], action: 'access_as_external', target_tenant: OTHER } }), 400, 'InvalidActionForType');
    expectError(await share(owner, group['id'], 'not a project'), 400, 'HTTPBadRequest', 'target_tenant');
    expectError(await owner.post(RBAC, { rbac_policy: { object_type: 'security_group', object_id: group['id'], action: 'access_as_shared' } }), 400, 'HTTPBadRequest', 'target_tenant');
    expectError(await owner.post(RBAC, { rbac_policy: { object_type: 'security_group', object_id: group['id'], action: 'access_as_shared', target_tenant: OTHER, extra: 1 } }), 400, 'HTTPBadRequest', 'extra');
    const policy = ok(await owner.post(RBAC, { rbac_policy: { object_type: ' Security_Group ', object_id: group['id'], action: 'access_as_shared', target_tenant: OTHER } }), 201)['rbac_policy'];
    expect(policy['object_type']).toBe('security_group');
    expectError(await owner.put(`${RBAC}/${policy['id']}`, { rbac_policy: { object_id: group['id'] } }), 400, 'HTTPBadRequest', 'read-only');
    expectError(await owner.put(`${RBAC}/${policy['id']}`, { rbac_policy: { target_tenant: TARGET } }), 409, 'DuplicateRbacPolicy');
    expectError(await owner.put(`${RBAC}/${policy['id']}`, { rbac_policy: { target_tenant: '*' } }), 403, 'PolicyNotAuthorized');
  });
});

describe('the rbac_policy quota (neutron-api.md §4.5, §11)', () => {
  it('defaults to 10 per project, counts the sharing project\'s policies, and refuses the 11th with OverQuota', async () => {
    expect(ok(await owner.get(`/v2.0/quotas/${OWNER}`))['quota']).toMatchObject({ rbac_policy: 10 });
    const targets = Array.from({ length: 11 }, (_, i) => (i + 1).toString(16).padStart(32, 'd'));
    for (const t of targets.slice(0, 10)) await shared(owner, group['id'], t);
    expectError(await share(owner, group['id'], targets[10]!), 409, 'OverQuota', "['rbac_policy']");
    expect(ok(await owner.get(`/v2.0/quotas/${OWNER}/details`))['quota']['rbac_policy']).toEqual({ used: 10, limit: 10, reserved: 0 });
    expect(ok(await owner.get(RBAC))['rbac_policies']).toHaveLength(10);
  });

  it('an admin raises it with PUT, and a limit below usage is refused only with check_limit', async () => {
    await shared(owner, group['id'], TARGET);
    await shared(owner, group['id'], OTHER);
    expectError(
      await h.admin.put(`/v2.0/quotas/${OWNER}`, { quota: { rbac_policy: 1, check_limit: true } }),
      400, 'InvalidInput', 'Quota limit 1 for rbac_policy must be greater than or equal to already used 2',
    );
    ok(await h.admin.put(`/v2.0/quotas/${OWNER}`, { quota: { rbac_policy: 2 } }));
    expectError(await share(owner, group['id'], 'dddddddddddddddddddddddddddddddd'), 409, 'OverQuota', "['rbac_policy']");
    ok(await h.admin.put(`/v2.0/quotas/${OWNER}`, { quota: { rbac_policy: -1 } }));
    await shared(owner, group['id'], 'dddddddddddddddddddddddddddddddd');
  });
});
