// Expiring rules (issue 17 item 2, docs/history.md): validation, deletion as the system, history, the feed's ordinary delete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectError, makeHarness, ok, type Harness, type Json } from '../support/api-harness.js';

let h: Harness;
let clock = Date.parse('2026-12-01T10:00:00Z');
beforeAll(async () => {
  h = await makeHarness({ now: () => new Date(clock) });
});
afterAll(() => h.close());

const RULES = '/v2.0/security-group-rules';
const at = (offsetSeconds: number) => new Date(clock + offsetSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

function ruleBody(groupId: string, port: number, expiresAt?: unknown): Json {
  return { security_group_rule: { security_group_id: groupId, direction: 'ingress', protocol: 'tcp', port_range_min: port, port_range_max: port, ...(expiresAt !== undefined && { expires_at: expiresAt }) } };
}

describe('expiring rules', () => {
  it('is listed as a Palisade extension', async () => {
    const ext = ok(await h.as('exp').get('/v2.0/extensions/palisade-rule-expiry'))['extension'] as Json;
    expect(ext['alias']).toBe('palisade-rule-expiry');
  });

  it('takes expires_at on create, normalised to UTC, and shows null on rules without one', async () => {
    const g = await h.as('exp').group({ name: 'temp' });
    const rule = ok(await h.as('exp').post(RULES, ruleBody(g['id'], 22, '2026-12-01T12:00:00+01:00')), 201)['security_group_rule'] as Json;
    expect(rule['expires_at']).toBe('2026-12-01T11:00:00Z');
    expect(ok(await h.as('exp').get(`${RULES}/${rule['id']}`))['security_group_rule']['expires_at']).toBe('2026-12-01T11:00:00Z');
    const plain = await h.as('exp').rule(g['id'], { protocol: 'tcp', port_range_min: 80, port_range_max: 80 });
    expect(plain['expires_at']).toBeNull();
  });

  it.each([
    [at(-1), 'is not in the future'],
    ['2026-12-01 11:00', 'is not an ISO 8601'],
    ['2026-12-01T11:00:00', 'is not an ISO 8601'],
    [3600, 'is not an ISO 8601'],
  ])('refuses expires_at %s with a Neutron 400', async (value, reason) => {
    const g = await h.as('exp-bad').defaultGroup();
    expectError(await h.as('exp-bad').post(RULES, ruleBody(g['id'], 2222, value)), 400, 'SecurityGroupRuleInvalidExpiry', 'expires_at', reason);
  });

  it('deletes a rule when its time comes, as the system, with a history entry and an ordinary delete in the feed', async () => {
    const c = h.as('exp-run');
    const g = await c.group({ name: 'window' });
    const soon = ok(await c.post(RULES, ruleBody(g['id'], 443, at(60))), 201)['security_group_rule'] as Json;
    const later = ok(await c.post(RULES, ruleBody(g['id'], 8443, at(3600))), 201)['security_group_rule'] as Json;
    const before = await h.latestSeq();
    expect(await h.services.rules.expireDue()).toBe(0);
    clock += 59_000;
    expect(await h.services.rules.expireDue()).toBe(0);
    clock += 1_000;
    expect(await h.services.rules.expireDue()).toBe(1);
    expectError(await c.get(`${RULES}/${soon['id']}`), 404, 'SecurityGroupRuleNotFound');
    expect(ok(await c.get(`${RULES}/${later['id']}`))['security_group_rule']['id']).toBe(later['id']);
    expect(await h.services.rules.expireDue()).toBe(0);

    const feed = ok(await h.admin.get(`/v2.0/palisade/changes?since=${before}`))['changes'] as Json[];
    expect(feed.map((ch) => [ch['resource'], ch['action'], ch['id']])).toEqual([
      ['security_group_rule', 'delete', soon['id']],
      ['security_group', 'update', g['id']],
    ]);
    const entry = (ok(await c.get(`/v2.0/palisade/security-groups/${g['id']}/history`))['history'] as Json[])
      .find((e) => e['action'] === 'delete' && e['id'] === soon['id'])!;
    expect(entry['actor']).toMatchObject({ user_id: null, user_name: 'system', project_id: null, request_id: null });
    expect(entry['before']).toMatchObject({ id: soon['id'], port_range_min: 443, expires_at: soon['expires_at'] });
  });
});
