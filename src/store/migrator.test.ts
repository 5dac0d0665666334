import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createSqliteStore } from './index.js';

describe('migrations', () => {
  it('refuse a database a newer Palisade migrated, naming what they do not know', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'palisade-migrator-')), 'p.db');
    const store = await createSqliteStore(path);
    expect(await store.pendingMigrations()).toEqual([]);
    await store.close();
    const raw = new SqliteDatabase(path);
    raw.prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('999-from-the-future', new Date().toISOString());
    raw.close();
    await expect(createSqliteStore(path)).rejects.toThrow(/migrated by a newer Palisade \(migrations this version does not know: 999-from-the-future\)/);
  });
});
