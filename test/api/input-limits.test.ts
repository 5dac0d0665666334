// Issue 14 items 4 and 9: deep nesting, NUL characters, lone surrogates, odd project ids and ambiguous bodies are 400s.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
const ids: Record<string, string> = {};
beforeAll(async () => {
  h = await makeHarness();
  const c = h.as('limits');
  const g = await c.group({ name: 'fixture' });
  const { network } = await networkWithSubnet(c);
  const port = await c.port(network['id']);
  Object.assign(ids, { group: g['id'], network: network['id'], port: port['id'] });
});
afterAll(() => h.close());

/** `[[[…]]]`, `depth` arrays deep, as JSON text. */
const nested = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('deep nesting', () => {
  const targets = (): [string, string, string, string[]][] => [
    ['POST', '/v2.0/security-groups', 'security_group', ['name', 'description', 'stateful']],
    ['PUT', `/v2.0/security-groups/${ids['group']}`, 'security_group', ['name', 'description']],
    ['POST', '/v2.0/security-group-rules', 'security_group_rule', ['protocol', 'ethertype', 'direction', 'remote_ip_prefix', 'description']],
    ['POST', '/v2.0/ports', 'port', ['name', 'device_id', 'mac_address', 'fixed_ips', 'allowed_address_pairs', 'security_groups']],
    ['PUT', `/v2.0/ports/${ids['port']}`, 'port', ['name', 'device_owner']],
    ['POST', '/v2.0/networks', 'network', ['name']],
  ];

  it('5,000 nested arrays in any attribute are a 400 NeutronError, not a stack overflow, and write nothing', async () => {
    const caller = h.as('limits');
    let pairs = 0;
    for (const [method, url, key, attributes] of targets()) {
      for (const attribute of attributes) {
        const before = await h.latestSeq();
        const body = `{"${key}": {"network_id": "${ids['network']}", "security_group_id": "${ids['group']}", "${attribute}": ${nested(5000)}}}`;
        expectError(await caller.request(method as 'POST', url, body), 400, 'HTTPBadRequest', 'nesting deeper than 32 levels');
        expect(await h.latestSeq()).toBe(before);
        pairs++;
      }
    }
    expect(pairs).toBe(19);
  });

  it('nesting up to the cap parses, and the message quotes the value cut short', async () => {
    const reply = await h.as('limits').post('/v2.0/security-groups', `{"security_group": {"name": ${nested(30)}}}`);
    expectError(reply, 400, 'HTTPBadRequest', "Invalid input for name. Reason: '[[[[[[[[[...]]]]]]]]]' is not a valid string.");
  });

  it('brackets inside strings do not count as nesting', async () => {
    const name = '['.repeat(200);
    expect(ok(await h.as('limits').post('/v2.0/security-groups', { security_group: { name } }), 201)['security_group']['name']).toBe(name);
  });
});

describe('strings that cannot be stored faithfully', () => {
  const raw = (json: string) => h.as('limits').post('/v2.0/security-groups', json);

  it('a lone surrogate in a name or description is 400 (it would be stored as invalid UTF-8)', async () => {
    for (const body of ['{"security_group": {"name": "a\\ud800"}}', '{"security_group": {"name": "\\udc00b"}}', '{"security_group": {"description": "\\ud800"}}']) {
      expectError(await raw(body), 400, 'HTTPBadRequest', 'NUL character or an unpaired UTF-16 surrogate');
    }
    // A surrogate pair (an emoji) is fine.
    expect(ok(await raw('{"security_group": {"name": "ok \\ud83d\\ude00"}}'), 201)['security_group']['name']).toBe('ok \u{1F600}');
  });

  it('NUL in a name, a device id, a tag (body or path) or a key is 400', async () => {
    const c = h.as('limits');
    expectError(await raw('{"security_group": {"name": "a\\u0000b"}}'), 400, 'HTTPBadRequest');
    expectError(await c.put(`/v2.0/ports/${ids['port']}`, { port: { device_id: 'vm\u0000' } }), 400, 'HTTPBadRequest');
    expectError(await c.put(`/v2.0/security-groups/${ids['group']}/tags`, { tags: ['t\u0000'] }), 400, 'HTTPBadRequest');
    expectError(await c.put(`/v2.0/security-groups/${ids['group']}/tags/t%00`), 400, 'HTTPBadRequest', 'is not a valid tag');
    expectError(await raw('{"security_group": {"name\\u0000": "x"}}'), 400, 'HTTPBadRequest');
    expect(ok(await c.get(`/v2.0/security-groups/${ids['group']}`))['security_group']['tags']).toEqual([]);
  });
});

describe('project ids', () => {
  it('as admin, "*", NUL, "../../etc", spaces or 65 characters as project_id or tenant_id are 400', async () => {
    for (const bad of ['*', '\u0000', '../../etc', 'a b', 'x'.repeat(65), 'ü']) {
      for (const key of ['project_id', 'tenant_id']) {
        const reply = await h.admin.post('/v2.0/security-groups', { security_group: { name: 'g', [key]: bad } });
        // NUL is already refused by the body parser; every other value by the project id check.
        expectError(reply, 400, 'HTTPBadRequest', bad === '\u0000' ? 'Body contains invalid data' : `Invalid input for ${key}.`);
      }
      expectError(await h.admin.post('/v2.0/networks', { network: { name: 'n', project_id: bad } }), 400, 'HTTPBadRequest');
    }
    expectError(await h.admin.put('/v2.0/quotas/..%2a', { quota: { port: 5 } }), 400, 'HTTPBadRequest', 'not a valid project id');
  });

  it('Keystone hex ids, UUIDs and plain names pass', async () => {
    for (const good of ['0123456789abcdef0123456789abcdef', '6f7c5a6e-0d55-4bde-8f5e-7a0a0fd0e5f1', 'tenant_2']) {
      expect(ok(await h.admin.post('/v2.0/security-groups', { security_group: { name: 'g', project_id: good } }), 201)['security_group']['project_id']).toBe(good);
    }
  });

  it('noauth refuses an X-Project-Id outside the pattern with 401', async () => {
    expectError(await h.as('../../etc').get('/v2.0/security-groups'), 401, 'HTTPUnauthorized');
    expectError(await h.as('*').get('/v2.0/security-groups'), 401, 'HTTPUnauthorized');
  });
});

describe('ambiguous bodies', () => {
  it('both security_group and security_groups is 400, and nothing is created', async () => {
    const before = await h.latestSeq();
    const body: Json = { security_group: { name: 'one' }, security_groups: [{ name: 'two' }] };
    expectError(await h.as('limits').post('/v2.0/security-groups', body), 400, 'HTTPBadRequest', "both 'security_group' and 'security_groups'");
    expect(await h.latestSeq()).toBe(before);
  });
});
