// The store contract against PostgreSQL, plus what only PostgreSQL has: schemas, migration lock, NOTIFY.
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { hasCapability } from '../../../test/support/capability.js';
import type { Store } from '../store.js';
import { runIdentityStoreContract } from '../identity-store.contract.js';
import { runDefaultRuleContract } from '../default-rules.contract.js';
import { runListContract } from '../list.contract.js';
import { runStoreContract } from '../store.contract.js';
import { createPostgresStore } from './postgres-store.js';

const url = process.env['PALISADE_TEST_POSTGRES_URL'];
const stamp = `${process.pid}_${Date.now() % 1e8}`;
const schemas: string[] = [];
function newSchema(tag: string): string {
  const schema = `palisade_test_${tag}_${stamp}`;
  schemas.push(schema);
  return schema;
}

async function sqlAsAdmin<R extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<R>(text, values)).rows;
  } finally {
    await client.end();
  }
}

async function until(check: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

const change = { resource: 'security_group', action: 'create', id: 'x', projectId: 'p', object: null, at: '2026-11-28T00:00:00Z' } as const;

describe('postgres store', () => {
  if (!hasCapability('PostgreSQL', url ? null : 'set PALISADE_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')) return;
  afterAll(async () => {
    for (const s of schemas) await sqlAsAdmin(`drop schema if exists ${s} cascade`);
  });

  runStoreContract('postgres', () => createPostgresStore(url!, { schema: newSchema('contract') }));
  runIdentityStoreContract('postgres', () => createPostgresStore(url!, { schema: newSchema('identity') }));
  runListContract('postgres', () => createPostgresStore(url!, { schema: newSchema('lists') }));
  runDefaultRuleContract('postgres', () => createPostgresStore(url!, { schema: newSchema('templates') }));

  it('?schema= in the URL picks (and creates) the schema', async () => {
    const schema = newSchema('url');
    const store = await createPostgresStore(`${url}?schema=${schema}`);
    await store.close();
    const tables = await sqlAsAdmin<{ n: number }>('select count(*)::int as n from information_schema.tables where table_schema = $1 and table_name = $2', [schema, 'changes']);
    expect(tables[0]?.n).toBe(1);
    await expect(createPostgresStore(`${url}?schema=Bad-Name`)).rejects.toThrow(/schema name/);
  });

  it('replicas starting at once on a fresh schema migrate it exactly once', async () => {
    const schema = newSchema('migrate');
    const stores = await Promise.all(Array.from({ length: 5 }, () => createPostgresStore(url!, { schema })));
    try {
      const applied = await sqlAsAdmin<{ name: string }>(`select name from ${schema}.kysely_migration order by name`);
      expect(new Set(applied.map((r) => r.name)).size).toBe(applied.length);
      expect(applied.length).toBeGreaterThan(0);
      await Promise.all(stores.map((s) => s.latestChangeSeq()));
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  describe('commit notifications', () => {
    let writer: Store;
    let follower: Store;
    const seen: (number | null)[] = [];
    afterAll(async () => {
      await writer?.close();
      await follower?.close();
    });

    it("carry a committed transaction's newest seq to another store; a rollback sends none", async () => {
      const schema = newSchema('notify');
      writer = await createPostgresStore(url!, { schema });
      follower = await createPostgresStore(url!, { schema });
      follower.watchCommits((seq) => seen.push(seq));
      await until(() => seen.includes(null));
      await expect(writer.transaction(async (s) => {
        await s.appendChange(change);
        throw new Error('roll back');
      })).rejects.toThrow('roll back');
      const last = await writer.transaction(async (s) => {
        await s.appendChange(change);
        return s.appendChange(change);
      });
      expect(last).toBe(2);
      await until(() => seen.includes(2));
      expect(seen.filter((s) => s !== null)).toEqual([2]);
    });

    it('the listener reconnects when its connection is killed, and asks for a re-read', async () => {
      const killed = await sqlAsAdmin<{ ok: boolean }>(
        'select pg_terminate_backend(pid) as ok from pg_stat_activity where application_name = $1',
        [`palisade_changes_${schemas.at(-1)}`],
      );
      expect(killed.length).toBeGreaterThan(0);
      seen.length = 0;
      await until(() => seen.includes(null));
      await writer.transaction((s) => s.appendChange(change));
      await until(() => seen.includes(3));
    });
  });
});
