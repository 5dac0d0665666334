// The store and list contracts against SQLite (an in-memory database and a real file), and upgrading an old file.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runIdentityStoreContract } from '../identity-store.contract.js';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, SqliteDialect } from 'kysely';
import { describe, expect, it } from 'vitest';
import { runDefaultRuleContract } from '../default-rules.contract.js';
import { runListContract } from '../list.contract.js';
import { identitySchema } from '../migrations/identity-schema.js';
import { initialSchema } from '../migrations/initial-schema.js';
import { rbacSchema } from '../migrations/rbac-schema.js';
import { runStoreContract } from '../store.contract.js';
import { createSqliteStore } from './sqlite-store.js';

runStoreContract('sqlite (file)', () => createSqliteStore(join(mkdtempSync(join(tmpdir(), 'palisade-')), 'p.db')));
runStoreContract('sqlite (memory)', () => createSqliteStore(':memory:'));
runIdentityStoreContract('sqlite', () => createSqliteStore(':memory:'));
runListContract('sqlite', () => createSqliteStore(':memory:'));
runDefaultRuleContract('sqlite', () => createSqliteStore(':memory:'));

describe('migrations 005 and 012 on an existing database', () => {
  it("fills normalized_cidr and the group's project of existing rules, so lists filter on them after the upgrade", async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'palisade-')), 'old.db');
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(path) }) });
    const upTo003 = { '001-initial-schema': initialSchema('sqlite'), '002-identity': identitySchema(), '003-rbac-policies': rbacSchema() };
    expect((await new Migrator({ db, provider: { getMigrations: async () => upTo003 } }).migrateToLatest()).error).toBeUndefined();
    const at = '2026-11-28T00:00:00Z';
    const group = { id: 'g1', project_id: 'p', name: 'g', description: '', stateful: 1, is_default: 0, revision_number: 1, created_at: at, updated_at: at };
    await db.insertInto('security_groups').values(group).execute();
    await db.insertInto('security_group_rules').values({
      id: 'r1', security_group_id: 'g1', project_id: 'p', direction: 'ingress', ethertype: 'IPv4', protocol: null, port_range_min: null,
      port_range_max: null, remote_ip_prefix: '10.0.0.34/24', remote_group_id: null, remote_address_group_id: null, description: '',
      identity: 'x', revision_number: 1, created_at: at, updated_at: at,
    }).execute();
    // A rule another project owns in p's group: p sees it through the group's project (migration 012).
    await db.insertInto('security_group_rules').values({
      id: 'r2', security_group_id: 'g1', project_id: 'q', direction: 'egress', ethertype: 'IPv4', protocol: null, port_range_min: null,
      port_range_max: null, remote_ip_prefix: null, remote_group_id: null, remote_address_group_id: null, description: '',
      identity: 'y', revision_number: 1, created_at: at, updated_at: at,
    }).execute();
    await db.destroy();
    const store = await createSqliteStore(path);
    const query = { filters: [{ key: 'normalized_cidr', values: ['10.0.0.0/24'] }], sorts: [], limit: null, reverse: false, fields: [] };
    expect((await store.listRulePage(query, { projectId: 'p', admin: false })).items.map((l) => l.rule.id)).toEqual(['r1']);
    const all = { ...query, filters: [] };
    expect((await store.listRulePage(all, { projectId: 'p', admin: false })).items.map((l) => l.rule.id)).toEqual(['r1', 'r2']);
    await store.close();
  });
});
