// `palisade db backup|restore` against a real server under write load: every write acknowledged before the backup began survives a restore.
import { execFile } from 'node:child_process';
import { copyFileSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import SqliteDatabase from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { spawnServer, type ServerProcess } from '../bench/server-process.js';
import { call } from './support/server-harness.js';

const run = promisify(execFile);

/** The CLI as an operator runs it, the database named the way the server is told it. */
async function cli(databasePath: string, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(join('node_modules', '.bin', 'tsx'), ['src/cli/main.ts', 'db', ...args], {
      env: { ...process.env, PALISADE_DATABASE_URL: `sqlite:${databasePath}`, PALISADE_CONFIG: '' },
      timeout: 60_000,
    });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const failed = e as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

/** Creates groups, each in a project of its own (no quota ends the load), until stopped; `acked` grows as replies arrive. */
function writeLoad(url: string, workers: number): { acked: string[]; failures: string[]; stop(): Promise<void> } {
  const acked: string[] = [];
  const failures: string[] = [];
  let running = true;
  let n = 0;
  const worker = async () => {
    while (running) {
      const i = n++;
      const reply = await call(url, `load-${i}`, 'POST', '/v2.0/security-groups', { security_group: { name: `g-${i}` } });
      if (reply.status === 201) acked.push(reply.body.security_group.id as string);
      else failures.push(`${reply.status} ${JSON.stringify(reply.body)}`);
    }
  };
  const done = Promise.all(Array.from({ length: workers }, worker));
  return { acked, failures, stop: async () => { running = false; await done; } };
}

describe('palisade db backup and restore (SQLite)', () => {
  const servers: ServerProcess[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'palisade-backup-'));
  afterEach(async () => {
    for (const s of servers.splice(0)) await s.stop();
  });

  it('backs up under write load; a new server on the restored copy has every write acknowledged before the backup began', async () => {
    const live = join(dir, 'live.db');
    const server = await spawnServer(`sqlite:${live}`);
    servers.push(server);
    const load = writeLoad(server.url, 4);
    while (load.acked.length < 50) await new Promise((r) => setTimeout(r, 20));

    const beforeBackup = [...load.acked];
    const backup = await cli(live, 'backup', join(dir, 'mid-load.bak'));
    const duringBackup = load.acked.length - beforeBackup.length;
    await load.stop();
    expect(backup.code, backup.stderr).toBe(0);
    expect(load.failures).toEqual([]);
    expect(duringBackup).toBeGreaterThan(0); // the server really was writing while the backup ran

    // While the server has its file open, restoring over it is refused and leaves it alone.
    const overLive = await cli(live, 'restore', '--force', join(dir, 'mid-load.bak'));
    expect(overLive.code).not.toBe(0);
    expect(overLive.stderr).toMatch(/in use .*stop the server/);
    expect((await call(server.url, 'admin', 'GET', `/v2.0/security-groups/${load.acked.at(-1)}`)).status).toBe(200);
    await server.stop();

    const restoredPath = join(dir, 'restored', 'palisade.db');
    const restore = await cli(restoredPath, 'restore', join(dir, 'mid-load.bak'));
    expect(restore.code, restore.stderr).toBe(0);
    const restored = await spawnServer(`sqlite:${restoredPath}`);
    servers.push(restored);
    const missing: string[] = [];
    for (const id of beforeBackup) {
      if ((await call(restored.url, 'admin', 'GET', `/v2.0/security-groups/${id}`)).status !== 200) missing.push(id);
    }
    expect(missing).toEqual([]);
    // The restored server takes writes again.
    expect((await call(restored.url, 'after', 'POST', '/v2.0/security-groups', { security_group: { name: 'after' } })).status).toBe(201);
  }, 120_000);

  it('refuses to restore a file that is not a Palisade database, or one from a newer Palisade', async () => {
    const target = join(dir, 'refused', 'palisade.db');
    const junk = join(dir, 'junk.bak');
    writeFileSync(junk, 'not a database at all\n'.repeat(100));
    const other = join(dir, 'other.bak');
    const sqlite = new SqliteDatabase(other);
    sqlite.exec('create table notes (body text)');
    sqlite.close();

    for (const file of [junk, other]) {
      const refused = await cli(target, 'restore', file);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toContain('is not a Palisade database');
    }

    const live = join(dir, 'newer-source.db');
    const server = await spawnServer(`sqlite:${live}`);
    servers.push(server);
    const newer = join(dir, 'newer.bak');
    expect((await cli(live, 'backup', newer)).code).toBe(0);
    const db = new SqliteDatabase(newer);
    db.prepare(`insert into kysely_migration (name, timestamp) values ('999-from-the-future', '2030-01-01T00:00:00.000Z')`).run();
    db.close();
    const refused = await cli(target, 'restore', newer);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('migrated by a newer Palisade (migrations this version does not know: 999-from-the-future)');

    // Nothing refused was put in place: the target is still absent, so a restore of a good backup proceeds.
    const good = join(dir, 'good.bak');
    copyFileSync(newer, good);
    const fixed = new SqliteDatabase(good);
    fixed.prepare(`delete from kysely_migration where name = '999-from-the-future'`).run();
    fixed.close();
    expect((await cli(target, 'restore', good)).code).toBe(0);
  }, 120_000);
});
