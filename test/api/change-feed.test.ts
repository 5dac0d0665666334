// The change log (issue #2 item 9, docs/change-feed.md): admin only, ordered, every write, long-polling.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, networkWithSubnet, ok, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
beforeAll(async () => {
  h = await makeHarness();
});
afterAll(() => h.close());

const CHANGES = '/v2.0/palisade/changes';

async function changesSince(since: number): Promise<Json[]> {
  return ok(await h.admin.get(`${CHANGES}?since=${since}`))['changes'] as Json[];
}

describe('change log', () => {
  it('is admin only', async () => {
    expectError(await h.as('feed-user').get(CHANGES), 403, 'PolicyNotAuthorized');
  });

  it('every write appears, in strictly increasing seq order, with its object', async () => {
    const c = h.as('feed');
    const start = await h.latestSeq();
    const g = await c.group({ name: 'fed' });
    const rule = await c.rule(g['id'], { protocol: 'tcp', port_range_min: 80, port_range_max: 80 });
    ok(await c.put(`/v2.0/security-groups/${g['id']}`, { security_group: { description: 'd' } }));
    const { network } = await networkWithSubnet(c);
    const port = await c.port(network['id'], { security_groups: [g['id']] });
    ok(await c.put(`/v2.0/ports/${port['id']}`, { port: { security_groups: [] } }));
    ok(await c.del(`/v2.0/ports/${port['id']}`), 204);
    ok(await c.del(`/v2.0/security-group-rules/${rule['id']}`), 204);
    ok(await c.del(`/v2.0/security-groups/${g['id']}`), 204);

    const log = await changesSince(start);
    const seqs = log.map((x) => x['seq'] as number);
    for (let i = 1; i < seqs.length; i++) expect(seqs[i]).toBeGreaterThan(seqs[i - 1]!);
    expect(seqs[0]).toBeGreaterThan(start);
    const has = (resource: string, action: string, id: string) =>
      log.some((x) => x['resource'] === resource && x['action'] === action && x['id'] === id);
    expect(has('security_group', 'create', g['id'])).toBe(true);
    expect(has('security_group_rule', 'create', rule['id'])).toBe(true);
    expect(has('security_group', 'update', g['id'])).toBe(true);
    expect(has('network', 'create', network['id'])).toBe(true);
    expect(has('port', 'create', port['id'])).toBe(true);
    expect(has('port', 'update', port['id'])).toBe(true);
    expect(has('port', 'delete', port['id'])).toBe(true);
    expect(has('security_group_rule', 'delete', rule['id'])).toBe(true);
    expect(has('security_group', 'delete', g['id'])).toBe(true);
    const created = log.find((x) => x['id'] === rule['id'] && x['action'] === 'create')!;
    expect(created['object']).toMatchObject({ id: rule['id'], protocol: 'tcp', port_range_min: 80 });
    expect(created['project_id']).toBe('feed');
    expect(log.find((x) => x['action'] === 'delete')!['object']).toBeNull();
    expect(ok(await h.admin.get(`${CHANGES}?since=${start}`))['latest_seq']).toBe(seqs[seqs.length - 1]);
  });

  it('since and limit page through the log; bad parameters are 400', async () => {
    const start = await h.latestSeq();
    await h.as('feed-page').group();
    const first = ok(await h.admin.get(`${CHANGES}?since=${start}&limit=1`))['changes'] as Json[];
    expect(first).toHaveLength(1);
    const rest = await changesSince(first[0]!['seq']);
    expect(rest.length).toBeGreaterThan(0);
    expect(rest[0]!['seq']).toBeGreaterThan(first[0]!['seq']);
    for (const q of ['since=-1', 'since=x', 'limit=abc', 'wait=61', 'foo=1']) expectError(await h.admin.get(`${CHANGES}?${q}`), 400, 'HTTPBadRequest');
  });

  it('a refused write leaves the log untouched', async () => {
    const before = await h.latestSeq();
    expectError(await h.as('feed-bad').post('/v2.0/security-groups', { security_group: { name: 'default' } }), 409);
    expect(await h.latestSeq()).toBe(before);
  });

  it('long-poll with wait=1 returns as soon as a write happens', async () => {
    const since = await h.latestSeq();
    const started = Date.now();
    const waiting = h.admin.get(`${CHANGES}?since=${since}&wait=20`);
    await new Promise((r) => setTimeout(r, 100));
    await h.as('feed-wait').group({ name: 'wake' });
    const page = ok(await waiting);
    // Well under the 20 s wait even on a loaded machine: the write woke the poller.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((page['changes'] as Json[]).length).toBeGreaterThan(0);
    const idle = Date.now();
    const empty = ok(await h.admin.get(`${CHANGES}?since=${await h.latestSeq()}&wait=1`));
    expect(empty['changes']).toEqual([]);
    expect(Date.now() - idle).toBeGreaterThanOrEqual(900);
  });
});
