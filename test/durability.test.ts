// Durability: a server killed with SIGKILL mid-stream keeps every write it acknowledged (SQLite and PostgreSQL).
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { hasCapability } from './support/capability.js';
import { call, dropSchema, POSTGRES_URL, scratchPostgres, scratchSqlite, startReplica, type Database } from './support/server-harness.js';

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function databaseUrl(db: Database): string {
  return db.kind === 'sqlite' ? `sqlite:${db.path}` : db.url;
}

async function spawnServer(db: Database): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: { ...process.env, PALISADE_LISTEN: `127.0.0.1:${port}`, PALISADE_DATABASE_URL: databaseUrl(db), PALISADE_LOG_LEVEL: 'silent' },
    stdio: 'ignore',
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200; i++) {
    const up = await fetch(`${url}/healthz`).then((r) => r.ok, () => false);
    if (up) return { child, url };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error('server did not start');
}

async function killMidStream(db: Database): Promise<void> {
  const { child, url } = await spawnServer(db);
  await call(url, 'admin', 'PUT', '/v2.0/quotas/durable', { quota: { security_group: -1, security_group_rule: -1 } });
  const acknowledged: string[] = [];
  let stop = false;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; !stop; i++) {
      const r = await call(url, 'durable', 'POST', '/v2.0/security-groups', { security_group: { name: `w${w}-${i}` } }).catch(() => null);
      if (r?.status === 201) acknowledged.push(r.body.security_group.id);
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  child.kill('SIGKILL');
  stop = true;
  await Promise.all(writers);
  expect(acknowledged.length).toBeGreaterThan(10);
  const restarted = await startReplica(db);
  try {
    const list = (await call(restarted.url, 'durable', 'GET', '/v2.0/security-groups?fields=id')).body.security_groups as { id: string }[];
    const present = new Set(list.map((g) => g.id));
    expect(acknowledged.filter((id) => !present.has(id))).toEqual([]);
  } finally {
    await restarted.close();
  }
}

describe('durability under SIGKILL', () => {
  it('SQLite keeps every acknowledged write', () => killMidStream(scratchSqlite()), 60_000);

  describe('PostgreSQL', () => {
    if (!hasCapability('PostgreSQL', POSTGRES_URL ? null : 'set PALISADE_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')) return;
    it('keeps every acknowledged write', async () => {
      const { database, schema } = scratchPostgres();
      try {
        await killMidStream(database);
      } finally {
        await dropSchema(schema);
      }
    }, 60_000);
  });
});
