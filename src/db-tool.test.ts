// The PostgreSQL commands the CLI prints: Palisade's ?schema= becomes pg_dump's --schema, and both paste into a shell as they are.
import { describe, expect, it } from 'vitest';
import { backupDatabase, postgresCommands } from './db-tool.js';
import { loadConfig } from './config.js';

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
