// API benchmark on SQLite: rule creation (one by one and bulk), lists, and GET of a group, each beside a floor.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/main.js';
import { loadConfig } from '../src/config.js';
import { percentile, printTable, timeIt } from './bench-support.js';

const ADMIN = { 'x-project-id': 'bench', 'x-roles': 'admin', 'content-type': 'application/json' };

async function call(url: string, method = 'GET', body?: unknown): Promise<unknown> {
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

/** Returns rows of the table; `baseUrl` points at a running server on a scratch SQLite file. */
export async function runApiBench(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-bench-'));
  const server = await startServer({ ...loadConfig({}), port: 0, logLevel: 'warn', database: { kind: 'sqlite', path: join(dir, 'p.db') } });
  const api = `${server.url}/v2.0`;
  try {
    await call(`${api}/quotas/bench`, 'PUT', { quota: { security_group: -1, security_group_rule: -1, port: -1 } });
    const floor = await timeIt(200, () => call(`${server.url}/healthz`));
    const g1 = await newGroup(api, 'one-by-one');
    const single = await timeIt(1000, (i) => call(`${api}/security-group-rules`, 'POST', { security_group_rule: ruleBody(g1, i + 1) }));
    const g2 = await newGroup(api, 'bulk');
    const bulk = await timeIt(1, () => call(`${api}/security-group-rules`, 'POST', { security_group_rules: Array.from({ length: 1000 }, (_, i) => ruleBody(g2, i + 1)) }));
    const list1k = await timeIt(20, () => call(`${api}/security-group-rules?security_group_id=${g1}`));
    for (let b = 0; b < 8; b++) {
      const g = await newGroup(api, `filler-${b}`);
      await call(`${api}/security-group-rules`, 'POST', { security_group_rules: Array.from({ length: 1000 }, (_, i) => ruleBody(g, i + 1)) });
    }
    const list10k = await timeIt(10, () => call(`${api}/security-group-rules`));
    const g100 = await newGroup(api, 'hundred');
    await call(`${api}/security-group-rules`, 'POST', { security_group_rules: Array.from({ length: 98 }, (_, i) => ruleBody(g100, i + 1)) });
    const show = await timeIt(500, () => call(`${api}/security-groups/${g100}`));
    const f50 = percentile(floor, 50);
    const row = (name: string, samples: number[], opsPerCall = 1) => [
      name,
      `${(percentile(samples, 50) * 1000).toFixed(2)} ms`,
      `${(percentile(samples, 99) * 1000).toFixed(2)} ms`,
      `${((opsPerCall * samples.length) / samples.reduce((a, b) => a + b, 0)).toFixed(0)} ops/s`,
      `${(percentile(samples, 50) / f50).toFixed(1)}×`,
    ];
    printTable('API on SQLite (sequential HTTP on loopback; floor = GET /healthz p50 ' + (f50 * 1000).toFixed(3) + ' ms)', ['operation', 'p50', 'p99', 'throughput', 'p50 / floor'], [
      row('create 1,000 rules one by one', single),
      row('bulk-create 1,000 rules (one request)', bulk, 1000),
      row('list 1,000 rules (filtered by group)', list1k),
      row('list 10,000 rules', list10k),
      row('GET one group with 100 rules', show),
    ]);
  } finally {
    await server.close();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runApiBench();
