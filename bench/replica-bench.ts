// Replica benchmark: the API numbers on SQLite, PostgreSQL with one replica and with two, in one run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { API_HEADER, call, floorP50, measure } from './api-bench.js';
import { printTable, reportLoad } from './bench-support.js';
import { autocannon, dropSchema, postgresAvailable, POSTGRES_URL, spawnServer, type LoadRequest } from './server-process.js';

const HEADERS = { 'x-project-id': 'bench', 'x-roles': 'admin', 'content-type': 'application/json' };
const LOAD_SECONDS = 5;

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
  const first = await spawnServer(databaseUrl);
  const rest = await Promise.all(Array.from({ length: replicas - 1 }, () => spawnServer(databaseUrl)));
  const all = [first, ...rest];
  try {
    return await work(all.map((r) => r.url));
  } finally {
    for (const r of all) await r.stop();
  }
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
