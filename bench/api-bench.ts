// API benchmark on SQLite: rule creation (one by one, bulk, parallel), lists, and GET of a group, each beside a floor.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type Config } from '../src/config.js';
import { startServer } from '../src/main.js';
import { percentile, printTable, timeIt } from './bench-support.js';

const ADMIN = { 'x-project-id': 'bench', 'x-roles': 'admin', 'content-type': 'application/json' };

export async function call(url: string, method = 'GET', body?: unknown): Promise<unknown> {
  const res = await fetch(url, { method, headers: ADMIN, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (res.status >= 400) throw new Error(`${method} ${url} → ${res.status} ${text}`);
  return text.length > 0 ? JSON.parse(text) : undefined;
}

function ruleBody(groupId: string, port: number) {
  return { security_group_id: groupId, direction: 'ingress', protocol: 'tcp', port_range_min: port, port_range_max: port };
}

async function newGroup(api: string, name: string): Promise<string> {
  const r = (await call(`${api}/security-groups`, 'POST', { security_group: { name } })) as { security_group: { id: string } };
  return r.security_group.id;
}

/** `concurrency` clients, each sending `perClient` requests round-robin over the replicas; ops/s. */
async function throughput(urls: readonly string[], concurrency: number, perClient: number, request: (base: string, i: number) => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: concurrency }, async (_, c) => {
    for (let i = 0; i < perClient; i++) await request(urls[(c + i) % urls.length]!, c * perClient + i);
  }));
  return (concurrency * perClient) / (Number(process.hrtime.bigint() - start) / 1e9);
}

/** GET /healthz p50 in seconds: the floor every row is compared with. */
export async function floorP50(url: string): Promise<number> {
  return percentile(await timeIt(300, () => call(`${url}/healthz`)), 50);
}

export const API_HEADER = ['back-end', 'operation', 'p50 ms', 'p99 ms', 'ops/s', 'p50/floor'] as const;

/** The API numbers against servers at `urls` (requests spread round-robin over them), one table row each. */
export async function measure(label: string, urls: readonly string[], floorP50: number): Promise<string[][]> {
  const api = `${urls[0]}/v2.0`;
  const at = (i: number) => `${urls[i % urls.length]}/v2.0`;
  await call(`${api}/quotas/bench`, 'PUT', { quota: { security_group: -1, security_group_rule: -1, port: -1 } });
  const g1 = await newGroup(api, 'one-by-one');
  const single = await timeIt(1000, (i) => call(`${at(i)}/security-group-rules`, 'POST', { security_group_rule: ruleBody(g1, i + 1) }));
  const g2 = await newGroup(api, 'bulk');
  const bulk = await timeIt(1, () => call(`${api}/security-group-rules`, 'POST', { security_group_rules: Array.from({ length: 1000 }, (_, i) => ruleBody(g2, i + 1)) }));
  const list1k = await timeIt(20, (i) => call(`${at(i)}/security-group-rules?security_group_id=${g1}`));
  for (let b = 0; b < 8; b++) {
    const g = await newGroup(api, `filler-${b}`);
    await call(`${api}/security-group-rules`, 'POST', { security_group_rules: Array.from({ length: 1000 }, (_, i) => ruleBody(g, i + 1)) });
  }
  const list10k = await timeIt(10, (i) => call(`${at(i)}/security-group-rules`));
  const g100 = await newGroup(api, 'hundred');
  await call(`${api}/security-group-rules`, 'POST', { security_group_rules: Array.from({ length: 98 }, (_, i) => ruleBody(g100, i + 1)) });
  const show = await timeIt(500, (i) => call(`${at(i)}/security-groups/${g100}`));
  const g3 = await newGroup(api, 'parallel');
  const parallelCreates = await throughput(urls, 16, 50, (base, i) => call(`${base}/v2.0/security-group-rules`, 'POST', { security_group_rule: ruleBody(g3, i + 1) }));
  const parallelReads = await throughput(urls, 16, 100, (base) => call(`${base}/v2.0/security-groups/${g100}`));
  const ms = (s: number) => `${(s * 1000).toFixed(2)}`;
  const row = (name: string, samples: number[], opsPerCall = 1) => [
    label, name, ms(percentile(samples, 50)), ms(percentile(samples, 99)),
    ((opsPerCall * samples.length) / samples.reduce((a, b) => a + b, 0)).toFixed(0), (percentile(samples, 50) / floorP50).toFixed(1),
  ];
  return [
    row('create 1,000 rules one by one', single),
    row('bulk-create 1,000 rules (1 request)', bulk, 1000),
    row('list 1,000 rules (by group)', list1k),
    row('list 10,000 rules', list10k),
    row('GET group with 100 rules', show),
    [label, 'rule creates, 16 clients in parallel', '', '', parallelCreates.toFixed(0), ''],
    [label, 'GET group, 16 clients in parallel', '', '', parallelReads.toFixed(0), ''],
  ];
}

/** The API on SQLite alone; bench/replica-bench.ts puts PostgreSQL (one and two replicas) beside it. */
export async function runApiBench(): Promise<void> {
  const database: Config['database'] = { kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'palisade-bench-')), 'p.db') };
  const server = await startServer({ ...loadConfig({ PALISADE_AUTH: 'noauth' }), port: 0, logLevel: 'warn', database });
  try {
    const floor = await floorP50(server.url);
    printTable(
      `API on SQLite (HTTP on loopback; floor = GET /healthz p50, ${(floor * 1000).toFixed(3)} ms)`,
      API_HEADER,
      await measure('SQLite', [server.url], floor),
    );
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runApiBench();
