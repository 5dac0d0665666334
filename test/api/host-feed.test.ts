// Host feeds over HTTP (issue 13, docs/change-feed.md): who may read them, the wire, long-polls, 410s, the agent role.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, noauthAuthenticator } from '../../src/api/index.js';
import { createServices, type Services } from '../../src/service/index.js';
import { createSqliteStore, type Store } from '../../src/store/index.js';
import { expectError, ok, send, type Json } from '../support/api-harness.js';
import type { FastifyInstance } from 'fastify';

let store: Store;
let services: Services;
let app: FastifyInstance;
const ADMIN = { 'x-project-id': 'ops', 'x-roles': 'admin' };
const AGENT = { 'x-project-id': 'ops', 'x-roles': 'agent' };
const get = (url: string, headers: Record<string, string> = ADMIN) => send(app, 'GET', url, headers);
const post = (url: string, body: unknown, headers: Record<string, string> = ADMIN) => send(app, 'POST', url, headers, body);
const put = (url: string, body: unknown) => send(app, 'PUT', url, ADMIN, body);

beforeAll(async () => {
  store = await createSqliteStore(':memory:');
  services = createServices({ store, changeRetention: 5 });
  app = await buildApp({ services, authenticate: noauthAuthenticator });
});
afterAll(async () => {
  await app.close();
  await services.stop();
  await store.close();
});

/** `as`: an admin of the project to build it in (each project has its quota of groups). */
async function region(as = ADMIN): Promise<{ web: Json; db: Json; a: Json; b: Json }> {
  const net = ok(await post('/v2.0/networks', { network: { name: 'n' } }, as), 201)['network'];
  ok(await post('/v2.0/subnets', { subnet: { network_id: net['id'], cidr: '10.0.0.0/24' } }, as), 201);
  const web = ok(await post('/v2.0/security-groups', { security_group: { name: 'web' } }, as), 201)['security_group'];
  const db = ok(await post('/v2.0/security-groups', { security_group: { name: 'db' } }, as), 201)['security_group'];
  ok(await post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: db['id'], direction: 'ingress', protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_group_id: web['id'] } }, as), 201);
  const a = ok(await post('/v2.0/ports', { port: { network_id: net['id'], 'binding:host_id': 'host-a', security_groups: [db['id']] } }, as), 201)['port'];
  const b = ok(await post('/v2.0/ports', { port: { network_id: net['id'], 'binding:host_id': 'host-b', security_groups: [web['id']] } }, as), 201)['port'];
  return { web, db, a, b };
}

describe('host feeds', () => {
  it("a host's state holds its ports, their groups and rules, and remote members bound elsewhere: nothing else", async () => {
    const { web, db, a, b } = await region();
    const state = ok(await get('/v2.0/palisade/hosts/host-a/state?format=palisade-host-feed/1'));
    expect(state['format']).toBe('palisade-host-feed/1');
    expect(state['ports'].map((p: Json) => p['id'])).toEqual([a['id']]);
    expect(state['security_groups'].map((g: Json) => g['id'])).toEqual([db['id']]);
    expect(state['security_group_rules'].map((r: Json) => r['security_group_id'])).toEqual(state['security_group_rules'].map(() => db['id']));
    expect(state['members']).toEqual([{ id: b['id'], mac_address: b['mac_address'], fixed_ips: [{ ip_address: b['fixed_ips'][0]['ip_address'] }], allowed_address_pairs: [], security_groups: [web['id']] }]);
    const other = ok(await get('/v2.0/palisade/hosts/host-b/state'));
    expect(other['ports'].map((p: Json) => p['id'])).toEqual([b['id']]);
    expect(other['members']).toEqual([]);
    expect(other['security_groups'].map((g: Json) => g['id'])).toEqual([web['id']]);
  });

  it('a long-poll answers when a write reaches the host, with the page position to follow from', async () => {
    const { web, b } = await region();
    const state = ok(await get('/v2.0/palisade/hosts/host-a/state'));
    const waiting = get(`/v2.0/palisade/hosts/host-a/changes?since=${state['seq']}&wait=10`);
    ok(await put(`/v2.0/ports/${b['id']}`, { port: { allowed_address_pairs: [{ ip_address: '10.9.9.9' }] } }));
    const page = ok(await waiting);
    expect(page['changes'].map((c: Json) => [c['resource'], c['action'], c['id']])).toEqual([['member', 'update', b['id']]]);
    expect(page['changes'][0]['object']['security_groups']).toEqual([web['id']]);
    expect(page['seq']).toBe(page['latest_seq']);
    // A write no port of host-a cares about moves the position without a record.
    ok(await post('/v2.0/security-groups', { security_group: { name: 'unrelated' } }), 201);
    const idle = ok(await get(`/v2.0/palisade/hosts/host-a/changes?since=${page['seq']}`));
    expect(idle['changes']).toEqual([]);
    expect(idle['seq']).toBeGreaterThan(page['seq']);
  });

  it('refuses members, unknown formats and impossible hosts with Neutron errors', async () => {
    expectError(await get('/v2.0/palisade/hosts/h/state', { 'x-project-id': 'p', 'x-roles': 'member' }), 403, 'PolicyNotAuthorized');
    expectError(await get('/v2.0/palisade/hosts/h/changes?format=palisade-host-feed/2'), 400, 'HostFeedFormatUnsupported', 'palisade-host-feed/1');
    expectError(await get('/v2.0/palisade/hosts/*/state'), 400, 'HTTPBadRequest');
    expectError(await get('/v2.0/palisade/hosts/h/changes?since=x'), 400, 'HTTPBadRequest');
    expectError(await get('/v2.0/palisade/hosts/h/changes?host=x'), 400, 'HTTPBadRequest');
  });

  it('410 once the log was compacted past the position, as the global log does', async () => {
    await region();
    await services.changes.compact();
    expectError(await get('/v2.0/palisade/hosts/host-a/changes?since=1'), 410, 'ChangeSequenceExpired');
    const state = ok(await get('/v2.0/palisade/hosts/host-a/state'));
    ok(await get(`/v2.0/palisade/hosts/host-a/changes?since=${state['seq']}`));
  });

  it('a bulk load is a resync point: positions before it get 410, the state after it is complete', async () => {
    const before = await services.changes.latestSeq();
    const at = '2026-03-01T10:00:00Z';
    await store.bulkLoad({ groups: [{ id: 'bulk-group', projectId: 'ops', name: 'b', description: '', stateful: true, isDefault: false, tags: [], revisionNumber: 1, createdAt: at, updatedAt: at }] });
    expectError(await get(`/v2.0/palisade/hosts/host-a/changes?since=${before}`), 410, 'ChangeSequenceExpired');
    const state = ok(await get('/v2.0/palisade/hosts/host-a/state'));
    expect(state['seq']).toBeGreaterThanOrEqual(before);
    ok(await get(`/v2.0/palisade/hosts/host-a/changes?since=${state['seq']}`));
  });

  it('an address group a rule of the host names enters whole, follows every address change there only, and leaves with its last rule', async () => {
    const { db, a } = await region({ 'x-project-id': 'ops-ag', 'x-roles': 'admin' });
    const ag = ok(await post('/v2.0/address-groups', { address_group: { name: 'office', addresses: ['192.0.2.0/28'] } }), 201)['address_group'];
    const since = ok(await get('/v2.0/palisade/hosts/host-a/state'))['seq'] as number;
    const rule = ok(await post('/v2.0/security-group-rules', { security_group_rule: { security_group_id: db['id'], direction: 'ingress', protocol: 'tcp', remote_address_group_id: ag['id'] } }), 201)['security_group_rule'];
    const entered = ok(await get(`/v2.0/palisade/hosts/host-a/changes?since=${since}`))['changes'];
    // The addresses come before the rule that needs them.
    expect(entered.map((c: Json) => [c['resource'], c['action'], c['id']]).slice(0, 2)).toEqual([['address_group', 'create', ag['id']], ['security_group_rule', 'create', rule['id']]]);
    expect(entered[0]['object']['addresses']).toEqual(['192.0.2.0/28']);
    const state = ok(await get('/v2.0/palisade/hosts/host-a/state'));
    expect(state['address_groups'].map((g: Json) => [g['id'], g['addresses']])).toEqual([[ag['id'], ['192.0.2.0/28']]]);
    expect(ok(await get('/v2.0/palisade/hosts/host-b/state'))['address_groups']).toEqual([]);
    expect(state['ports'].map((p: Json) => p['id'])).toContain(a['id']);

    // A bulk load rebuilds the host index: the address group is still followed after it.
    await store.bulkLoad({});
    const after = ok(await get('/v2.0/palisade/hosts/host-a/state'))['seq'] as number;
    const afterB = ok(await get('/v2.0/palisade/hosts/host-b/state'))['seq'] as number;
    ok(await send(app, 'PUT', `/v2.0/address-groups/${ag['id']}/add_addresses`, ADMIN, { addresses: ['198.51.100.0/24'] }));
    const added = ok(await get(`/v2.0/palisade/hosts/host-a/changes?since=${after}`))['changes'];
    expect(added.map((c: Json) => [c['resource'], c['action'], c['object']['addresses']])).toEqual([['address_group', 'update', ['192.0.2.0/28', '198.51.100.0/24']]]);
    const pageB = ok(await get(`/v2.0/palisade/hosts/host-b/changes?since=${afterB}`));
    expect(pageB['seq']).toBeGreaterThan(afterB);
    expect(pageB['changes']).toEqual([]);

    const beforeDelete = ok(await get('/v2.0/palisade/hosts/host-a/state'))['seq'] as number;
    ok(await send(app, 'DELETE', `/v2.0/security-group-rules/${rule['id']}`, ADMIN), 204);
    const left = ok(await get(`/v2.0/palisade/hosts/host-a/changes?since=${beforeDelete}`))['changes'];
    // (then the group's new revision)
    expect(left.map((c: Json) => [c['resource'], c['action'], c['id']]).slice(0, 2)).toEqual([['security_group_rule', 'delete', rule['id']], ['address_group', 'delete', ag['id']]]);
    expect(ok(await get('/v2.0/palisade/hosts/host-a/state'))['address_groups']).toEqual([]);
  });
});

describe('the agent role', () => {
  it('reads host feeds', async () => {
    ok(await get('/v2.0/palisade/hosts/host-a/state', AGENT));
    const latest = await services.changes.latestSeq();
    ok(await get(`/v2.0/palisade/hosts/host-a/changes?since=${latest}`, AGENT));
  });

  it('is refused every other route of the API, reads and writes alike', async () => {
    await app.ready();
    const doc = app.swagger() as { paths: Record<string, Record<string, unknown>> };
    const routes = Object.entries(doc.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => ({ method: m.toUpperCase(), path })));
    const api = routes.filter((r) => r.path.startsWith('/v2.0/') && !r.path.startsWith('/v2.0/palisade/hosts/'));
    expect(api.length).toBeGreaterThan(30);
    for (const r of api) {
      const url = r.path.replace(/\{[^}]+\}/g, '6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1');
      const reply = await send(app, r.method as 'GET', url, AGENT, r.method === 'GET' || r.method === 'DELETE' ? undefined : {});
      expect(reply.status, `${r.method} ${r.path}: ${reply.raw}`).toBe(403);
      expect(reply.body['NeutronError']['type']).toBe('PolicyNotAuthorized');
    }
  });
});
