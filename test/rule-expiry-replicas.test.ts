// Rule expiry on two replicas of one PostgreSQL schema: both run the job at once, and each rule is deleted exactly once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices, makeRequestContext, type Services } from '../src/service/index.js';
import { createPostgresStore, type Store } from '../src/store/index.js';
import { hasCapability } from './support/capability.js';
import { dropSchema, POSTGRES_URL, scratchPostgres } from './support/server-harness.js';

describe('rule expiry on two PostgreSQL replicas', () => {
  if (!hasCapability('PostgreSQL', POSTGRES_URL ? null : 'set PALISADE_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')) return;
  let schema: string;
  let stores: Store[] = [];
  let replicas: Services[] = [];
  let clock = Date.parse('2026-12-01T10:00:00Z');
  const now = () => new Date(clock);

  beforeAll(async () => {
    const s = scratchPostgres();
    schema = s.schema;
    const url = s.database.kind === 'postgres' ? s.database.url : '';
    // One after the other: the first migrates the schema.
    stores = [await createPostgresStore(url), await createPostgresStore(url)];
    replicas = stores.map((store) => createServices({ store, now }));
  });
  afterAll(async () => {
    for (const r of replicas) await r.stop();
    for (const s of stores) await s.close();
    await dropSchema(schema);
  });

  it('deletes each expired rule once, whichever replica gets there first', async () => {
    const ctx = makeRequestContext('exp-pg', ['member']);
    const [a, b] = replicas as [Services, Services];
    const [group] = await a.securityGroups.create(ctx, [{ name: 'temporary' }]);
    const drafts = Array.from({ length: 40 }, (_, i) => ({
      securityGroupId: group!.group.id, direction: 'ingress', protocol: 'tcp', portRangeMin: 1000 + i, portRangeMax: 1000 + i,
      expiresAt: new Date(clock + 60_000).toISOString(),
    }));
    const rules = await b.rules.create(ctx, drafts);
    const before = await stores[0]!.latestChangeSeq();
    clock += 60_000;
    const deleted = await Promise.all([a.rules.expireDue(), b.rules.expireDue(), a.rules.expireDue(), b.rules.expireDue()]);
    expect(deleted.reduce((x, y) => x + y, 0)).toBe(rules.length);
    const changes = await stores[1]!.listChanges(before, 10_000);
    const ruleDeletes = changes.filter((c) => c.resource === 'security_group_rule' && c.action === 'delete').map((c) => c.id);
    expect(ruleDeletes.sort()).toEqual(rules.map((r) => r.rule.id).sort());
    expect(changes.every((c) => c.actor?.userName === 'system')).toBe(true);
    // No delete was applied twice: the group's revision moved once per deleted rule.
    const [after] = await stores[0]!.listGroups({ ids: [group!.group.id] });
    // One bump for the bulk create, then one per delete.
    expect(after!.revisionNumber).toBe(group!.group.revisionNumber + 1 + rules.length);
  });
});
