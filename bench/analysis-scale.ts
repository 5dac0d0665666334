// Analysis at scale: a 1,000 groups × 100 rules × 5,000 ports project on SQLite, served by the real server, timed over HTTP.
// Run alone: npx tsx bench/analysis-scale.ts [share of rules open to anywhere, default 0]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../src/main.js';
import { createSqliteStore } from '../src/store/index.js';
import { analysisWorld } from './analysis-world.js';
import { percentile, printTable, timeIt } from './bench-support.js';

const dir = mkdtempSync(join(tmpdir(), 'palisade-analysis-'));
const path = join(dir, 'palisade.db');
const openShare = Number(process.argv[2] ?? '0');
const world = analysisWorld(1000, 100, 5000, openShare);
const store = await createSqliteStore(path);
await store.transaction(async (s) => {
  const at = '2025-01-01T00:00:00Z';
  await s.insertNetwork({ id: 'n', projectId: 'big', name: 'n', description: '', adminStateUp: true, portSecurityEnabled: true, shared: false, revisionNumber: 1, createdAt: at, updatedAt: at });
  await s.insertSubnet({ id: 's', projectId: 'big', networkId: 'n', name: 's', description: '', ipVersion: 4, cidr: '10.0.0.0/16', gatewayIp: null, enableDhcp: true, revisionNumber: 1, createdAt: at, updatedAt: at } as never);
  for (const g of world.groups) await s.insertGroup(g);
  for (let g = 0; g < world.groups.length; g++) {
    const rules = world.rules.slice(g * 100, (g + 1) * 100);
    await s.insertRules(rules, rules.map((r) => r.id));
  }
  for (const p of world.ports) await s.insertPort(p);
});
await store.close();

const server = await startServer({ host: '127.0.0.1', port: 0, database: { kind: 'sqlite', path }, auth: 'noauth', changeRetention: 0, logLevel: 'silent', analysis: { maxPorts: 10_000, maxServices: 16, maxEdges: 10_000_000, timeoutMs: 60_000 } });
const headers = { 'x-project-id': 'big', 'x-roles': 'member', 'content-type': 'application/json' };
const get = async (url: string) => {
  const r = await fetch(server.url + url, { headers });
  if (r.status !== 200) throw new Error(`${url}: ${r.status} ${await r.text()}`);
  return r.json();
};
const ms = (s: number[]) => (percentile(s, 50) * 1000).toFixed(1);
const rows: string[][] = [];
const [load] = await timeIt(1, () => get('/v2.0/palisade/ports/p0/effective-rules'));
rows.push(['first analysis call (worker loads the region)', '1', (load! * 1000).toFixed(0)]);
rows.push(['effective rules, cold port', '50', ms(await timeIt(50, (i) => get(`/v2.0/palisade/ports/p${100 + i * 7}/effective-rules`)))]);
const flow = (i: number) => ({ flow: { port_id: `p${1000 + i * 7}`, direction: 'ingress', protocol: 'tcp', remote_ip: '10.0.3.9', port: 1006 } });
rows.push(['explain, cold port', '50', ms(await timeIt(50, async (i) => (await fetch(`${server.url}/v2.0/palisade/explain`, { method: 'POST', headers, body: JSON.stringify(flow(i)) })).json()))]);
let edges = 0;
rows.push(['matrix tcp:1006', '5', ms(await timeIt(5, async () => (edges = ((await get('/v2.0/palisade/matrix?service=tcp:1006')) as any).matrix.edges.length)))]);
rows.push(['matrix tcp:1006,tcp:22,icmp', '3', ms(await timeIt(3, () => get('/v2.0/palisade/matrix?service=tcp:1006,tcp:22,icmp')))]);
printTable(`analysis, 1,000 groups × 100 rules × 5,000 ports, ${openShare * 100}% of rules open to anywhere (matrix: ${edges} edges)`, ['call', 'n', 'p50 ms'], rows);
await server.close();
rmSync(dir, { recursive: true, force: true });
