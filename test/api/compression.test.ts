// Response compression (br, gzip) and streamed long lists, through inject and over real HTTP.
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ok, send, type Harness, type Json } from '../support/api-harness.js';
import { makeHarness } from '../support/api-harness.js';

const ALICE = { 'x-project-id': 'alice', 'x-roles': 'member' };
/** More than a streamed list's threshold (1,000 items). */
const MANY = 1100;

describe('response compression and streamed lists', () => {
  let h: Harness;
  let groupId: string;
  beforeAll(async () => {
    h = await makeHarness({ quotaDefaults: { security_group_rule: -1 } });
    groupId = (await h.as('alice').group({ name: 'many' }))['id'];
    const rules = Array.from({ length: MANY }, (_, i) => ({ security_group_id: groupId, direction: 'ingress', protocol: 'tcp', port_range_min: i + 1, port_range_max: i + 1 }));
    ok(await h.as('alice').post('/v2.0/security-group-rules', { security_group_rules: rules }), 201);
  });
  afterAll(() => h.close());

  async function raw(url: string, acceptEncoding?: string) {
    const res = await h.app.inject({ method: 'GET', url, headers: { ...ALICE, ...(acceptEncoding && { 'accept-encoding': acceptEncoding }) } });
    return { status: res.statusCode, headers: res.headers, bytes: res.rawPayload };
  }

  it('answers gzip and br that decode to the same JSON as the uncompressed answer', async () => {
    const url = '/v2.0/security-groups';
    const plain = await raw(url);
    expect(plain.headers['content-encoding']).toBeUndefined();
    const expected = JSON.parse(plain.bytes.toString()) as Json;
    const gzip = await raw(url, 'gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.bytes).toString())).toEqual(expected);
    const br = await raw(url, 'br, gzip');
    expect(br.headers['content-encoding']).toBe('br');
    expect(JSON.parse(brotliDecompressSync(br.bytes).toString())).toEqual(expected);
    expect(br.bytes.length).toBeLessThan(plain.bytes.length / 5);
  });

  it('compresses a large answer that a handler sends without returning it (a bulk create)', async () => {
    const g = (await h.as('alice').group({ name: 'bulk' }))['id'];
    const rules = Array.from({ length: 100 }, (_, i) => ({ security_group_id: g, direction: 'egress', protocol: 'udp', port_range_min: i + 1, port_range_max: i + 1 }));
    const res = await h.app.inject({
      method: 'POST', url: '/v2.0/security-group-rules', payload: JSON.stringify({ security_group_rules: rules }),
      headers: { ...ALICE, 'content-type': 'application/json', 'accept-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(res.rawPayload).toString())['security_group_rules']).toHaveLength(100);
  });

  it('leaves a short answer and an unsupported encoding uncompressed', async () => {
    const short = await raw(`/v2.0/security-group-rules?security_group_id=${groupId}&limit=1`, 'gzip');
    expect(short.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(short.bytes.toString())['security_group_rules']).toHaveLength(1);
    const other = await raw('/v2.0/security-groups', 'compress');
    expect(other.headers['content-encoding']).toBeUndefined();
    expect(JSON.parse(other.bytes.toString())['security_groups'].length).toBeGreaterThan(0);
  });

  it('keeps NeutronError bodies JSON when the client accepts compression', async () => {
    const missing = await raw('/v2.0/security-groups/00000000-0000-4000-8000-000000000000', 'gzip, br');
    expect(missing.status).toBe(404);
    expect(String(missing.headers['content-type'])).toMatch(/^application\/json/);
    expect(JSON.parse(missing.bytes.toString())['NeutronError']['type']).toBe('SecurityGroupNotFound');
  });

  it('streams a long list over HTTP (chunked, no Content-Length) and it parses to the same list as its pages', async () => {
    const address = await h.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `${address}/v2.0/security-group-rules?security_group_id=${groupId}`;
    const res = await fetch(url, { headers: { ...ALICE, 'accept-encoding': 'identity' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('transfer-encoding')).toBe('chunked');
    expect(res.headers.get('content-length')).toBeNull();
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const streamed = (await res.json()) as Json;
    expect(Object.keys(streamed)).toEqual(['security_group_rules']);
    // Pages of at most 1,000 are not streamed: the two of them are the reference.
    const first = ok(await send(h.app, 'GET', `/v2.0/security-group-rules?security_group_id=${groupId}&limit=1000`, ALICE));
    const marker = first['security_group_rules'].at(-1)['id'];
    const second = ok(await send(h.app, 'GET', `/v2.0/security-group-rules?security_group_id=${groupId}&limit=1000&marker=${marker}`, ALICE));
    expect(streamed['security_group_rules']).toEqual([...first['security_group_rules'], ...second['security_group_rules']]);
    // A new group comes with its two egress rules.
    expect(streamed['security_group_rules']).toHaveLength(MANY + 2);
    const gz = await fetch(url, { headers: { ...ALICE, 'accept-encoding': 'gzip' } });
    expect(gz.headers.get('content-encoding')).toBe('gzip');
    expect(await gz.json()).toEqual(streamed);
  });
});
