// Built-in identity: discovery, token issue/validate/expire/revoke, bad passwords, lockout, admin API.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashToken } from '../src/service/index.js';
import { ADMIN_PASSWORD, makeIdentityHarness, passwordAuth, type IdentityHarness } from './support/identity-harness.js';

let h: IdentityHarness;
beforeEach(async () => {
  h = await makeIdentityHarness();
});
afterEach(async () => h.close());

const subject = (token: string) => ({ 'x-subject-token': token });

describe('discovery', () => {
  it('answers /identity (300, like Keystone) and /identity/v3 without a token', async () => {
    const root = await h.call(null, 'GET', '/identity');
    expect(root.status).toBe(300);
    expect(root.body['versions']['values'][0]).toMatchObject({ id: 'v3.14', status: 'stable', links: [{ rel: 'self', href: 'http://localhost:80/identity/v3/' }] });
    const v3 = await h.call(null, 'GET', '/identity/v3');
    expect(v3.status).toBe(200);
    expect(v3.body['version']['media-types'][0]['type']).toBe('application/vnd.openstack.identity-v3+json');
  });
});

describe('issuing tokens', () => {
  it('signs in with a password and a project scope: X-Subject-Token, roles, catalog', async () => {
    const reply = await h.signIn('admin', ADMIN_PASSWORD, 'admin');
    expect(reply.status, reply.raw).toBe(201);
    expect(String(reply.headers['x-subject-token'])).toMatch(/^[0-9a-f]{64}$/);
    const token = reply.body['token'];
    expect(token['methods']).toEqual(['password']);
    expect(token['user']).toMatchObject({ name: 'admin', domain: { id: 'default', name: 'Default' } });
    expect(token['project']).toMatchObject({ name: 'admin', domain: { id: 'default' } });
    expect(token['project']['id']).toMatch(/^[0-9a-f]{32}$/);
    expect(token['roles'].map((r: { name: string }) => r.name)).toEqual(['admin', 'member', 'reader']);
    expect(Date.parse(token['expires_at']) - Date.parse(token['issued_at'])).toBe(3600_000);
    const network = token['catalog'].find((s: { type: string }) => s.type === 'network');
    expect(network['endpoints'].map((e: { interface: string; url: string }) => `${e.interface} ${e.url}`).sort()).toEqual([
      'admin http://localhost:80', 'internal http://localhost:80', 'public http://localhost:80',
    ]);
    const identity = token['catalog'].find((s: { type: string }) => s.type === 'identity');
    expect(identity['endpoints'][0]['url']).toBe('http://localhost:80/identity/v3');
  });

  it('accepts the user and project by id, and ?nocatalog', async () => {
    const first = (await h.signIn('admin', ADMIN_PASSWORD, 'admin')).body['token'];
    const body = {
      auth: {
        identity: { methods: ['password'], password: { user: { id: first['user']['id'], password: ADMIN_PASSWORD } } },
        scope: { project: { id: first['project']['id'] } },
      },
    };
    const reply = await h.call(null, 'POST', '/identity/v3/auth/tokens?nocatalog', body);
    expect(reply.status, reply.raw).toBe(201);
    expect(reply.body['token']['project']['id']).toBe(first['project']['id']);
    expect(reply.body['token']['catalog']).toBeUndefined();
  });

  it('issues domain-scoped and unscoped tokens, which project APIs refuse with a NeutronError', async () => {
    const domainBody = passwordAuth('admin', ADMIN_PASSWORD);
    domainBody['auth']['scope'] = { domain: { name: 'Default' } };
    const domain = await h.call(null, 'POST', '/identity/v3/auth/tokens', domainBody);
    expect(domain.status).toBe(201);
    expect(domain.body['token']['domain']).toEqual({ id: 'default', name: 'Default' });
    expect(domain.body['token']['project']).toBeUndefined();
    const unscoped = await h.signIn('admin', ADMIN_PASSWORD, null);
    expect(unscoped.status).toBe(201);
    expect(unscoped.body['token']['roles']).toBeUndefined();
    expect(unscoped.body['token']['catalog']).toBeUndefined();
    for (const reply of [domain, unscoped]) {
      const refused = await h.call(String(reply.headers['x-subject-token']), 'GET', '/v2.0/security-groups');
      expect(refused.status).toBe(403);
      expect(refused.body['NeutronError']['type']).toBe('HTTPForbidden');
    }
  });

  it('token auth rescopes an unscoped token and keeps its expiry', async () => {
    const unscoped = await h.signIn('admin', ADMIN_PASSWORD, null);
    h.advance(600);
    const body = { auth: { identity: { methods: ['token'], token: { id: unscoped.headers['x-subject-token'] } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } } };
    const reply = await h.call(null, 'POST', '/identity/v3/auth/tokens', body);
    expect(reply.status, reply.raw).toBe(201);
    expect(reply.body['token']['methods']).toEqual(['token']);
    expect(reply.body['token']['expires_at']).toBe(unscoped.body['token']['expires_at']);
    expect((await h.call(String(reply.headers['x-subject-token']), 'GET', '/v2.0/security-groups')).status).toBe(200);
  });

  it('refuses a wrong password, an unknown user, a project the user has no role on, and bad bodies', async () => {
    const wrong = await h.signIn('admin', 'nope', 'admin');
    expect(wrong.status).toBe(401);
    expect(wrong.body['error']).toMatchObject({ code: 401, title: 'Unauthorized' });
    expect(wrong.headers['x-subject-token']).toBeUndefined();
    expect((await h.signIn('ghost', 'nope', 'admin')).status).toBe(401);
    await h.member('p1', 'alice');
    expect((await h.signIn('alice', 'alice-pw', 'admin')).status).toBe(401);
    expect((await h.signIn('alice', 'alice-pw', 'nowhere')).status).toBe(401);
    const bad = await h.call(null, 'POST', '/identity/v3/auth/tokens', { auth: { identity: { methods: ['totp'] } } });
    expect(bad.status).toBe(400);
    expect(bad.body['error']['message']).toContain('unsupported method');
  });

  it('stores only the SHA-256 of tokens and an scrypt hash of passwords', async () => {
    const token = await h.token('admin', ADMIN_PASSWORD, 'admin');
    const record = await h.store.identity.findToken(hashToken(token));
    expect(record?.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await h.store.identity.findToken(token)).toBeUndefined();
    const [admin] = await h.store.identity.listUsers();
    expect(admin?.passwordHash).toMatch(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    expect(admin?.passwordHash).not.toContain(ADMIN_PASSWORD);
  });
});

describe('validation, expiry and revocation', () => {
  it('validates X-Subject-Token with any valid X-Auth-Token', async () => {
    const admin = await h.token('admin', ADMIN_PASSWORD, 'admin');
    const { token } = await h.member('p1', 'alice');
    const reply = await h.call(admin, 'GET', '/identity/v3/auth/tokens', undefined, subject(token));
    expect(reply.status, reply.raw).toBe(200);
    expect(reply.headers['x-subject-token']).toBe(token);
    expect(reply.body['token']['user']['name']).toBe('alice');
    expect(reply.body['token']['roles'].map((r: { name: string }) => r.name)).toEqual(['member', 'reader']);
    expect((await h.call(admin, 'HEAD', '/identity/v3/auth/tokens', undefined, subject(token))).status).toBe(200);
    expect((await h.call(admin, 'GET', '/identity/v3/auth/tokens', undefined, subject('forged'))).status).toBe(404);
    expect((await h.call(null, 'GET', '/identity/v3/auth/tokens', undefined, subject(token))).status).toBe(401);
  });

  it('expires tokens after the configured lifetime: valid until the last millisecond, refused at expires_at', async () => {
    const token = await h.token('admin', ADMIN_PASSWORD, 'admin');
    h.advance(3599.999);
    expect((await h.call(token, 'GET', '/v2.0/security-groups')).status).toBe(200);
    h.advance(0.001);
    const expired = await h.call(token, 'GET', '/v2.0/security-groups');
    expect(expired.status).toBe(401);
    expect(expired.body['NeutronError']['type']).toBe('HTTPUnauthorized');
    const fresh = await h.token('admin', ADMIN_PASSWORD, 'admin');
    expect((await h.call(fresh, 'GET', '/identity/v3/auth/tokens', undefined, subject(token))).status).toBe(404);
  });

  it('honours a short configured lifetime', async () => {
    const short = await makeIdentityHarness(60);
    try {
      const reply = await short.signIn('admin', ADMIN_PASSWORD, 'admin');
      expect(Date.parse(reply.body['token']['expires_at']) - Date.parse(reply.body['token']['issued_at'])).toBe(60_000);
      short.advance(61);
      expect((await short.call(String(reply.headers['x-subject-token']), 'GET', '/v2.0/ports')).status).toBe(401);
    } finally {
      await short.close();
    }
  });

  it('revokes with DELETE; the revoked token is refused everywhere', async () => {
    const token = await h.token('admin', ADMIN_PASSWORD, 'admin');
    const other = await h.token('admin', ADMIN_PASSWORD, 'admin');
    expect((await h.call(other, 'DELETE', '/identity/v3/auth/tokens', undefined, subject(token))).status).toBe(204);
    expect((await h.call(token, 'GET', '/v2.0/security-groups')).status).toBe(401);
    expect((await h.call(other, 'GET', '/identity/v3/auth/tokens', undefined, subject(token))).status).toBe(404);
    expect((await h.call(other, 'DELETE', '/identity/v3/auth/tokens', undefined, subject(token))).status).toBe(404);
    expect((await h.call(token, 'GET', '/identity/v3/users')).status).toBe(401);
    expect((await h.call(other, 'GET', '/v2.0/security-groups')).status).toBe(200);
  });

  it('a disabled user or a removed role invalidates existing tokens', async () => {
    const admin = await h.token('admin', ADMIN_PASSWORD, 'admin');
    const alice = await h.member('p1', 'alice');
    expect((await h.call(admin, 'DELETE', `/identity/v3/projects/${alice.projectId}/users/${alice.userId}/roles/member`)).status).toBe(204);
    expect((await h.call(alice.token, 'GET', '/v2.0/security-groups')).status).toBe(401);
    const bob = await h.member('p1', 'bob');
    expect((await h.call(admin, 'PATCH', `/identity/v3/users/${bob.userId}`, { user: { enabled: false } })).status).toBe(200);
    expect((await h.call(bob.token, 'GET', '/v2.0/security-groups')).status).toBe(401);
    expect((await h.signIn('bob', 'bob-pw', 'p1')).status).toBe(401);
  });
});

describe('brute-force slowing', () => {
  it('locks a user after 5 failures, doubling the lock with each further failure', async () => {
    await h.member('p1', 'alice');
    for (let i = 0; i < 5; i++) expect((await h.signIn('alice', 'wrong', 'p1')).status).toBe(401);
    const locked = await h.signIn('alice', 'alice-pw', 'p1');
    expect(locked.status).toBe(401);
    expect(locked.body['error']['message']).toContain('temporarily locked');
    expect((await h.signIn('admin', ADMIN_PASSWORD, 'admin')).status).toBe(201);
    h.advance(1.5);
    expect((await h.signIn('alice', 'wrong', 'p1')).status).toBe(401);
    h.advance(1.5);
    expect((await h.signIn('alice', 'alice-pw', 'p1')).body['error']['message']).toContain('temporarily locked');
    h.advance(1);
    expect((await h.signIn('alice', 'alice-pw', 'p1')).status).toBe(201);
    expect((await h.signIn('alice', 'wrong', 'p1')).status).toBe(401);
    expect((await h.signIn('alice', 'alice-pw', 'p1')).status).toBe(201);
  });
});

describe('identity administration', () => {
  it('creates users and projects, grants and lists roles; duplicates are 409', async () => {
    const admin = await h.token('admin', ADMIN_PASSWORD, 'admin');
    const project = await h.call(admin, 'POST', '/identity/v3/projects', { project: { name: 'web', description: 'Web tier' } });
    expect(project.status).toBe(201);
    expect(project.body['project']).toMatchObject({ name: 'web', description: 'Web tier', domain_id: 'default', enabled: true });
    expect((await h.call(admin, 'POST', '/identity/v3/projects', { project: { name: 'web' } })).status).toBe(409);
    const user = await h.call(admin, 'POST', '/identity/v3/users', { user: { name: 'carol', password: 'pw' } });
    expect(user.status).toBe(201);
    expect(JSON.stringify(user.body)).not.toContain('pw"');
    const [p, u] = [project.body['project']['id'], user.body['user']['id']];
    expect((await h.call(admin, 'PUT', `/identity/v3/projects/${p}/users/${u}/roles/reader`)).status).toBe(204);
    expect((await h.call(admin, 'PUT', `/identity/v3/projects/${p}/users/${u}/roles/wizard`)).status).toBe(404);
    expect((await h.call(admin, 'GET', `/identity/v3/projects/${p}/users/${u}/roles/reader`)).status).toBe(204);
    const listed = await h.call(admin, 'GET', `/identity/v3/role_assignments?user.id=${u}`);
    expect(listed.body['role_assignments']).toEqual([{ role: { id: 'reader', name: 'reader' }, user: { id: u }, scope: { project: { id: p } } }]);
    expect((await h.call(admin, 'GET', '/identity/v3/users?name=carol')).body['users']).toHaveLength(1);
    const carol = await h.token('carol', 'pw', 'web');
    expect((await h.call(carol, 'GET', '/identity/v3/users')).status).toBe(403);
    expect((await h.call(carol, 'POST', '/identity/v3/projects', { project: { name: 'x' } })).status).toBe(403);
    expect((await h.call(admin, 'DELETE', `/identity/v3/users/${u}`)).status).toBe(204);
    expect((await h.call(carol, 'GET', '/v2.0/security-groups')).status).toBe(401);
  });
});
