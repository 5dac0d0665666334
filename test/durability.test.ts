// Durability: the built server killed with SIGKILL mid-stream keeps every write it acknowledged (SQLite and PostgreSQL).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCapability } from './support/capability.js';
import { call, dropSchema, POSTGRES_URL, scratchPostgres, scratchSqlite, type Database } from './support/server-harness.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/**
 * The server half of `npm run build` (tsc -p tsconfig.build.json), emitted to a private directory: the
 * console test runs the full build into dist/ at the same time, and two builds must not share files.
 * Real path: main.js starts only when argv[1] equals its own (resolved) URL.
 */
const OUT = realpathSync(mkdtempSync(join(ROOT, 'node_modules', '.palisade-durability-')));

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

/** `node <build>/main.js` on `db`, once it answers /healthz. */
async function spawnServer(db: Database): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, [join(OUT, 'main.js')], {
    env: { ...process.env, PALISADE_LISTEN: `127.0.0.1:${port}`, PALISADE_DATABASE_URL: databaseUrl(db), PALISADE_LOG_LEVEL: 'warn', PALISADE_AUTH: 'noauth' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 200 && child.exitCode === null; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { child, url };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`server did not start:\n${output}`);
}

async function stop(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const exited = new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
  child.kill(signal);
  await exited;
}

async function killMidStream(db: Database): Promise<void> {
  const first = await spawnServer(db);
  await call(first.url, 'admin', 'PUT', '/v2.0/quotas/durable', { quota: { security_group: -1, security_group_rule: -1 } });
  const acknowledged: string[] = [];
  let killed = false;
  const writers = Array.from({ length: 4 }, async (_, w) => {
    for (let i = 0; !killed; i++) {
      const r = await call(first.url, 'durable', 'POST', '/v2.0/security-groups', { security_group: { name: `w${w}-${i}` } }).catch(() => null);
      if (r?.status === 201) acknowledged.push(r.body.security_group.id);
    }
  });
  await new Promise((r) => setTimeout(r, 1500));
  await stop(first.child, 'SIGKILL');
  killed = true;
  await Promise.all(writers);
  expect(acknowledged.length).toBeGreaterThan(10);

  const second = await spawnServer(db);
  try {
    const list = (await call(second.url, 'durable', 'GET', '/v2.0/security-groups?fields=id')).body.security_groups as { id: string }[];
    const present = new Set(list.map((g) => g.id));
    expect(acknowledged.filter((id) => !present.has(id))).toEqual([]);
    const log = (await call(second.url, 'admin', 'GET', '/v2.0/palisade/changes?since=0&limit=10000')).body as { changes: { seq: number; id: string }[] };
    const seqs = log.changes.map((c) => c.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    const logged = new Set(log.changes.map((c) => c.id));
    expect(acknowledged.filter((id) => !logged.has(id))).toEqual([]);
  } finally {
    await stop(second.child, 'SIGTERM');
  }
}

describe('durability under SIGKILL (built server)', () => {
  beforeAll(() => {
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const build = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', OUT, '--sourceMap', 'false'], { cwd: ROOT, encoding: 'utf8' });
    // A type error elsewhere fails `npm test`'s own tsc run; here we only need the emitted server.
    if (!existsSync(join(OUT, 'main.js'))) throw new Error(`build failed:\n${build.stdout}\n${build.stderr}`);
  }, 120_000);
  afterAll(() => rmSync(OUT, { recursive: true, force: true }));

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
