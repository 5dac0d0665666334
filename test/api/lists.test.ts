// neutron-api.md §5 list semantics: filters with converters, unknown filters, fields, sorting, pagination links.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, type Caller, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
let c: Caller;
let group: Json;
beforeAll(async () => {
  h = await makeHarness();
  c = h.as('lists');
  group = await c.group({ name: 'rules-here' });
  await c.rule(group['id'], { protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '10.0.0.1' });
  await c.rule(group['id'], { protocol: 'udp', port_range_min: 53, port_range_max: 53, remote_ip_prefix: '10.0.0.34/24' });
  await c.rule(group['id'], { protocol: 'icmp', ethertype: 'IPv4' });
  for (const name of ['bravo', 'Alpha', 'charlie', 'delta', 'Echo']) await c.group({ name });
});
afterAll(() => h.close());

const SG = '/v2.0/security-groups';
const RULES = '/v2.0/security-group-rules';

function ids(body: Json, key: string): string[] {
  return (body[key] as Json[]).map((x) => x['id'] as string);
}

describe('§5.1 filters', () => {
  it('values pass through the attribute converter (protocol=TCP, ethertype=ipv4, bare prefix)', async () => {
    const tcp = ok(await c.get(`${RULES}?protocol=TCP`))['security_group_rules'] as Json[];
    expect(tcp.map((r) => r['protocol'])).toEqual(['tcp']);
    const v4 = ok(await c.get(`${RULES}?ethertype=ipv4&security_group_id=${group['id']}`))['security_group_rules'] as Json[];
    expect(v4.length).toBe(4);
    expect(ok(await c.get(`${RULES}?remote_ip_prefix=10.0.0.1`))['security_group_rules']).toHaveLength(1);
    expect(ok(await c.get(`${RULES}?normalized_cidr=10.0.0.0/24`))['security_group_rules']).toHaveLength(1);
    expect(ok(await c.get(`${RULES}?port_range_min=22`))['security_group_rules']).toHaveLength(1);
  });

  it('a repeated key is OR, different keys are AND', async () => {
    expect(ok(await c.get(`${RULES}?protocol=tcp&protocol=udp`))['security_group_rules']).toHaveLength(2);
    expect(ok(await c.get(`${RULES}?protocol=tcp&direction=egress`))['security_group_rules']).toHaveLength(0);
  });

  it('booleans filter as booleans; stateful=false, shared=False', async () => {
    await c.group({ name: 'stateless', stateful: false });
    const stateless = ok(await c.get(`${SG}?stateful=false`))['security_groups'] as Json[];
    expect(stateless.map((g) => g['name'])).toEqual(['stateless']);
    expect((ok(await c.get(`${SG}?shared=False`))['security_groups'] as Json[]).length).toBeGreaterThan(5);
    expectError(await c.get(`${SG}?stateful=perhaps`), 400, 'HTTPBadRequest');
  });

  it('every query parameter openstacksdk may send is accepted', async () => {
    const q = 'description=x&id=x&name=x&stateful=true&project_id=lists&tenant_id=lists&revision_number=1&shared=false&tags=a&tags-any=a&not-tags=a&not-tags-any=a';
    ok(await c.get(`${SG}?${q}`));
    const r = 'direction=ingress&protocol=tcp&remote_group_id=x&security_group_id=x&remote_address_group_id=x&port_range_min=1&port_range_max=2&remote_ip_prefix=10.0.0.0/8&ethertype=IPv4&description=x';
    ok(await c.get(`${RULES}?${r}`));
  });

  it('an unknown filter is 400 «… is invalid attribute for filtering»', async () => {
    expectError(await c.get(`${SG}?foo=1`), 400, 'HTTPBadRequest', "['foo'] is invalid attribute for filtering");
    expectError(await c.get(`${RULES}?tags=a`), 400, 'HTTPBadRequest', 'is invalid attribute for filtering');
    for (const key of ['constructor', '__proto__', 'toString']) {
      expectError(await c.get(`${SG}?${key}=1`), 400, 'HTTPBadRequest', 'is invalid attribute for filtering');
    }
  });

  it('changed_since filters by updated_at; a bad format is 400', async () => {
    expect((ok(await c.get(`${SG}?changed_since=2000-01-01T00:00:00Z`))['security_groups'] as Json[]).length).toBeGreaterThan(5);
    expect(ok(await c.get(`${SG}?changed_since=2999-01-01T00:00:00Z`))['security_groups']).toHaveLength(0);
    expectError(await c.get(`${SG}?changed_since=yesterday`), 400, 'HTTPBadRequest');
  });
});

describe('§5.2 fields', () => {
  it('returns only the asked keys, on lists and single resources; unknown names are absent', async () => {
    const list = ok(await c.get(`${SG}?fields=id&fields=name&fields=bogus`))['security_groups'] as Json[];
    for (const g of list) expect(Object.keys(g).sort()).toEqual(['id', 'name']);
    const one = ok(await c.get(`${SG}/${group['id']}?fields=name,tags`))['security_group'];
    expect(one).toEqual({ name: 'rules-here', tags: [] });
    const rule = ok(await c.get(`${RULES}?fields=protocol&protocol=udp`))['security_group_rules'];
    expect(rule).toEqual([{ protocol: 'udp' }]);
  });
});

describe('§5.3 sorting', () => {
  it('sorts by name case-insensitively, asc and desc', async () => {
    const names = async (dir: string) =>
      (ok(await c.get(`${SG}?sort_key=name&sort_dir=${dir}`))['security_groups'] as Json[]).map((g) => g['name'] as string);
    const asc = await names('asc');
    expect(asc).toEqual([...asc].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
    expect(asc.indexOf('Alpha')).toBeLessThan(asc.indexOf('bravo'));
    expect(await names('desc')).toEqual([...asc].reverse());
  });

  it('null sorts first ascending', async () => {
    const rules = ok(await c.get(`${RULES}?sort_key=protocol&sort_dir=asc&security_group_id=${group['id']}`))['security_group_rules'] as Json[];
    expect(rules[0]!['protocol']).toBeNull();
    expect(rules.map((r) => r['protocol'])).toEqual([null, null, 'icmp', 'tcp', 'udp']);
  });

  it('sort errors: count mismatch, unsortable key, bad direction', async () => {
    expectError(await c.get(`${SG}?sort_key=name&sort_key=id&sort_dir=asc`), 400, 'HTTPBadRequest', 'The number of sort_keys and sort_dirs must be same');
    expectError(await c.get(`${SG}?sort_key=name`), 400, 'HTTPBadRequest', 'The number of sort_keys and sort_dirs must be same');
    expectError(await c.get(`${SG}?sort_dir=asc`), 400, 'HTTPBadRequest', 'The number of sort_keys and sort_dirs must be same');
    expectError(await c.get(`${SG}?sort_key=description&sort_dir=asc`), 400, 'HTTPBadRequest', "['description'] is invalid attribute for sort_keys");
    expectError(await c.get(`${SG}?sort_key=name&sort_dir=up`), 400, 'HTTPBadRequest');
  });
});

describe('§5.4 pagination', () => {
  it('limit 1…5 returns exactly that many, limit=0 returns all; bad limits are 400', async () => {
    const all = ok(await c.get(SG))['security_groups'] as Json[];
    for (let n = 1; n <= 5; n++) expect(ok(await c.get(`${SG}?limit=${n}`))['security_groups']).toHaveLength(n);
    expect(ok(await c.get(`${SG}?limit=0`))['security_groups']).toHaveLength(all.length);
    expect(ok(await c.get(`${SG}?limit=0`))['security_groups_links']).toBeUndefined();
    for (const bad of ['-1', 'x', '1.5']) {
      expectError(await c.get(`${SG}?limit=${bad}`), 400, 'HTTPBadRequest', `Limit must be an integer 0 or greater and not '${bad}'`);
    }
  });

  it('links walk forwards through every item and backwards again', async () => {
    const all = ids(ok(await c.get(`${SG}?sort_key=name&sort_dir=asc`)), 'security_groups');
    const pathOf = (href: string) => new URL(href).pathname + new URL(href).search;
    const link = (body: Json, rel: string) => (body['security_groups_links'] as Json[]).find((l) => l['rel'] === rel)?.['href'] as string | undefined;

    let body = ok(await c.get(`${SG}?sort_key=name&sort_dir=asc&limit=2`));
    expect(link(body, 'previous')).toBeUndefined();
    const forward = [...ids(body, 'security_groups')];
    let pages = 1;
    for (let next = link(body, 'next'); next; next = link(body, 'next')) {
      expect(next).toContain('limit=2');
      body = ok(await c.get(pathOf(next)));
      forward.push(...ids(body, 'security_groups'));
      pages++;
    }
    expect(forward).toEqual(all);
    expect(pages).toBe(Math.ceil(all.length / 2));

    const backward = [...ids(body, 'security_groups')];
    for (let prev = link(body, 'previous'); prev; prev = link(body, 'previous')) {
      expect(prev).toContain('page_reverse=True');
      body = ok(await c.get(pathOf(prev)));
      backward.unshift(...ids(body, 'security_groups'));
    }
    expect(backward).toEqual(all);
  });

  it('marker is the last item seen; page_reverse pages backwards from it', async () => {
    const all = ids(ok(await c.get(`${SG}?sort_key=id&sort_dir=asc`)), 'security_groups');
    expect(ids(ok(await c.get(`${SG}?limit=2&marker=${all[1]}`)), 'security_groups')).toEqual(all.slice(2, 4));
    expect(ids(ok(await c.get(`${SG}?limit=2&marker=${all[3]}&page_reverse=True`)), 'security_groups')).toEqual(all.slice(1, 3));
  });
});
