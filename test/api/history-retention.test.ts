// Compaction and history (docs/history.md, "Retention"): the feed's count retention never cuts history younger than its days.
import { afterEach, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, type Harness, type Json } from '../support/api-harness.js';

const DAY = 86_400_000;
let h: Harness | undefined;
afterEach(async () => h?.close());

async function harness(historyRetentionDays: number) {
  let clock = Date.parse('2026-12-01T00:00:00Z');
  h = await makeHarness({ changeRetention: 2, historyRetentionDays, now: () => new Date(clock) });
  return { h, advance: (ms: number) => void (clock += ms) };
}

describe('history retention', () => {
  it('keeps records younger than the history retention, past the change retention, then drops them', async () => {
    const { h, advance } = await harness(30);
    const g = await h.as('ret').group({ name: 'kept' });
    for (const port of [1, 2, 3]) await h.as('ret').rule(g['id'], { protocol: 'tcp', port_range_min: port, port_range_max: port });
    const history = `/v2.0/palisade/security-groups/${g['id']}/history`;
    const all = (ok(await h.as('ret').get(history))['history'] as Json[]).length;
    await h.services.changes.compact();
    expect((ok(await h.as('ret').get(history))['history'] as Json[]).length).toBe(all);
    advance(31 * DAY);
    await h.as('ret').rule(g['id'], { protocol: 'tcp', port_range_min: 4, port_range_max: 4 });
    await h.services.changes.compact();
    // Only the feed's newest 2 records remain: the new rule and its group's revision bump.
    const left = ok(await h.as('ret').get(history))['history'] as Json[];
    expect(left.map((e) => [e['resource'], e['action']])).toEqual([['security_group', 'update'], ['security_group_rule', 'create']]);
    expectError(await h.admin.get('/v2.0/palisade/changes?since=0'), 410, 'ChangeSequenceExpired');
  });

  it('with no history retention, compaction keeps only the change retention', async () => {
    const { h } = await harness(0);
    const g = await h.as('ret0').group({ name: 'short' });
    await h.services.changes.compact();
    expect((ok(await h.as('ret0').get(`/v2.0/palisade/security-groups/${g['id']}/history`))['history'] as Json[]).length).toBe(2);
  });
});
