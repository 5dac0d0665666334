// Token revocation: a password change, a role removal, disabling, and deleting a user or project end the tokens they concern.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, makeIdentityHarness, type IdentityHarness } from './support/identity-harness.js';
import { passwordChecks, type PasswordChecks } from './support/password-checks.js';

let h: IdentityHarness;
let checks: PasswordChecks;
let admin: string;
beforeEach(async () => {
  checks = passwordChecks();
  h = await makeIdentityHarness(3600, { verifyPassword: checks.verify });
  admin = await h.token('admin', ADMIN_PASSWORD, 'admin');
});
afterEach(async () => h.close());

const works = async (token: string) => (await h.call(token, 'GET', '/v2.0/security-groups')).status;

describe('events that revoke a user’s tokens', () => {
  it('a password change revokes them; the new password signs in', async () => {
    const alice = await h.member('p1', 'alice');
    const unscoped = String((await h.signIn('alice', 'alice-pw')).headers['x-subject-token']);
    expect((await h.call(admin, 'PATCH', `/identity/v3/users/${alice.userId}`, { user: { password: 'new-pw' } })).status).toBe(200);
    expect(await works(alice.token)).toBe(401);
    expect((await h.call(admin, 'GET', '/identity/v3/auth/tokens', undefined, { 'x-subject-token': unscoped })).status).toBe(404);
    expect(await works(await h.token('alice', 'new-pw', 'p1'))).toBe(200);
  });

  it('a renaming does not revoke them', async () => {
    const alice = await h.member('p1', 'alice');
    expect((await h.call(admin, 'PATCH', `/identity/v3/users/${alice.userId}`, { user: { name: 'alicia' } })).status).toBe(200);
    expect(await works(alice.token)).toBe(200);
  });

  it('removing one of several roles on a project revokes the tokens for that project, not for others', async () => {
    const alice = await h.member('p1', 'alice');
    const other = await h.member('p2', 'bob');
    expect((await h.call(admin, 'PUT', `/identity/v3/projects/${other.projectId}/users/${alice.userId}/roles/member`)).status).toBe(204);
    const onP2 = await h.token('alice', 'alice-pw', 'p2');
    expect((await h.call(admin, 'PUT', `/identity/v3/projects/${alice.projectId}/users/${alice.userId}/roles/reader`)).status).toBe(204);
    const onP1 = await h.token('alice', 'alice-pw', 'p1');
    expect((await h.call(admin, 'DELETE', `/identity/v3/projects/${alice.projectId}/users/${alice.userId}/roles/reader`)).status).toBe(204);
    expect([await works(onP1), await works(alice.token), await works(onP2)]).toEqual([401, 401, 200]);
    expect(await works(await h.token('alice', 'alice-pw', 'p1'))).toBe(200);
  });

  it('disabling revokes them for good: enabling the user again does not bring them back', async () => {
    const alice = await h.member('p1', 'alice');
    expect((await h.call(admin, 'PATCH', `/identity/v3/users/${alice.userId}`, { user: { enabled: false } })).status).toBe(200);
    expect(await works(alice.token)).toBe(401);
    expect((await h.call(admin, 'PATCH', `/identity/v3/users/${alice.userId}`, { user: { enabled: true } })).status).toBe(200);
    expect(await works(alice.token)).toBe(401);
    expect(await works(await h.token('alice', 'alice-pw', 'p1'))).toBe(200);
  });

  it('deleting the user revokes them', async () => {
    const alice = await h.member('p1', 'alice');
    expect((await h.call(admin, 'DELETE', `/identity/v3/users/${alice.userId}`)).status).toBe(204);
    expect(await works(alice.token)).toBe(401);
    expect((await h.signIn('alice', 'alice-pw', 'p1')).status).toBe(401);
  });

  it('deleting a project revokes the tokens scoped to it, not the user’s others', async () => {
    const alice = await h.member('p1', 'alice');
    await h.member('p2', 'bob');
    const p2 = (await h.call(admin, 'GET', '/identity/v3/projects?name=p2')).body['projects'][0]['id'];
    expect((await h.call(admin, 'PUT', `/identity/v3/projects/${p2}/users/${alice.userId}/roles/member`)).status).toBe(204);
    const onP2 = await h.token('alice', 'alice-pw', 'p2');
    expect((await h.call(admin, 'DELETE', `/identity/v3/projects/${alice.projectId}`)).status).toBe(204);
    expect([await works(alice.token), await works(onP2)]).toEqual([401, 200]);
  });
});

describe('disabling a project', () => {
  it('revokes the tokens scoped to it for good, refuses sign-in to it while disabled, and is admin only', async () => {
    const alice = await h.member('p1', 'alice');
    const unscoped = String((await h.signIn('alice', 'alice-pw')).headers['x-subject-token']);
    const url = `/identity/v3/projects/${alice.projectId}`;
    expect((await h.call(alice.token, 'PATCH', url, { project: { enabled: false } })).status).toBe(403);
    const disabled = await h.call(admin, 'PATCH', url, { project: { enabled: false, description: 'frozen' } });
    expect([disabled.status, disabled.body['project']]).toEqual([200, expect.objectContaining({ enabled: false, description: 'frozen', name: 'p1' })]);
    expect(await works(alice.token)).toBe(401);
    expect((await h.signIn('alice', 'alice-pw', 'p1')).status).toBe(401);
    expect((await h.call(admin, 'GET', '/identity/v3/auth/tokens', undefined, { 'x-subject-token': unscoped })).status).toBe(200);
    expect((await h.call(admin, 'PATCH', url, { project: { enabled: true } })).body['project']['enabled']).toBe(true);
    expect(await works(alice.token)).toBe(401);
    expect(await works(await h.token('alice', 'alice-pw', 'p1'))).toBe(200);
    expect((await h.call(admin, 'PATCH', `/identity/v3/projects/${'0'.repeat(32)}`, { project: { enabled: false } })).status).toBe(404);
  });
});

describe('a sign-in racing a revocation', () => {
  it('a sign-in whose password check spans a password change gets no lasting token', async () => {
    const alice = await h.member('p1', 'alice');
    checks.hold();
    const signIn = h.signIn('alice', 'alice-pw', 'p1');
    await checks.started(1);
    expect((await h.call(admin, 'PATCH', `/identity/v3/users/${alice.userId}`, { user: { password: 'new-pw' } })).status).toBe(200);
    checks.release();
    const reply = await signIn;
    const token = reply.headers['x-subject-token'];
    expect(reply.status === 401 || (token !== undefined && (await works(String(token))) === 401)).toBe(true);
    expect(await works(await h.token('alice', 'new-pw', 'p1'))).toBe(200);
  });

  it('a sign-in whose password check spans the user’s deletion is refused with a 401', async () => {
    const alice = await h.member('p1', 'alice');
    checks.hold();
    const signIn = h.signIn('alice', 'alice-pw', 'p1');
    await checks.started(1);
    expect((await h.call(admin, 'DELETE', `/identity/v3/users/${alice.userId}`)).status).toBe(204);
    checks.release();
    const reply = await signIn;
    expect(reply.status).toBe(401);
  });
});
