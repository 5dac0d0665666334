// Identity changes in the audit (issue 17 item 1): users, projects, role assignments and token revocations, with who made them.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeIdentityHarness, type IdentityHarness } from './support/identity-harness.js';
import type { Json } from './support/api-harness.js';

let h: IdentityHarness;
let admin: string;
beforeEach(async () => {
  h = await makeIdentityHarness();
  admin = await h.token('admin', ADMIN_PASSWORD, 'admin');
});
afterEach(async () => h.close());

async function audit(token: string, query = ''): Promise<Json[]> {
  const reply = await h.call(token, 'GET', `/v2.0/palisade/audit${query}`);
  expect(reply.status, reply.raw).toBe(200);
  return reply.body['audit'] as Json[];
}

describe('identity audit', () => {
  it('records user, project and role changes with the admin who made them, and never a password', async () => {
    const alice = await h.member('audit-p', 'alice');
    expect((await h.call(admin, 'PATCH', `/identity/v3/users/${alice.userId}`, { user: { password: 'changed-pw' } })).status).toBe(200);
    expect((await h.call(admin, 'DELETE', `/identity/v3/projects/${alice.projectId}/users/${alice.userId}/roles/member`)).status).toBe(204);
    const entries = await audit(admin);
    const kinds = entries.map((e) => `${e['resource']}:${e['action']}`);
    expect(kinds).toEqual(expect.arrayContaining(['project:create', 'user:create', 'role_assignment:create', 'user:update', 'role_assignment:delete']));
    const update = entries.find((e) => e['resource'] === 'user' && e['action'] === 'update')!;
    expect(update['object']).toMatchObject({ id: alice.userId, name: 'alice', tokens_revoked: true });
    expect(update['before']).toMatchObject({ id: alice.userId, name: 'alice' });
    expect(update['actor']).toMatchObject({ user_name: 'admin', project_id: expect.any(String) });
    expect(update['actor']['roles']).toContain('admin');
    const revoked = entries.find((e) => e['resource'] === 'role_assignment' && e['action'] === 'delete')!;
    expect(revoked['before']).toMatchObject({ user_id: alice.userId, project_id: alice.projectId, role: 'member' });
    expect(JSON.stringify(entries)).not.toMatch(/changed-pw|alice-pw|password_hash|\$scrypt/);
  });

  it("records a token's revocation by its audit id, and shows a project's members their project's records only", async () => {
    const bob = await h.member('audit-q', 'bob');
    const carol = await h.member('audit-r', 'carol');
    expect((await h.call(bob.token, 'DELETE', '/identity/v3/auth/tokens', undefined, { 'x-subject-token': bob.token })).status).toBe(204);
    const revocation = (await audit(admin, '?resource=token'))[0]!;
    expect(revocation).toMatchObject({ action: 'delete', project_id: bob.projectId, object: { user_id: bob.userId, revoked: true } });
    expect(revocation['actor']).toMatchObject({ user_id: bob.userId, user_name: 'bob' });
    expect(JSON.stringify(revocation)).not.toContain(bob.token);
    const seenByCarol = await audit(carol.token);
    expect(seenByCarol.length).toBeGreaterThan(0);
    expect(seenByCarol.every((e) => e['project_id'] === carol.projectId)).toBe(true);
  });
});
