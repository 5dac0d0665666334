// Issue #2 item 10: thousands of generated bad requests all get a 4xx NeutronError, never a 500, and write nothing.
import type { AddressInfo } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, send, type Harness, type Json, type Reply } from '../support/api-harness.js';
import { rawRequest, type RawReply } from '../support/raw-http.js';

let h: Harness;
const ids: Record<string, string> = {};
beforeAll(async () => {
  h = await makeHarness();
  const c = h.as('fuzz');
  const g = await c.group({ name: 'fixture' });
  const { network, subnet } = await networkWithSubnet(c);
  const port = await c.port(network['id'], { security_groups: [g['id']] });
  const ag = (await c.post('/v2.0/address-groups', { address_group: { name: 'fixture', addresses: ['10.8.0.0/24'] } })).body['address_group'];
  const template = (await c.get('/v2.0/default-security-group-rules')).body['default_security_group_rules'][0]['id'];
  Object.assign(ids, {
    group: g['id'], rule: g['security_group_rules'][0]['id'], network: network['id'], subnet: subnet['id'], port: port['id'], addressGroup: ag['id'], template,
  });
});
afterAll(() => h.close());

const COLLECTIONS = [
  'security-groups', 'security-group-rules', 'ports', 'networks', 'subnets', 'quotas', 'extensions', 'palisade/changes', 'security-group-ports',
  'address-groups', 'default-security-group-rules',
];
const RESOURCE_KEYS = [
  'security_group', 'security_groups', 'security_group_rule', 'security_group_rules', 'port', 'ports', 'network', 'networks',
  'subnet', 'subnets', 'quota', 'tags', 'address_group', 'address_groups', 'addresses', 'default_security_group_rule', 'default_security_group_rules',
];
const ATTRIBUTES = [
  'id', 'name', 'description', 'stateful', 'project_id', 'tenant_id', 'shared', 'tags', 'security_group_rules', 'revision_number',
  'security_group_id', 'direction', 'ethertype', 'protocol', 'port_range_min', 'port_range_max', 'remote_ip_prefix', 'remote_group_id',
  'remote_address_group_id', 'normalized_cidr', 'network_id', 'fixed_ips', 'mac_address', 'device_id', 'device_owner', 'binding:host_id',
  'admin_state_up', 'security_groups', 'port_security_enabled', 'allowed_address_pairs', 'cidr', 'ip_version', 'gateway_ip', 'enable_dhcp',
  'security_group_rule', 'port', 'force', 'check_limit', 'addresses', 'used_in_default_sg', 'used_in_non_default_sg', 'router:external', 'mtu',
];
const QUERY_KEYS = [
  'fields', 'sort_key', 'sort_dir', 'limit', 'marker', 'page_reverse', 'changed_since', 'tags', 'tags-any', 'not-tags', 'not-tags-any',
  'name', 'id', 'protocol', 'ethertype', 'remote_ip_prefix', 'port_range_min', 'stateful', 'shared', 'revision_number', 'security_group_id',
  'security_groups', 'since', 'wait', 'project_id', 'ip_version', 'constructor', 'used_in_default_sg', 'router:external', 'mtu',
];

/** Values of the wrong type or shape for almost any attribute. */
const badValue = fc.oneof(
  fc.jsonValue({ maxDepth: 2 }),
  fc.constantFrom(-1, 65536, 256, 1.5, 2 ** 31, -2, '', ' ', 'ANY', 'tcp/ip', '10.0.0.1/33', '::/129', 'not-a-uuid', 'x'.repeat(300), 'default', true, null, [], {}, [null], ['a', 'a']),
);

const id = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('group', 'rule', 'network', 'subnet', 'port', 'addressGroup', 'template').map((k) => ids[k]!) },
  { weight: 2, arbitrary: fc.uuid().map((u) => u.replace(/-/g, '')) },
  { weight: 2, arbitrary: fc.string({ maxLength: 40 }).map(encodeURIComponent) },
  { weight: 1, arbitrary: fc.constantFrom('%zz', '%00', '..', 'default', 'fuzz', '%2F', 'a'.repeat(2000), '6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1') },
);

const path = fc.oneof(
  fc.constantFrom(...COLLECTIONS).map((c) => `/v2.0/${c}`),
  fc.tuple(fc.constantFrom(...COLLECTIONS), id).map(([c, i]) => `/v2.0/${c}/${i}`),
  fc.tuple(id, fc.option(id, { nil: undefined })).map(([g, t]) => `/v2.0/security-groups/${g}/tags${t === undefined ? '' : `/${t}`}`),
  fc.tuple(id, fc.constantFrom('', '/default', '/details', '/x')).map(([p, s]) => `/v2.0/quotas/${p}${s}`),
  fc.tuple(id, fc.constantFrom('add_addresses', 'remove_addresses')).map(([a, action]) => `/v2.0/address-groups/${a}/${action}`),
  fc.string({ maxLength: 30 }).map((s) => `/v2.0/${encodeURIComponent(s)}`),
).chain((p) => fc.constantFrom(p, `${p}.json`, `${p}/`));

const query = fc.oneof(
  fc.constant(''),
  fc.array(fc.tuple(fc.oneof(fc.constantFrom(...QUERY_KEYS), fc.string({ maxLength: 8 })), fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('-1', 'x', 'TCP', 'asc', 'up', '0', 'True', '2026-13-01T00:00:00Z'))), { minLength: 1, maxLength: 4 })
    .map((pairs) => `?${new URLSearchParams(pairs).toString()}`),
  fc.constantFrom('?limit=-1', '?sort_dir=asc', '?sort_key=bogus', '?foo=1', '?limit=1&marker=zzz&page_reverse=maybe', '?%zz=1', '?fields'),
);

const resourceBody = fc
  .tuple(fc.constantFrom(...RESOURCE_KEYS), fc.dictionary(fc.constantFrom(...ATTRIBUTES), badValue, { minKeys: 1, maxKeys: 4 }), fc.boolean())
  .map(([key, item, asList]) => ({ [key]: asList ? [item, { ...item }] : item }));

const body = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 2, arbitrary: fc.string({ maxLength: 60 }) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
  { weight: 5, arbitrary: resourceBody.map((b) => JSON.stringify(b)) },
);

const request = fc.record({
  method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'),
  url: fc.tuple(path, query).map(([p, q]) => p + q),
  body,
  project: fc.constantFrom('fuzz', 'fuzz', 'other', 'fresh'),
  admin: fc.boolean(),
  ifMatch: fc.option(fc.oneof(fc.string({ maxLength: 20 }), fc.nat(5).map((n) => `revision_number=${n}`)), { nil: undefined }),
});

type Generated = typeof request extends fc.Arbitrary<infer T> ? T : never;

let fresh = 0;
async function fire(r: Generated): Promise<Reply> {
  const headers: Record<string, string> = {
    'x-project-id': r.project === 'fresh' ? `fresh-${fresh++}` : r.project,
    'x-roles': r.admin ? 'admin' : 'member',
    ...(r.ifMatch !== undefined && { 'if-match': r.ifMatch }),
  };
  return send(h.app, r.method as 'GET', r.url, headers, r.body);
}

/** What a refused request must leave as it was: the change log, and the templates (which it does not record). */
async function written(): Promise<string> {
  const templates = (await h.admin.get('/v2.0/default-security-group-rules?fields=id')).body['default_security_group_rules'] as Json[];
  return `${await h.latestSeq()} ${templates.map((t) => t['id']).join(',')}`;
}

function assertNeutronError(reply: Reply, method: string): void {
  expect(reply.status, reply.raw).toBeGreaterThanOrEqual(400);
  expect(reply.status, reply.raw).toBeLessThan(500);
  expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
  if (method === 'HEAD') return;
  const error = reply.body['NeutronError'] as Json | undefined;
  expect(error, reply.raw).toBeDefined();
  expect(typeof error!['type']).toBe('string');
  expect(typeof error!['message']).toBe('string');
  expect(error!['detail']).toBe('');
}

describe('generated bad requests', () => {
  it('never answer 5xx; every 4xx is a NeutronError and writes nothing', async () => {
    let refused = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const before = await written();
        const reply = await fire(r);
        expect(reply.status, `${r.method} ${r.url} ${String(r.body)}\n${reply.raw}`).toBeLessThan(500);
        if (reply.status >= 400) {
          refused++;
          assertNeutronError(reply, r.method);
          expect(await written(), `${r.method} ${r.url} wrote before refusing`).toBe(before);
        }
      }),
      { numRuns: 3000 },
    );
    expect(refused).toBeGreaterThan(2000);
  });

  it('wrong types for every attribute of every resource are 4xx and write nothing', async () => {
    const targets: [string, string, string][] = [
      ['POST', '/v2.0/security-groups', 'security_group'],
      ['PUT', `/v2.0/security-groups/${ids['group']}`, 'security_group'],
      ['POST', '/v2.0/security-group-rules', 'security_group_rule'],
      ['POST', '/v2.0/ports', 'port'],
      ['PUT', `/v2.0/ports/${ids['port']}`, 'port'],
      ['POST', '/v2.0/networks', 'network'],
      ['POST', '/v2.0/subnets', 'subnet'],
      ['PUT', '/v2.0/quotas/fuzz', 'quota'],
      ['POST', '/v2.0/address-groups', 'address_group'],
      ['PUT', `/v2.0/address-groups/${ids['addressGroup']}`, 'address_group'],
      ['POST', '/v2.0/default-security-group-rules', 'default_security_group_rule'],
    ];
    const wrong = fc.constantFrom(12345, -7, 1.25, true, [], [1, 2], { a: 1 }, 'x'.repeat(300), '%%%', null);
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...targets), fc.constantFrom(...ATTRIBUTES), wrong, async ([method, url, key], attr, value) => {
        const base: Json = key === 'security_group_rule' ? { security_group_id: ids['group'], direction: 'ingress' } : key === 'port' && method === 'POST' ? { network_id: ids['network'] } : key === 'subnet' ? { network_id: ids['network'], cidr: '10.9.0.0/24' }
          : key === 'default_security_group_rule' ? { direction: 'ingress', used_in_default_sg: false, used_in_non_default_sg: true } : {};
        const before = await written();
        const reply = await send(h.app, method as 'GET', url, { 'x-project-id': 'fuzz', 'x-roles': 'admin' }, { [key]: { ...base, [attr]: value } });
        expect(reply.status, `${method} ${url} ${attr}=${JSON.stringify(value)}\n${reply.raw}`).toBeLessThan(500);
        if (reply.status >= 400) {
          assertNeutronError(reply, method);
          expect(await written()).toBe(before);
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('bad address lists for add_addresses and remove_addresses are 4xx and write nothing', async () => {
    const entry = fc.oneof(badValue, fc.constantFrom('10.8.0.0/24', '10.8.0.9/24', '2001:db8::/200', '1.2.3.4 /8', '::ffff:1.2.3.4/128'));
    const value = fc.oneof(badValue, fc.array(entry, { maxLength: 4 }));
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('add_addresses', 'remove_addresses'), value, fc.boolean(), async (action, addresses, extra) => {
        const url = `/v2.0/address-groups/${ids['addressGroup']}/${action}`;
        const before = await h.latestSeq();
        const reply = await send(h.app, 'PUT', url, { 'x-project-id': 'fuzz', 'x-roles': 'member' }, { addresses, ...(extra && { name: 'x' }) });
        expect(reply.status, `${action} ${JSON.stringify(addresses)}\n${reply.raw}`).toBeLessThan(500);
        if (reply.status >= 400) {
          assertNeutronError(reply, 'PUT');
          expect(await h.latestSeq()).toBe(before);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('an oversized body is 413 and writes nothing', async () => {
    const before = await h.latestSeq();
    const huge = JSON.stringify({ security_group: { name: 'x', description: 'y'.repeat(5 * 1024 * 1024) } });
    expectError(await h.as('fuzz').post('/v2.0/security-groups', huge), 413, 'HTTPRequestEntityTooLarge');
    expect(await h.latestSeq()).toBe(before);
  });
});

describe('hostile requests over a real socket (issue 14)', () => {
  let port: number;
  beforeAll(async () => {
    await h.app.listen({ host: '127.0.0.1', port: 0 });
    port = (h.app.server.address() as AddressInfo).port;
  });
  const AUTH = { 'X-Project-Id': 'fuzz', 'X-Roles': 'admin' };

  /** Every 4xx carries a NeutronError body with JSON content type. */
  function assertRawNeutronError(reply: RawReply, status: number, type: string): void {
    expect(reply.status, reply.headers + reply.body).toBe(status);
    expect(reply.headers).toMatch(/^content-type: application\/json/im);
    const error = JSON.parse(reply.body)['NeutronError'];
    expect(error, reply.body).toMatchObject({ type, detail: '' });
    expect(typeof error['message']).toBe('string');
  }

  it('headers or a URL over 16 KB: 431 NeutronError', async () => {
    assertRawNeutronError(await rawRequest(port, 'GET', '/v2.0/ports', { ...AUTH, 'X-Big': 'a'.repeat(20_000) }), 431, 'HTTPRequestHeaderFieldsTooLarge');
    assertRawNeutronError(await rawRequest(port, 'GET', `/v2.0/ports/${'a'.repeat(17_000)}`, AUTH), 431, 'HTTPRequestHeaderFieldsTooLarge');
  });

  it('unknown methods: 405 NeutronError, whether or not the HTTP parser knows the name', async () => {
    for (const method of ['FOO', 'BREW', 'PURGE', 'PROPFIND', 'TRACE', 'OPTIONS']) {
      assertRawNeutronError(await rawRequest(port, method, '/v2.0/ports', AUTH), 405, 'HTTPMethodNotAllowed');
    }
  });

  it('malformed requests: 400 NeutronError', async () => {
    for (const target of ['/v2.0/ports HTTP/1.1 extra', '/v2.0/po rts']) {
      assertRawNeutronError(await rawRequest(port, 'GET', target, AUTH), 400, 'HTTPBadRequest');
    }
    assertRawNeutronError(await rawRequest(port, 'GET', '/v2.0/ports', { ...AUTH, 'Bad Header': 'x' }), 400, 'HTTPBadRequest');
  });

  it('absolute-form targets reach the route; non-path targets and dot segments are 400 NeutronErrors', async () => {
    expect((await rawRequest(port, 'GET', 'http://evil.example:666/v2.0/ports', AUTH)).status).toBe(200);
    for (const target of ['*', 'evil.example:666', '/v2.0/ports/../networks', '/v2.0//ports', '/v2.0/ports%2Fx']) {
      assertRawNeutronError(await rawRequest(port, 'GET', target, AUTH), 400, 'HTTPBadRequest');
    }
  });

  it('deep nesting, lone surrogates and NUL bytes in bodies: 400 NeutronError, nothing written', async () => {
    const bodies = [
      `{"security_group": {"name": ${'['.repeat(5000)}${']'.repeat(5000)}}}`,
      `{"security_group": {"name": {"a": ${'{"a": '.repeat(100)}1${'}'.repeat(100)}}}}`,
      '{"security_group": {"name": "\\ud800"}}',
      '{"security_group": {"name": "x\\u0000"}}',
      '{"security_group": {"name": "x", "description": "\\udfff"}}',
    ];
    for (const body of bodies) {
      const before = await h.latestSeq();
      assertRawNeutronError(await rawRequest(port, 'POST', '/v2.0/security-groups', AUTH, body), 400, 'HTTPBadRequest');
      expect(await h.latestSeq()).toBe(before);
    }
  });

  it('generated hostile requests: never 5xx, every 4xx a NeutronError', async () => {
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'FOO', 'MKCOL', 'CONNECT');
    const target = fc.oneof(
      fc.constantFrom('/v2.0/ports', `/v2.0/security-groups/${ids['group']}`, '/v2.0/networks').map((p) => `http://h${p}`),
      fc.constantFrom('/v2.0/./ports', '/v2.0/%2e%2e/ports', '//v2.0/ports', '/v2.0/ports%2f1', '/v2%2E0/ports', '*'),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.nat(6000).map((n) => `{"port": {"name": ${'['.repeat(n)}${']'.repeat(n)}}}`),
      fc.constantFrom('"\\ud800"', '{"security_group": {"name": "\\u0000"}}'),
    );
    const header = fc.option(fc.nat(20_000).map((n) => 'h'.repeat(n)), { nil: undefined });
    await fc.assert(
      fc.asyncProperty(method, target, body, header, async (m, t, b, x) => {
        const reply = await rawRequest(port, m, t, { ...AUTH, ...(x !== undefined && { 'X-Pad': x }) }, b);
        expect(reply.status, `${m} ${t} ${String(b).slice(0, 60)}`).toBeGreaterThan(0);
        expect(reply.status, `${m} ${t}`).toBeLessThan(500);
        if (reply.status >= 400) expect(JSON.parse(reply.body)['NeutronError'], reply.body).toBeDefined();
      }),
      { numRuns: 300 },
    );
  });
});
