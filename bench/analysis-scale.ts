// Analysis at scale: a 1,000 groups × 100 rules × 5,000 ports project on SQLite, served by a real server process, timed over HTTP.
// Run alone: npx tsx bench/analysis-scale.ts [share of rules open to anywhere, default 0]; or `npm run bench -- analysis`.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSqliteStore } from '../src/store/index.js';
import { analysisWorld } from './analysis-world.js';
import { percentile, printTable, timeIt } from './bench-support.js';

async function fillDatabase(path: string, openShare: number): Promise<void> {
  const world = analysisWorld(1000, 100, 5000, openShare);
  const store = await createSqliteStore(path);
  await store.transaction(async (s) => {
    const at = '2025-01-01T00:00:00Z';
    await s.insertNetwork({ id: 'n', projectId: 'big', name: 'n', description: '', adminStateUp: true, portSecurityEnabled: true, shared: false, routerExternal: false, revisionNumber: 1, createdAt: at, updatedAt: at });
    await s.insertSubnet({ id: 's', projectId: 'big', networkId: 'n', name: 's', description: '', ipVersion: 4, cidr: '10.0.0.0/16', gatewayIp: null, enableDhcp: true, revisionNumber: 1, createdAt: at, updatedAt: at } as never);
    for (const g of world.groups) await s.insertGroup(g);
    for (let g = 0; g < world.groups.length; g++) {
      const rules = world.rules.slice(g * 100, (g + 1) * 100);
      await s.insertRules(rules, rules.map((r) => r.id));
    }
    for (const p of world.ports) await s.insertPort(p);
  });
  await store.close();
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** The server in a process of its own, so the bench's own parsing and timing never run on the server's event loop. */
async function startServerProcess(path: string, env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', main], {
    env: { ...process.env, PALISADE_LISTEN: `127.0.0.1:${port}`, PALISADE_AUTH: 'noauth', PALISADE_DATABASE_URL: `sqlite:${path}`, PALISADE_LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the server exited with ${child.exitCode}`);
    if (await fetch(`${url}/v2.0/security-groups`, { headers: { 'x-project-id': 'big' } }).then((r) => r.ok, () => false)) return { url, child };
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts a request every 10 ms while `more` holds, without waiting for the previous one, and returns each
 * one's latency in seconds: a stalled server shows as every request sent during the stall being late, not as
 * a single slow sample.
 */
async function openLoop(request: () => Promise<unknown>, more: (sent: number) => boolean): Promise<number[]> {
  const out: number[] = [];
  const inFlight: Promise<unknown>[] = [];
  for (let sent = 0; more(sent); sent++) {
    const start = process.hrtime.bigint();
    // A request that fails (the server did not even accept the connection in time) counts as infinitely late.
    inFlight.push(request().then(() => out.push(Number(process.hrtime.bigint() - start) / 1e9), () => out.push(Infinity)));
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  await Promise.all(inFlight);
  return out;
}

/** `n` matrix requests at once from another process, bodies read and dropped: receiving them costs this process nothing. */
async function concurrentMatrices(url: string, n: number): Promise<void> {
  const script = `const [url, n] = process.argv.slice(1);
await Promise.all(Array.from({ length: Number(n) }, async () => {
  const r = await fetch(url, { headers: { 'x-project-id': 'big', 'x-roles': 'member' } });
  if (!r.ok) throw new Error(url + ': ' + r.status);
  for await (const _ of r.body) {}
}));`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script, url, String(n)], { stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise((resolve) => child.on('exit', resolve));
  if (code !== 0) throw new Error(`the matrix requests failed (exit ${String(code)})`);
}

const as = (project: string) => ({ 'x-project-id': project, 'x-roles': 'member', 'content-type': 'application/json' });
const ms = (s: readonly number[], p = 50) => (percentile(s, p) * 1000).toFixed(1);

export async function runAnalysisBench(openShare = 0): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-analysis-'));
  const path = join(dir, 'palisade.db');
  await fillDatabase(path, openShare);
  // Limits wide enough to time the dense answer; the default analysis_max_edges is timed separately below.
  const { url, child } = await startServerProcess(path, { PALISADE_ANALYSIS_MAX_EDGES: '10000000', PALISADE_ANALYSIS_TIMEOUT_MS: '120000' });
  /** The whole body, received but not parsed (parsing is the client's cost, not the server's). */
  const fetchBody = async (path: string, headers = as('big'), init: RequestInit = {}) => {
    const r = await fetch(url + path, { headers, ...init });
    const body = await r.arrayBuffer();
    if (!r.ok) throw new Error(`${path}: ${r.status} ${Buffer.from(body).toString()}`);
    return body;
  };
  const rows: string[][] = [];
  try {
    const [load] = await timeIt(1, () => fetchBody('/v2.0/palisade/ports/p0/effective-rules'));
    rows.push(['first analysis call (worker loads the region)', '1', (load! * 1000).toFixed(0), '', '']);
    const cold = await timeIt(50, (i) => fetchBody(`/v2.0/palisade/ports/p${100 + i * 7}/effective-rules`));
    rows.push(['effective rules, cold port', '50', ms(cold), ms(cold, 99), ms(cold, 100)]);
    const flow = (i: number) => JSON.stringify({ flow: { port_id: `p${1000 + i * 7}`, direction: 'ingress', protocol: 'tcp', remote_ip: '10.0.3.9', port: 1006 } });
    const explain = await timeIt(50, (i) => fetchBody('/v2.0/palisade/explain', as('big'), { method: 'POST', body: flow(i) }));
    rows.push(['explain, cold port', '50', ms(explain), ms(explain, 99), ms(explain, 100)]);
    const dense = openShare > 0;
    let bytes = 0;
    const matrix = await timeIt(dense ? 1 : 5, async () => (bytes = (await fetchBody('/v2.0/palisade/matrix?service=tcp:1006')).byteLength));
    rows.push([`matrix tcp:1006 (${(bytes / 1e6).toFixed(1)} MB)`, String(matrix.length), ms(matrix), '', '']);
    if (!dense) rows.push(['matrix tcp:1006,tcp:22,icmp', '3', ms(await timeIt(3, () => fetchBody('/v2.0/palisade/matrix?service=tcp:1006,tcp:22,icmp'))), '', '']);

    // Other projects' reads, idle and then while four matrices of the large project are computed and sent.
    // Eight groups besides the default one: the default quota is ten.
    for (let i = 0; i < 8; i++) await fetchBody('/v2.0/security-groups', as('other'), { method: 'POST', body: JSON.stringify({ security_group: { name: `sg${i}` } }) });
    const list = () => fetchBody('/v2.0/security-groups?limit=20', as('other'));
    const idle = await openLoop(list, (sent) => sent < 200);
    rows.push(['other project: GET security-groups?limit=20, idle', String(idle.length), ms(idle), ms(idle, 99), ms(idle, 100)]);
    const matrices = dense ? 1 : 4;
    let running = true;
    const started = process.hrtime.bigint();
    const all = concurrentMatrices(`${url}/v2.0/palisade/matrix?service=tcp:1006`, matrices).finally(() => (running = false));
    const during = await openLoop(list, () => running);
    await all;
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    const failed = during.filter((t) => t === Infinity).length;
    rows.push([`other project: GET security-groups?limit=20, during ${matrices} matrix tcp:1006 (all done in ${wall.toFixed(1)} s; ${failed} GETs failed)`, String(during.length), ms(during), ms(during, 99), ms(during, 100)]);
  } finally {
    printTable(`analysis, 1,000 groups × 100 rules × 5,000 ports, ${openShare * 100}% of rules open to anywhere`, ['call', 'n', 'p50 ms', 'p99 ms', 'max ms'], rows);
    child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAnalysisBench(Number(process.argv[2] ?? '0'));
