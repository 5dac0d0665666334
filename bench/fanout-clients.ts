// `npm run bench -- fanout --clients=H`: H light agents (no nft) follow their host feeds from one server process under a stream of writes.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { percentile, printTable } from './bench-support.js';
import { spawnServer, type ServerProcess } from './server-process.js';

const HEADERS = { 'content-type': 'application/json', 'x-project-id': 'bench', 'x-roles': 'admin' };
const PORTS_PER_HOST = 10;
const GROUPS = 100;
const WRITES = 40;

async function call(url: string, method: string, path: string, body?: unknown): Promise<{ json: any; bytes: number }> {
  const res = await fetch(`${url}${path}`, { method, headers: HEADERS, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`);
  return { json: text ? JSON.parse(text) : {}, bytes: Buffer.byteLength(text) };
}

/** Ticks of CPU (user + system) and RSS (kB) of a process, from /proc. */
function usage(pid: number): { ticks: number; rssKb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  const rss = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return { ticks: Number(stat[11]) + Number(stat[12]), rssKb: Number(rss) };
}

async function buildRegion(url: string, hosts: number): Promise<{ groups: string[]; ports: string[] }> {
  await call(url, 'PUT', '/v2.0/quotas/bench', { quota: { security_group: -1, security_group_rule: -1, port: -1 } });
  const net = (await call(url, 'POST', '/v2.0/networks', { network: { name: 'n' } })).json.network.id;
  await call(url, 'POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: '10.0.0.0/16' } });
  const groups: string[] = [];
  for (let i = 0; i < GROUPS; i += 50) {
    const made = (await call(url, 'POST', '/v2.0/security-groups', { security_groups: Array.from({ length: 50 }, (_, j) => ({ name: `g${i + j}` })) })).json.security_groups;
    groups.push(...made.map((g: any) => g.id));
  }
  for (const [i, g] of groups.entries()) {
    const rules = [22, 80, 443, 8080].map((p) => ({ security_group_id: g, direction: 'ingress', protocol: 'tcp', port_range_min: p, port_range_max: p }));
    rules.push({ security_group_id: g, direction: 'ingress', protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_group_id: groups[(i + 1) % GROUPS] } as never);
    await call(url, 'POST', '/v2.0/security-group-rules', { security_group_rules: rules });
  }
  const ports: string[] = [];
  for (let h = 0; h < hosts; h++) {
    const batch = Array.from({ length: PORTS_PER_HOST }, (_, j) => ({
      network_id: net, 'binding:host_id': `host-${h}`, security_groups: [...new Set([groups[(h * 7 + j) % GROUPS], groups[(h * 13 + j * 3 + 1) % GROUPS]])],
    }));
    ports.push(...(await call(url, 'POST', '/v2.0/ports', { ports: batch })).json.ports.map((p: any) => p.id));
  }
  return { groups, ports };
}

interface Agent {
  readonly host: string;
  seq: number;
  bytes: number;
  /** First arrival time of each seq this agent received a record of. */
  readonly arrived: Map<number, number>;
  stop: boolean;
}

async function follow(url: string, a: Agent): Promise<void> {
  while (!a.stop) {
    const { json, bytes } = await call(url, 'GET', `/v2.0/palisade/hosts/${a.host}/changes?since=${a.seq}&wait=5`).catch(() => ({ json: null, bytes: 0 }));
    if (!json) continue;
    a.bytes += bytes;
    const now = performance.now();
    for (const c of json.changes) if (!a.arrived.has(c.seq)) a.arrived.set(c.seq, now);
    a.seq = json.seq;
  }
}

export async function runFanoutClients(hosts: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-fanout-clients-'));
  let server: ServerProcess | undefined;
  try {
    server = await spawnServer(`sqlite:${join(dir, 'p.db')}`, { PALISADE_AUTH: 'noauth' }, 30);
    const url = server.url;
    const { groups, ports } = await buildRegion(url, hosts);
    const latest = async () => (await call(url, 'GET', `/v2.0/palisade/changes?since=${Number.MAX_SAFE_INTEGER}`)).json.latest_seq as number;
    // Cold start of every agent: its host's state (time and bytes).
    const agents: Agent[] = [];
    const cold: number[] = [];
    const coldBytes: number[] = [];
    for (let h = 0; h < hosts; h++) {
      const t = performance.now();
      const { json, bytes } = await call(url, 'GET', `/v2.0/palisade/hosts/host-${h}/state`);
      cold.push(performance.now() - t);
      coldBytes.push(bytes);
      agents.push({ host: `host-${h}`, seq: json.seq, bytes: 0, arrived: new Map(), stop: false });
    }
    const loops = agents.map((a) => follow(url, a));
    await new Promise((r) => setTimeout(r, 1000));
    const pid = server.child.pid!;
    const idleFrom = usage(pid);
    const idleStart = performance.now();
    await new Promise((r) => setTimeout(r, 5000));
    const idleTo = usage(pid);
    const idleCpu = ((idleTo.ticks - idleFrom.ticks) / 100) / ((performance.now() - idleStart) / 1000);

    for (const a of agents) a.bytes = 0;
    const start = await latest();
    const writes: { at: number; from: number; to: number }[] = [];
    let prev = start;
    for (let i = 0; i < WRITES; i++) {
      const at = performance.now();
      if (i % 2 === 0) {
        const port = ports[(i * 37) % ports.length]!;
        await call(url, 'PUT', `/v2.0/ports/${port}`, { port: { security_groups: [groups[(i * 11) % GROUPS]] } });
      } else {
        await call(url, 'POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: groups[(i * 17) % GROUPS], direction: 'ingress', protocol: 'udp', port_range_min: 1000 + i, port_range_max: 1000 + i } });
      }
      const to = await latest();
      writes.push({ at, from: prev, to });
      prev = to;
      await new Promise((r) => setTimeout(r, 100));
    }
    await new Promise((r) => setTimeout(r, 3000));
    const busy = usage(pid);
    const latencies: number[] = [];
    const slowest: number[] = [];
    let affected = 0;
    for (const w of writes) {
      let worst = 0;
      for (const a of agents) {
        const got = [...a.arrived].filter(([s]) => s > w.from && s <= w.to).map(([, t]) => t);
        if (got.length === 0) continue;
        affected++;
        const ms = Math.min(...got) - w.at;
        latencies.push(ms);
        worst = Math.max(worst, ms);
      }
      slowest.push(worst);
    }
    const global = (await call(url, 'GET', `/v2.0/palisade/changes?since=${start}&limit=10000`)).bytes;
    const hostBytes = agents.reduce((n, a) => n + a.bytes, 0);
    for (const a of agents) a.stop = true;
    await Promise.allSettled(loops);
    const f = (x: number) => x.toFixed(1);
    printTable(`Host feeds, ${hosts} light agents in one process, one server process (SQLite), ${hosts * PORTS_PER_HOST} ports, ${GROUPS} groups, ${GROUPS * 5} rules; ${WRITES} writes`, ['measure', 'value'], [
      ['write → received, every affected (agent, write): p50 / p99 ms', `${f(percentile(latencies, 50))} / ${f(percentile(latencies, 99))}  (${affected} deliveries)`],
      ['write → received by the last affected agent: p50 / p99 ms', `${f(percentile(slowest, 50))} / ${f(percentile(slowest, 99))}`],
      ['bytes per agent per write: host feed (incl. empty long-poll answers)', f(hostBytes / hosts / WRITES)],
      ['bytes per agent per write: global log', f(global / WRITES)],
      ['ratio global / host feed', `${f(global / WRITES / (hostBytes / hosts / WRITES))}x`],
      [`server CPU while ${hosts} long-polls idle (cores)`, idleCpu.toFixed(3)],
      ['server RSS (MB) idle / after the writes', `${(idleTo.rssKb / 1024).toFixed(0)} / ${(busy.rssKb / 1024).toFixed(0)}`],
      [`agent cold start (host of ${PORTS_PER_HOST} ports): ms p50 / p99, bytes p50`, `${f(percentile(cold, 50))} / ${f(percentile(cold, 99))}, ${percentile(coldBytes, 50)}`],
    ]);
  } finally {
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
