// The db tool: the PostgreSQL commands it prints (?schema= becomes pg_dump's --schema, shell-quoted), and SQLite backup and restore by config.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupDatabase, postgresCommands, restoreDatabase } from './db-tool.js';
import { loadConfig } from './config.js';
import { createSqliteStore } from './store/index.js';

describe('db tool for PostgreSQL', () => {
  it('moves ?schema= out of the URL into --schema and quotes for a shell', () => {
    const { dump, restore } = postgresCommands("postgres://u:p'w@db:5432/cloud?schema=palisade&sslmode=require", "/b/it's.dump");
    expect(dump).toBe(`pg_dump --format=custom --schema=palisade --file='/b/it'\\''s.dump' 'postgres://u:p'\\''w@db:5432/cloud?sslmode=require'`);
    expect(restore).toBe(`pg_restore --exit-on-error --no-owner --dbname='postgres://u:p'\\''w@db:5432/cloud?sslmode=require' '/b/it'\\''s.dump'`);
    expect(postgresCommands('postgres://db/cloud', 'x.dump').dump).toContain('--schema=public');
  });

  it('refuses to back up PostgreSQL itself, naming the command and the documented procedure', async () => {
    const config = loadConfig({ PALISADE_DATABASE_URL: 'postgres://db/cloud?schema=palisade' });
    await expect(backupDatabase('x.dump', config)).rejects.toThrow(/docs\/ops\/backup\.md[\s\S]*pg_dump --format=custom --schema=palisade /);
  });
});

describe('db tool for SQLite', () => {
  it('backs up and restores the configured SQLite file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'palisade-dbtool-'));
    await (await createSqliteStore(join(dir, 'p.db'))).close();
    const config = loadConfig({ PALISADE_DATABASE_URL: `sqlite:${join(dir, 'p.db')}` });
    await backupDatabase(join(dir, 'b.db'), config);
    const elsewhere = loadConfig({ PALISADE_DATABASE_URL: `sqlite:${join(dir, 'new', 'p.db')}` });
    await restoreDatabase(join(dir, 'b.db'), false, elsewhere);
    const store = await createSqliteStore(join(dir, 'new', 'p.db'));
    await store.close();
    await expect(restoreDatabase(join(dir, 'b.db'), false, elsewhere)).rejects.toThrow(/pass --force/);
  });
});
