// Group history and the audit (issue 17 item 1, docs/history.md): who, before and after, paging, project isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, send, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const history = (id: string) => `/v2.0/palisade/security-groups/${id}/history`;
const AUDIT = '/v2.0/palisade/audit';

/** A member of `project` with user headers, as noauth passes them on. */
function asUser(project: string, user: string, method: 'GET' | 'POST' | 'DELETE', url: string, body?: unknown) {
  return send(h.app, method, url, { 'x-project-id': project, 'x-roles': 'member', 'x-user-id': `${user}-id`, 'x-user-name': user }, body);
}

describe('group history', () => {
  it("records every change to the group and its rules, newest first, with who made it and each entry's before", async () => {
    const created = ok(await asUser('hist-a', 'alice', 'POST', '/v2.0/security-groups', { security_group: { name: 'web' } }), 201)['security_group'] as Json;
    const id = created['id'] as string;
    const rule = ok(await asUser('hist-a', 'alice', 'POST', '/v2.0/security-group-rules', {
      security_group_rule: { security_group_id: id, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 },
    }), 201)['security_group_rule'] as Json;
    const deleted = await asUser('hist-a', 'bob', 'DELETE', `/v2.0/security-group-rules/${rule['id']}`);
    expect(deleted.status).toBe(204);

    const entries = ok(await h.as('hist-a').get(history(id)))['history'] as Json[];
    const seqs = entries.map((e) => e['seq'] as number);
    expect(seqs).toEqual([...seqs].sort((a, b) => b - a));
    const ruleDelete = entries.find((e) => e['resource'] === 'security_group_rule' && e['action'] === 'delete')!;
    // The deleted rule stays in the history: its before is the rule as it was created.
    expect(ruleDelete['object']).toBeNull();
    expect(ruleDelete['before']).toMatchObject({ id: rule['id'], protocol: 'tcp', port_range_min: 22 });
    expect(ruleDelete['actor']).toMatchObject({ user_id: 'bob-id', user_name: 'bob', project_id: 'hist-a', roles: ['member'], source_address: '127.0.0.1' });
    expect(ruleDelete['actor']['request_id']).toMatch(/^req-[0-9a-f-]{36}$/);
    expect(deleted.headers['x-openstack-request-id']).toBe(ruleDelete['actor']['request_id']);
    const ruleCreate = entries.find((e) => e['resource'] === 'security_group_rule' && e['action'] === 'create')!;
    expect(ruleCreate['before']).toBeNull();
    expect(ruleCreate['actor']['user_name']).toBe('alice');
    // Each rule change bumps the group's revision: the group's update shows both revisions.
    const groupUpdates = entries.filter((e) => e['resource'] === 'security_group' && e['action'] === 'update');
    expect(groupUpdates.map((e) => [e['before']['revision_number'], e['object']['revision_number']])).toEqual([[2, 3], [1, 2]]);
    expect(entries.at(-1)).toMatchObject({ resource: 'security_group', action: 'create', before: null, object: { name: 'web' } });
  });

  it('keeps the history of a deleted group, for its project and admins only', async () => {
    const g = await h.as('hist-del').group({ name: 'gone' });
    await h.as('hist-del').rule(g['id'], { protocol: 'udp', port_range_min: 53, port_range_max: 53 });
    expect((await h.as('hist-del').del(`/v2.0/security-groups/${g['id']}`)).status).toBe(204);
    const mine = ok(await h.as('hist-del').get(history(g['id'])))['history'] as Json[];
    expect(mine[0]).toMatchObject({ resource: 'security_group', action: 'delete', object: null, before: { name: 'gone' } });
    expect(mine.some((e) => e['resource'] === 'security_group_rule' && e['action'] === 'delete')).toBe(true);
    expect((ok(await h.admin.get(history(g['id'])))['history'] as Json[]).length).toBe(mine.length);
    expectError(await h.as('hist-other').get(history(g['id'])), 404, 'SecurityGroupNotFound');
  });

  it("answers 404 for another project's group and for an unknown id", async () => {
    const g = await h.as('iso-a').group({ name: 'private' });
    expectError(await h.as('iso-b').get(history(g['id'])), 404, 'SecurityGroupNotFound');
    expectError(await h.as('iso-b').get(history('00000000-0000-0000-0000-000000000000')), 404, 'SecurityGroupNotFound');
  });

  it('pages with limit and marker, the next link carrying both', async () => {
    const c = h.as('hist-page');
    const g = await c.group({ name: 'paged' });
    for (const port of [1, 2, 3]) await c.rule(g['id'], { protocol: 'tcp', port_range_min: port, port_range_max: port });
    const all = ok(await c.get(history(g['id'])))['history'] as Json[];
    // The group, its two automatic egress rules, then a rule and a revision bump per rule added.
    expect(all).toHaveLength(1 + 2 + 3 * 2);
    const first = ok(await c.get(`${history(g['id'])}?limit=5`));
    expect((first['history'] as Json[]).map((e) => e['seq'])).toEqual(all.slice(0, 5).map((e) => e['seq']));
    const next = new URL(first['history_links'][0]['href'] as string);
    expect(next.searchParams.get('marker')).toBe(String(all[4]!['seq']));
    const second = ok(await c.get(`${next.pathname}${next.search}`));
    expect((second['history'] as Json[]).map((e) => e['seq'])).toEqual(all.slice(5).map((e) => e['seq']));
    expect(second['history_links']).toBeUndefined();
    expectError(await c.get(`${history(g['id'])}?limit=0`), 400, 'HTTPBadRequest', 'limit');
    expectError(await c.get(`${history(g['id'])}?sort_key=seq`), 400, 'HTTPBadRequest', 'sort_key');
  });
});

describe('audit', () => {
  it("shows a project's members their own project's records only", async () => {
    await h.as('aud-a').group({ name: 'a-secret' });
    await h.as('aud-b').group({ name: 'b-own' });
    const seenByB = ok(await h.as('aud-b').get(AUDIT))['audit'] as Json[];
    expect(seenByB.length).toBeGreaterThan(0);
    expect(seenByB.every((e) => e['project_id'] === 'aud-b')).toBe(true);
    expect(JSON.stringify(seenByB)).not.toContain('a-secret');
    // A filter cannot widen it: naming A's user or resource still reads only B's project.
    const filtered = ok(await h.as('aud-b').get(`${AUDIT}?resource=security_group&action=create`))['audit'] as Json[];
    expect(filtered.every((e) => e['project_id'] === 'aud-b')).toBe(true);
  });

  it('lets admins read every project and filter by user, resource, action and time', async () => {
    await asUser('aud-f', 'carol', 'POST', '/v2.0/security-groups', { security_group: { name: 'carols' } });
    const byCarol = ok(await h.admin.get(`${AUDIT}?user=carol`))['audit'] as Json[];
    expect(byCarol.length).toBeGreaterThan(0);
    expect(byCarol.every((e) => e['actor']['user_name'] === 'carol')).toBe(true);
    expect(ok(await h.admin.get(`${AUDIT}?user=carol-id`))['audit']).toEqual(byCarol);
    const creates = ok(await h.admin.get(`${AUDIT}?resource=security_group&action=create&limit=1000`))['audit'] as Json[];
    expect(new Set(creates.map((e) => e['project_id'])).size).toBeGreaterThan(1);
    expect(creates.every((e) => e['resource'] === 'security_group' && e['action'] === 'create')).toBe(true);
    expect(ok(await h.admin.get(`${AUDIT}?until=2000-01-01`))['audit']).toEqual([]);
    expect((ok(await h.admin.get(`${AUDIT}?since=2000-01-01T00:00:00Z&user=carol`))['audit'] as Json[]).length).toBe(byCarol.length);
  });

  it('refuses malformed filters with a Neutron 400', async () => {
    expectError(await h.admin.get(`${AUDIT}?since=yesterday`), 400, 'HTTPBadRequest', 'since');
    expectError(await h.admin.get(`${AUDIT}?resource=router`), 400, 'HTTPBadRequest', 'resource');
    expectError(await h.admin.get(`${AUDIT}?action=rename`), 400, 'HTTPBadRequest', 'action');
    expectError(await h.admin.get(`${AUDIT}?project=x`), 400, 'HTTPBadRequest', 'project');
    expectError(await h.admin.get(`${AUDIT}?user=a&user=b`), 400, 'HTTPBadRequest', 'more than once');
    expectError(await h.admin.get(`${AUDIT}?marker=-1`), 400, 'HTTPBadRequest', 'marker');
    expectError(await h.admin.get(`${AUDIT}?limit=1001`), 400, 'HTTPBadRequest', 'limit');
    expectError(await h.admin.get(`${AUDIT}?until=2026-02-30T25:00`), 400, 'HTTPBadRequest', 'until');
  });

  it('reads times with a zone, without one (UTC), or as a date', async () => {
    await h.as('aud-t').group({ name: 'timed' });
    const all = ok(await h.as('aud-t').get(AUDIT))['audit'] as Json[];
    const at = all[0]!['at'] as string;
    // The same instant written in +01:00.
    const plusOne = new Date(Date.parse(at) + 3_600_000).toISOString().replace(/\.\d{3}Z$/, '+01:00');
    expect(ok(await h.as('aud-t').get(`${AUDIT}?since=${encodeURIComponent(plusOne)}`))['audit']).toHaveLength(all.filter((e) => e['at'] >= at).length);
    expect(ok(await h.as('aud-t').get(`${AUDIT}?until=${at.replace('Z', '')}`))['audit']).toEqual(all.filter((e) => e['at'] < at));
    expect(ok(await h.as('aud-t').get(`${AUDIT}?since=${at.slice(0, 10)}`))['audit']).toHaveLength(all.length);
  });
});

describe('sharing in the history', () => {
  it("records an RBAC policy on the group it shares, and its removal", async () => {
    const owner = h.as('share-own');
    const g = await owner.group({ name: 'shared' });
    const policy = ok(await owner.post('/v2.0/rbac-policies', {
      rbac_policy: { object_type: 'security_group', object_id: g['id'], action: 'access_as_shared', target_tenant: 'cccccccccccccccccccccccccccccccc' },
    }), 201)['rbac_policy'] as Json;
    expect((await owner.del(`/v2.0/rbac-policies/${policy['id']}`)).status).toBe(204);
    const entries = ok(await owner.get(history(g['id'])))['history'] as Json[];
    expect(entries.slice(0, 2).map((e) => [e['resource'], e['action']])).toEqual([['rbac_policy', 'delete'], ['rbac_policy', 'create']]);
    expect(entries[0]!['before']).toMatchObject({ target_tenant: 'cccccccccccccccccccccccccccccccc', object_id: g['id'] });
  });
});
