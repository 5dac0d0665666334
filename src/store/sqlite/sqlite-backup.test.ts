// Online backup and restore of the SQLite store, in process: what a backup holds, and every refusal of restore.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { SecurityGroup } from '../../domain/index.js';
import { backupSqlite, DatabaseInUseError, NotPalisadeDatabaseError, restoreSqlite } from './sqlite-backup.js';
import { createSqliteStore } from './sqlite-store.js';

const AT = '2026-12-01T00:00:00Z';
const group = (id: string): SecurityGroup => ({
  id, projectId: 'p', name: id, description: '', stateful: true, isDefault: false, tags: [], revisionNumber: 1, createdAt: AT, updatedAt: AT,
});

describe('sqlite backup and restore', () => {
  it('a backup taken while the store is open holds what was committed; restore puts it at a new path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-backup-'));
    const store = await createSqliteStore(join(dir, 'live.db'));
    try {
      await store.transaction(async (s) => s.insertGroup(group('before')));
      await backupSqlite(join(dir, 'live.db'), join(dir, 'b.db'));
      await store.transaction(async (s) => s.insertGroup(group('after')));
      await expect(backupSqlite(join(dir, 'live.db'), join(dir, 'b.db'))).rejects.toThrow(/exists; choose a new file/);
      await expect(backupSqlite(join(dir, 'missing.db'), join(dir, 'c.db'))).rejects.toThrow(/no database at/);
      // Restoring over the open database is refused: the store holds it.
      await expect(restoreSqlite(join(dir, 'b.db'), join(dir, 'live.db'), true)).rejects.toBeInstanceOf(DatabaseInUseError);
    } finally {
      await store.close();
    }
    await expect(restoreSqlite(join(dir, 'b.db'), join(dir, 'live.db'), false)).rejects.toThrow(/pass --force/);
    await restoreSqlite(join(dir, 'b.db'), join(dir, 'restored', 'r.db'), false);
    const restored = await createSqliteStore(join(dir, 'restored', 'r.db'));
    try {
      expect((await restored.listGroups({ ids: ['before', 'after'] })).map((g) => g.id)).toEqual(['before']);
    } finally {
      await restored.close();
    }
    await restoreSqlite(join(dir, 'b.db'), join(dir, 'live.db'), true);
    const replaced = await createSqliteStore(join(dir, 'live.db'));
    try {
      expect((await replaced.listGroups({ ids: ['before', 'after'] })).map((g) => g.id)).toEqual(['before']);
    } finally {
      await replaced.close();
    }
  });

  it('restore refuses a file that is not SQLite, or not a Palisade database', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-backup-'));
    writeFileSync(join(dir, 'text.db'), 'not a database at all, just text that is long enough to be read as a header');
    await expect(restoreSqlite(join(dir, 'text.db'), join(dir, 't.db'), false)).rejects.toBeInstanceOf(NotPalisadeDatabaseError);
    const other = new SqliteDatabase(join(dir, 'other.db'));
    other.exec('create table notes (id integer primary key)');
    other.close();
    await expect(restoreSqlite(join(dir, 'other.db'), join(dir, 't.db'), false)).rejects.toThrow(/no migration table/);
  });
});
