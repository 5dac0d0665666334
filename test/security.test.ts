// Security: every route but discovery and sign-in needs a valid token; projects cannot see, change or reference each other.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json, Reply } from './support/api-harness.js';
import { ADMIN_PASSWORD, makeIdentityHarness, type IdentityHarness } from './support/identity-harness.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Routes that answer without a token: version discovery, liveness, and sign-in. */
const PUBLIC = new Set(['GET /', 'GET /v2.0', 'GET /healthz', 'GET /readyz', 'GET /identity', 'GET /identity/v3', 'POST /identity/v3/auth/tokens']);

let h: IdentityHarness;
let alice: { projectId: string; userId: string; token: string };
let bob: { projectId: string; userId: string; token: string };
/** Project A's objects, by kind. */
const a: Record<string, string> = {};

async function routes(): Promise<{ method: Method; path: string }[]> {
  await h.app.ready();
  const doc = h.app.swagger() as { paths: Record<string, Record<string, unknown>> };
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase() as Method, path })));
}

/** Fills `{id}`-style parameters with project A's objects (the kind follows the collection name). */
function fill(path: string): string {
  const kind = /\/v2\.0\/(?:palisade\/)?([a-z-]+)\/\{id\}/.exec(path)?.[1] ?? '';
  const id = { 'security-groups': a['group'], 'security-group-rules': a['rule'], networks: a['network'], subnets: a['subnet'], ports: a['port'], quotas: a['project'], 'rbac-policies': a['rbac'] }[kind];
  return path
    .replace('{id}', id ?? a['group']!)
    .replace('{alias}', 'security-group')
    .replace('{tag}', 'secret-tag')
    .replace('{projectId}', a['project']!)
    .replace('{userId}', alice.userId)
    .replace('{role}', 'member');
}

/** A body for a write that references project A's objects wherever a field can. */
function bodyFor(path: string): Json | undefined {
  if (path.endsWith('/security-groups')) return { security_group: { name: 'x' } };
  if (path.endsWith('/security-group-rules')) return { security_group_rule: { security_group_id: a['group'], direction: 'ingress', remote_group_id: a['group'] } };
  if (path.endsWith('/networks')) return { network: { name: 'x' } };
  if (path.endsWith('/subnets')) return { subnet: { network_id: a['network'], cidr: '10.9.0.0/24' } };
  if (path.endsWith('/ports')) return { port: { network_id: a['network'], security_groups: [a['group']] } };
  if (path.includes('/rbac-policies')) {
    return { rbac_policy: { object_type: 'security_group', object_id: a['group'], action: 'access_as_shared', target_tenant: bob.projectId } };
  }
  if (path.endsWith('/explain')) return { flow: { port_id: a['port'], direction: 'ingress', protocol: 'tcp', remote_ip: '10.0.0.9', port: 22 } };
  if (path.includes('/tags')) return { tags: ['x'] };
  if (path.includes('/quotas')) return { quota: { security_group: 1 } };
  return { security_group: { name: 'renamed', description: 'changed' }, port: { name: 'x', security_groups: [] }, network: { name: 'x' }, subnet: { name: 'x' } };
}

function aIdsIn(reply: Reply): string[] {
  return ['group', 'rule', 'network', 'subnet', 'port', 'rbac'].filter((k) => reply.raw.includes(a[k]!));
}

beforeAll(async () => {
  h = await makeIdentityHarness();
  alice = await h.member('project-a', 'alice');
  bob = await h.member('project-b', 'bob');
  a['project'] = alice.projectId;
  const post = async (url: string, body: Json) => {
    const r = await h.call(alice.token, 'POST', url, body);
    expect(r.status, r.raw).toBe(201);
    return Object.values(r.body)[0] as Json;
  };
  a['group'] = (await post('/v2.0/security-groups', { security_group: { name: 'secret' } }))['id'];
  expect((await h.call(alice.token, 'PUT', `/v2.0/security-groups/${a['group']}/tags/secret-tag`)).status).toBe(201);
  a['rule'] = (await post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: a['group'], direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 } }))['id'];
  a['network'] = (await post('/v2.0/networks', { network: { name: 'a-net' } }))['id'];
  a['subnet'] = (await post('/v2.0/subnets', { subnet: { network_id: a['network'], cidr: '10.0.0.0/24' } }))['id'];
  a['port'] = (await post('/v2.0/ports', { port: { network_id: a['network'], security_groups: [a['group']] } }))['id'];
  // Shared with a third project, never with B: B must not see the policy nor gain access through it.
  a['rbac'] = (await post('/v2.0/rbac-policies', { rbac_policy: { object_type: 'security_group', object_id: a['group'], action: 'access_as_shared', target_tenant: 'c'.repeat(32) } }))['id'];
});
afterAll(async () => h.close());

async function snapshot(): Promise<string> {
  const urls = [`/v2.0/security-groups/${a['group']}`, `/v2.0/security-group-rules/${a['rule']}`, `/v2.0/networks/${a['network']}`, `/v2.0/subnets/${a['subnet']}`, `/v2.0/ports/${a['port']}`, `/v2.0/quotas/${a['project']}`, `/v2.0/rbac-policies/${a['rbac']}`];
  const replies = await Promise.all(urls.map((u) => h.call(alice.token, 'GET', u)));
  for (const r of replies) expect(r.status, r.raw).toBe(200);
  return replies.map((r) => r.raw).join('\n');
}

describe('authentication on every route', () => {
  it('lists the routes it checks (the API, the engine, the change feed, identity administration)', async () => {
    const all = await routes();
    expect(all.length).toBeGreaterThan(60);
    expect(all.map((r) => `${r.method} ${r.path}`)).toEqual(expect.arrayContaining(['GET /v2.0/palisade/changes', 'PUT /identity/v3/projects/{projectId}/users/{userId}/roles/{role}']));
  });

  it.each([
    ['no token', null],
    ['a forged token', 'forged-token-forged-token-forged-token-abcd'],
  ])('with %s, only discovery and sign-in answer; everything else is 401', async (_label, token) => {
    const before = await snapshot();
    const answered: string[] = [];
    for (const { method, path } of await routes()) {
      const reply = await h.call(token, method, fill(path), method === 'GET' || method === 'DELETE' ? undefined : bodyFor(path));
      if (reply.status !== 401) answered.push(`${method} ${path} → ${reply.status}`);
    }
    expect(answered.filter((r) => !PUBLIC.has(r.split(' →')[0]!))).toEqual([]);
    expect((await h.call(token, 'GET', '/')).status).toBe(200);
    expect(await snapshot()).toBe(before);
  });

  it('expired and revoked tokens are refused like no token', async () => {
    const paths = ['/v2.0/security-groups', '/v2.0/ports', '/identity/v3/auth/catalog'];
    const refused = async (harness: IdentityHarness, token: string | null) => {
      const out = [];
      for (const path of paths) {
        const reply = await harness.call(token, 'GET', path);
        out.push({ status: reply.status, type: reply.body['NeutronError']?.['type'] ?? reply.body['error']?.['title'], body: reply.body });
      }
      return out;
    };
    const revoked = await h.token('alice', 'alice-pw', 'project-a');
    expect((await h.call(alice.token, 'DELETE', '/identity/v3/auth/tokens', undefined, { 'x-subject-token': revoked })).status).toBe(204);
    const statusAndType = (rs: { status: number; type: unknown }[]) => rs.map(({ status, type }) => ({ status, type }));
    const noToken = statusAndType(await refused(h, null));
    expect(noToken).toEqual([{ status: 401, type: 'HTTPUnauthorized' }, { status: 401, type: 'HTTPUnauthorized' }, { status: 401, type: 'Unauthorized' }]);
    // Refused as no token is (status and error type), and worded as a token nobody issued: nothing tells it was revoked.
    const unknown = await refused(h, 'never-issued');
    expect(statusAndType(unknown)).toEqual(noToken);
    expect(await refused(h, revoked)).toEqual(unknown);
    // Expiry on a harness of its own, so this file's other tokens keep their lifetime.
    const short = await makeIdentityHarness(60);
    try {
      const expiring = await short.token('admin', ADMIN_PASSWORD, 'admin');
      expect((await refused(short, expiring)).map((r) => r.status)).toEqual([200, 200, 200]);
      short.advance(60);
      expect(await refused(short, expiring)).toEqual(await refused(short, 'never-issued'));
    } finally {
      await short.close();
    }
  });
});

describe('project isolation on every route', () => {
  it("project B's member can neither see, change nor reference project A's objects", async () => {
    const before = await snapshot();
    const leaks: string[] = [];
    for (const { method, path } of await routes()) {
      if (path.startsWith('/identity')) continue;
      const url = fill(path);
      const reply = await h.call(bob.token, method, url, method === 'GET' || method === 'DELETE' ? undefined : bodyFor(path));
      const touchesA = url !== path;
      if (touchesA && reply.status < 300 && !path.startsWith('/v2.0/extensions')) leaks.push(`${method} ${url} → ${reply.status}`);
      if (method === 'POST' && reply.status < 300 && /rules|ports|subnets|explain|rbac/.test(path)) leaks.push(`${method} ${path} accepted a reference to A → ${reply.status}`);
      const echoed = reply.status < 300 ? aIdsIn(reply) : [];
      if (echoed.length > 0) leaks.push(`${method} ${url} → ${reply.status} shows ${echoed.join(', ')}`);
    }
    expect(leaks).toEqual([]);
    expect(await snapshot()).toBe(before);
  });

  it('lists filtered by project A answer nothing of A for B', async () => {
    for (const c of ['security-groups', 'security-group-rules', 'networks', 'subnets', 'ports']) {
      const reply = await h.call(bob.token, 'GET', `/v2.0/${c}?project_id=${a['project']}`);
      expect(reply.status).toBe(200);
      expect(aIdsIn(reply)).toEqual([]);
    }
  });

  it("B's own group cannot take A's group as remote group, nor B's port A's group", async () => {
    const group = (await h.call(bob.token, 'POST', '/v2.0/security-groups', { security_group: { name: 'b' } })).body['security_group'];
    const rule = await h.call(bob.token, 'POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: group.id, direction: 'ingress', remote_group_id: a['group'] } });
    expect(rule.status).toBe(404);
    const net = (await h.call(bob.token, 'POST', '/v2.0/networks', { network: { name: 'b' } })).body['network'];
    await h.call(bob.token, 'POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.1.0.0/24' } });
    const port = await h.call(bob.token, 'POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: [a['group']] } });
    expect(port.status).toBe(404);
    const own = (await h.call(bob.token, 'POST', '/v2.0/ports', { port: { network_id: net.id } })).body['port'];
    expect((await h.call(bob.token, 'PUT', `/v2.0/ports/${own.id}`, { port: { security_groups: [a['group']] } })).status).toBe(404);
  });
});

describe('roles (neutron-api.md §9)', () => {
  it('a reader sees its project but cannot write: 403 on visible objects, 404 on invisible ones', async () => {
    const admin = await h.token('admin', ADMIN_PASSWORD, 'admin');
    const reader = (await h.call(admin, 'POST', '/identity/v3/users', { user: { name: 'rita', password: 'rita-pw' } })).body['user'];
    expect((await h.call(admin, 'PUT', `/identity/v3/projects/${a['project']}/users/${reader.id}/roles/reader`)).status).toBe(204);
    const rita = await h.token('rita', 'rita-pw', 'project-a');
    expect((await h.call(rita, 'GET', `/v2.0/security-groups/${a['group']}`)).status).toBe(200);
    const refusals = [
      await h.call(rita, 'PUT', `/v2.0/security-groups/${a['group']}`, { security_group: { name: 'x' } }),
      await h.call(rita, 'DELETE', `/v2.0/security-groups/${a['group']}`),
      await h.call(rita, 'DELETE', `/v2.0/security-group-rules/${a['rule']}`),
      await h.call(rita, 'PUT', `/v2.0/security-groups/${a['group']}/tags/x`),
      await h.call(rita, 'POST', '/v2.0/security-groups', { security_group: { name: 'x' } }),
      await h.call(rita, 'POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: a['group'], direction: 'egress' } }),
      await h.call(rita, 'PUT', `/v2.0/ports/${a['port']}`, { port: { security_groups: [] } }),
    ];
    expect(refusals.map((r) => `${r.status} ${r.body['NeutronError']?.['type']}`)).toEqual(Array(7).fill('403 PolicyNotAuthorized'));
    const other = (await h.call(bob.token, 'POST', '/v2.0/security-groups', { security_group: { name: 'bobs' } })).body['security_group'];
    expect((await h.call(rita, 'DELETE', `/v2.0/security-groups/${other.id}`)).status).toBe(404);
  });

  it('a member cannot act for another project; an admin can', async () => {
    const forB = await h.call(alice.token, 'POST', '/v2.0/security-groups', { security_group: { name: 'x', project_id: bob.projectId } });
    expect(forB.status).toBe(400);
    const admin = await h.token('admin', ADMIN_PASSWORD, 'admin');
    const byAdmin = await h.call(admin, 'POST', '/v2.0/security-groups', { security_group: { name: 'x', project_id: bob.projectId } });
    expect(byAdmin.status).toBe(201);
    expect(byAdmin.body['security_group']['project_id']).toBe(bob.projectId);
  });
});

describe('sign-in attacks and token lifetime (run last: they move the clock)', () => {
  it('password guessing locks only the attacked user, and even the right password waits out the lock', async () => {
    const target = await h.member('project-t', 'tina');
    for (let i = 0; i < 5; i++) expect((await h.signIn('tina', `guess-${i}`, 'project-t')).status).toBe(401);
    const locked = await h.signIn('tina', 'tina-pw', 'project-t');
    expect([locked.status, locked.body['error']['message']]).toEqual([401, expect.stringContaining('temporarily locked')]);
    expect((await h.signIn('bob', 'bob-pw', 'project-b')).status).toBe(201);
    expect((await h.call(target.token, 'GET', '/v2.0/security-groups')).status).toBe(200);
    h.advance(1.5);
    expect((await h.signIn('tina', 'tina-pw', 'project-t')).status).toBe(201);
  });

  it('expired tokens are refused everywhere', async () => {
    h.advance(3601);
    for (const path of ['/v2.0/security-groups', '/v2.0/rbac-policies', '/identity/v3/auth/catalog']) {
      expect((await h.call(alice.token, 'GET', path)).status).toBe(401);
    }
    expect((await h.call(alice.token, 'GET', '/identity/v3/auth/tokens', undefined, { 'x-subject-token': alice.token })).status).toBe(401);
  });
});
