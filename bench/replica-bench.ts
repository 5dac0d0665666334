// Replica benchmark: the API numbers on SQLite, PostgreSQL with one replica and with two, in one run.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { API_HEADER, call, floorP50, measure } from './api-bench.js';
import { printTable, reportLoad } from './bench-support.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const POSTGRES_URL = process.env['PALISADE_BENCH_POSTGRES_URL'] ?? process.env['PALISADE_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const HEADERS = { 'x-project-id': 'bench', 'x-roles': 'admin', 'content-type': 'application/json' };
const LOAD_SECONDS = 5;

/** The part of autocannon 9 used here (it ships no types). */
interface LoadRequest {
  method?: string;
  path?: string;
  setupRequest?: (req: { body?: string }) => { body?: string };
}
interface LoadResult {
  requests: { total: number };
  latency: { p50: number; p99: number };
  duration: number;
  non2xx: number;
  errors: number;
}
type Autocannon = (options: { url: string; connections: number; duration: number; headers: Record<string, string>; requests: LoadRequest[] }) => Promise<LoadResult>;
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** One replica in its own process (two replicas in one process would share one event loop). */
async function spawnReplica(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main.ts')], {
    cwd: ROOT,
    env: { ...process.env, PALISADE_LISTEN: `127.0.0.1:${port}`, PALISADE_DATABASE_URL: databaseUrl, PALISADE_LOG_LEVEL: 'warn', PALISADE_AUTH: 'noauth' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300 && child.exitCode === null; i++) {
    if (await fetch(`${url}/healthz`).then((r) => r.ok, () => false)) return { url, child };
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  throw new Error(`replica on ${databaseUrl} did not start`);
}

/** autocannon against every replica at once, the connections split between them; one table row. */
async function spread(label: string, name: string, urls: readonly string[], connections: number, request: LoadRequest): Promise<string[]> {
  const results = await Promise.all(urls.map((url) => autocannon({
    url, connections: connections / urls.length, duration: LOAD_SECONDS, headers: HEADERS, requests: [request],
  })));
  const total = results.reduce((n, r) => n + r.requests.total, 0);
  const failed = results.reduce((n, r) => n + r.non2xx + r.errors, 0);
  const worst = (key: 'p50' | 'p99') => Math.max(...results.map((r) => r.latency[key])).toFixed(2);
  return [label, `${name}, ${connections} conns${failed > 0 ? ` (${failed} failed)` : ''}`, worst('p50'), worst('p99'), (total / LOAD_SECONDS).toFixed(0), ''];
}

async function loadRows(label: string, urls: readonly string[]): Promise<string[][]> {
  const api = `${urls[0]}/v2.0`;
  const groups = (await call(`${api}/security-groups?name=hundred`)) as { security_groups: { id: string }[] };
  const g100 = groups.security_groups[0]!.id;
  const g = ((await call(`${api}/security-groups`, 'POST', { security_group: { name: 'autocannon' } })) as { security_group: { id: string } }).security_group.id;
  let port = 0;
  const body = () => JSON.stringify({ security_group_rule: { security_group_id: g, direction: 'egress', protocol: 'udp', port_range_min: ++port % 65535 + 1, port_range_max: port % 65535 + 1 } });
  return [
    await spread(label, 'autocannon GET group with 100 rules', urls, 32, { method: 'GET', path: `/v2.0/security-groups/${g100}` }),
    await spread(label, 'autocannon rule creates', urls, 16, { method: 'POST', path: '/v2.0/security-group-rules', setupRequest: (req) => ({ ...req, body: body() }) }),
  ];
}

async function withReplicas(databaseUrl: string, replicas: number, work: (urls: string[]) => Promise<string[][]>): Promise<string[][]> {
  // One first, so the others find the schema migrated and do not queue behind its lock in the timings.
  const first = await spawnReplica(databaseUrl);
  const rest = await Promise.all(Array.from({ length: replicas - 1 }, () => spawnReplica(databaseUrl)));
  const all = [first, ...rest];
  try {
    return await work(all.map((r) => r.url));
  } finally {
    for (const r of all) {
      const exited = new Promise((resolve) => r.child.once('exit', resolve));
      r.child.kill('SIGTERM');
      await exited;
    }
  }
}

async function postgresAvailable(): Promise<boolean> {
  const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    await client.end();
    return true;
  } catch {
    return false;
  }
}

async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

export async function runReplicaBench(): Promise<void> {
  const rows: string[][] = [];
  let floor = NaN;
  const sqlite = `sqlite:${join(mkdtempSync(join(tmpdir(), 'palisade-bench-')), 'p.db')}`;
  rows.push(...(await withReplicas(sqlite, 1, async (urls) => {
    floor = await floorP50(urls[0]!);
    return [...(await measure('SQLite', urls, floor)), ...(await loadRows('SQLite', urls))];
  })));
  if (await postgresAvailable()) {
    for (const replicas of [1, 2]) {
      const schema = `palisade_bench_${process.pid}_${replicas}`;
      const label = `PostgreSQL ×${replicas}`;
      try {
        rows.push(...(await withReplicas(`${POSTGRES_URL}?schema=${schema}`, replicas, async (urls) => [
          ...(await measure(label, urls, floor)),
          ...(await loadRows(label, urls)),
        ])));
      } finally {
        await dropSchema(schema);
      }
    }
  } else {
    process.stdout.write(`PostgreSQL not reachable at ${POSTGRES_URL}: PostgreSQL rows skipped\n`);
  }
  printTable(
    `API with replicas (each replica its own process; HTTP on loopback; floor = GET /healthz p50 on SQLite, ${(floor * 1000).toFixed(3)} ms; ×2 = requests spread over two replicas)`,
    API_HEADER,
    rows,
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  reportLoad();
  await runReplicaBench();
}
