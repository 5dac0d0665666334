// `npm run bench -- soak --minutes N [--rate R]`: N minutes of a mixed workload at a fixed rate against one server
// process, with host agents following the change log and analysis questions, sampled every 10 s; fails when a
// resource trends upward over the second half (bench/soak-trend.ts).
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { AgentStateStore, HostAgent, NftTable, ServerClient } from '../src/agent/index.js';
import { percentile, printTable, reportLoad } from './bench-support.js';
import { spawnServer } from './server-process.js';
import { trend, type Point, type TrendBound } from './soak-trend.js';

const SAMPLE_SECONDS = 10;
/** Changes the server keeps (PALISADE_CHANGE_RETENTION); compaction runs every 60 s. */
const RETENTION = 2000;
const PROJECTS = 3;
const HOSTS = ['soak-h1', 'soak-h2'];
/** Rules each project's churn group holds at most: the workload deletes the oldest past this. */
const LIVE_RULES = 20;
/** Requests in flight beyond which a tick is skipped (and counted) rather than piling up on a stalled server. */
const MAX_IN_FLIGHT = 64;

/**
 * Bounds of the fitted rise over the second half (see soak-trend.ts), and why:
 * - memory: 10% of the level (≥ 8 MB). At the default 20 requests/s a 15-minute half serves ~18,000 requests;
 *   a leak of 1 KB per request or per change would add ~18 MB to a ~150 MB process and fail.
 * - event-loop delay and p99 latency: 100% (≥ 20 ms). The machine is shared and its load swings; only a
 *   doubling over the half, or 20 ms, is a trend rather than a neighbour's burst.
 * - agent lag: 50 changes absolute. A following agent sits at 0 to a few changes behind; a trend is one that falls behind.
 * - change-log size: 15% once the log has reached its retention; before that it grows by design, so the
 *   level is bounded instead: at most RETENTION plus two compaction periods of writes.
 */
const BOUNDS: Record<'rssMb' | 'heapMb' | 'eventLoopP99Ms' | 'latencyP99Ms' | 'agentLag' | 'changeLogSize', TrendBound> = {
  rssMb: { relative: 0.1, absolute: 8 },
  heapMb: { relative: 0.1, absolute: 8 },
  eventLoopP99Ms: { relative: 1, absolute: 20 },
  latencyP99Ms: { relative: 1, absolute: 20 },
  agentLag: { relative: 0, absolute: 50 },
  changeLogSize: { relative: 0.15, absolute: 0 },
};

interface Sample {
  readonly minute: number;
  readonly rssMb: number;
  readonly heapMb: number;
  readonly eventLoopP99Ms: number;
  readonly latencyP99Ms: number;
  readonly latencies: number[];
  readonly errors: number;
  readonly skipped: number;
  readonly changeLogSize: number;
  readonly agentLag: number;
  readonly latestSeq: number;
}

type Json = Record<string, any>;

function parseArgs(args: readonly string[]): { minutes: number; rate: number } {
  const value = (name: string, fallback: number) => {
    const i = args.indexOf(`--${name}`);
    const raw = i >= 0 ? args[i + 1] : args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
    const n = raw === undefined ? fallback : Number(raw);
    if (!(n > 0)) throw new Error(`--${name} must be a positive number, got '${raw}'`);
    return n;
  };
  return { minutes: value('minutes', 2), rate: value('rate', 20) };
}

/** Prometheus text: the value of an unlabelled series. */
function metric(text: string, name: string): number {
  const m = new RegExp(`^${name} ([0-9.eE+-]+)$`, 'm').exec(text);
  return m ? Number(m[1]) : NaN;
}

export async function runSoakBench(args: readonly string[]): Promise<void> {
  const { minutes, rate } = parseArgs(args);
  reportLoad();
  const dir = mkdtempSync(join(tmpdir(), 'palisade-soak-'));
  const dbPath = join(dir, 'soak.db');
  const server = await spawnServer(`sqlite:${dbPath}`, { PALISADE_AUTH: 'noauth', PALISADE_CHANGE_RETENTION: String(RETENTION) }, 120);
  const logDb = new Database(dbPath, { readonly: true, fileMustExist: true });
  const agents: { agent: HostAgent; seq: number; running: Promise<void> }[] = [];
  try {
    // Latencies and failures of the window being sampled; long-polls belong to the agents and are not timed.
    let window: number[] = [];
    let errors = 0;
    let skipped = 0;
    const failures: string[] = [];
    const api = async (project: string, method: string, path: string, body: unknown, expected: number): Promise<Json | undefined> => {
      const started = performance.now();
      try {
        const res = await fetch(`${server.url}${path}`, {
          method,
          headers: { 'x-project-id': project, 'x-roles': project === 'admin' ? 'admin' : 'member', 'content-type': 'application/json' },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await res.text();
        window.push(performance.now() - started);
        if (res.status !== expected) {
          errors++;
          if (failures.length < 10) failures.push(`${method} ${path}: ${res.status} ${text.slice(0, 160)}`);
          return undefined;
        }
        return text.length > 0 ? (JSON.parse(text) as Json) : {};
      } catch (e) {
        errors++;
        if (failures.length < 10) failures.push(`${method} ${path}: ${(e as Error).message}`);
        return undefined;
      }
    };

    // The world: per project a network, a web and a db group (db admits web on 5432), four bound ports, a churn group.
    interface World { project: string; net: string; subnet: string; web: string; db: string; churn: string; ports: string[]; rules: string[]; pool: string[] }
    const worlds: World[] = [];
    for (let p = 0; p < PROJECTS; p++) {
      const project = `soak${p}`;
      await api('admin', 'PUT', `/v2.0/quotas/${project}`, { quota: { security_group: -1, security_group_rule: -1, port: -1 } }, 200);
      const net = (await api(project, 'POST', '/v2.0/networks', { network: { name: 'n' } }, 201))!['network'].id as string;
      const subnet = (await api(project, 'POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: `10.${60 + p}.0.0/16` } }, 201))!['subnet'].id as string;
      const group = async (name: string) => (await api(project, 'POST', '/v2.0/security-groups', { security_group: { name } }, 201))!['security_group'].id as string;
      const [web, db, churn] = [await group('web'), await group('db'), await group('churn')];
      await api(project, 'POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: db, direction: 'ingress', protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_group_id: web } }, 201);
      const ports: string[] = [];
      for (let i = 0; i < 4; i++) {
        const port = await api('admin', 'POST', '/v2.0/ports', {
          port: { project_id: project, network_id: net, 'binding:host_id': HOSTS[i % HOSTS.length], fixed_ips: [{ subnet_id: subnet }], security_groups: [i < 2 ? web : db, churn] },
        }, 201);
        ports.push(port!['port'].id as string);
      }
      worlds.push({ project, net, subnet, web, db, churn, ports, rules: [], pool: [] });
    }

    for (const host of HOSTS) {
      const entry = { agent: undefined as unknown as HostAgent, seq: -1, running: Promise.resolve() };
      // Real agents with a table that records nothing: the soak measures the server and the following, not nftables.
      entry.agent = new HostAgent({
        host, client: new ServerClient(server.url, { project: 'admin' }), table: new NftTable(async () => undefined),
        store: new AgentStateStore(join(dir, `agent-${host}`)), waitSeconds: 20, backoff: { initialMs: 100, maxMs: 2000 },
        onCommit: (seq) => (entry.seq = seq),
      });
      entry.running = entry.agent.run();
      agents.push(entry);
    }

    let portNumber = 0;
    let counter = 0;
    const createRule = async (w: World) => {
      const n = 1024 + (portNumber++ % 60_000);
      const r = await api(w.project, 'POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: w.churn, direction: 'ingress', protocol: 'tcp', port_range_min: n, port_range_max: n } }, 201);
      if (r) w.rules.push(r['security_group_rule'].id as string);
    };
    const deleteRule = async (w: World) => {
      if (w.rules.length <= LIVE_RULES / 2) return createRule(w);
      await api(w.project, 'DELETE', `/v2.0/security-group-rules/${w.rules.shift()!}`, undefined, 204);
    };
    const createPort = async (w: World) => {
      const r = await api('admin', 'POST', '/v2.0/ports', { port: { project_id: w.project, network_id: w.net, 'binding:host_id': HOSTS[counter % HOSTS.length], security_groups: [w.churn] } }, 201);
      if (r) w.pool.push(r['port'].id as string);
    };
    // One cycle of 20 operations: 9 writes (rules and ports created and deleted, a group updated), 9 reads, 2 analyses.
    const cycle: ((w: World) => Promise<unknown>)[] = [
      (w) => api(w.project, 'GET', '/v2.0/security-groups', undefined, 200),
      createRule,
      (w) => api(w.project, 'GET', `/v2.0/security-group-rules?security_group_id=${w.churn}`, undefined, 200),
      (w) => api(w.project, 'GET', `/v2.0/ports/${w.ports[0]}`, undefined, 200),
      deleteRule,
      (w) => api(w.project, 'GET', '/v2.0/ports', undefined, 200),
      createPort,
      (w) => api(w.project, 'GET', `/v2.0/palisade/reachability?source_port_id=${w.ports[0]}&destination_port_id=${w.ports[2]}&protocol=tcp&port=5432`, undefined, 200),
      (w) => (w.pool.length > 4 ? api('admin', 'DELETE', `/v2.0/ports/${w.pool.shift()!}`, undefined, 204) : createPort(w)),
      (w) => api(w.project, 'PUT', `/v2.0/security-groups/${w.web}`, { security_group: { description: `soak ${counter}` } }, 200),
      (w) => api(w.project, 'GET', '/v2.0/networks', undefined, 200),
      createRule,
      (w) => api(w.project, 'GET', `/v2.0/palisade/ports/${w.ports[3]}/effective-rules`, undefined, 200),
      deleteRule,
      (w) => api(w.project, 'GET', `/v2.0/security-groups/${w.db}`, undefined, 200),
      (_w) => api('admin', 'GET', `/v2.0/ports?binding:host_id=${HOSTS[0]}&limit=50`, undefined, 200),
      createRule,
      (w) => api(w.project, 'GET', `/v2.0/security-group-rules?security_group_id=${w.db}`, undefined, 200),
      deleteRule,
      (w) => api(w.project, 'GET', `/v2.0/subnets/${w.subnet}`, undefined, 200),
    ];

    const samples: Sample[] = [];
    const started = performance.now();
    const end = started + minutes * 60_000;
    let inFlight = 0;
    let nextSample = started + SAMPLE_SECONDS * 1000;
    const period = 1000 / rate;
    process.stdout.write(`soak: ${minutes} min at ${rate} requests/s, ${PROJECTS} projects, ${HOSTS.length} agents following, sample every ${SAMPLE_SECONDS} s\n`);
    process.stdout.write(`started ${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, server on SQLite (${dbPath}), change retention ${RETENTION}\n`);

    const sample = async () => {
      const text = await fetch(`${server.url}/metrics`, { headers: { 'x-project-id': 'admin', 'x-roles': 'admin' } }).then((r) => r.text());
      const latestSeq = metric(text, 'palisade_change_log_seq');
      const lat = window;
      window = [];
      const s: Sample = {
        minute: (performance.now() - started) / 60_000,
        rssMb: metric(text, 'palisade_process_resident_memory_bytes') / 2 ** 20,
        heapMb: metric(text, 'palisade_nodejs_heap_size_used_bytes') / 2 ** 20,
        eventLoopP99Ms: metric(text, 'palisade_nodejs_eventloop_lag_p99_seconds') * 1000,
        latencyP99Ms: lat.length > 0 ? percentile(lat, 99) : 0,
        latencies: lat,
        errors,
        skipped,
        changeLogSize: (logDb.prepare('select count(*) as n from changes').get() as { n: number }).n,
        agentLag: Math.max(0, ...agents.map((a) => latestSeq - a.seq)),
        latestSeq,
      };
      errors = 0;
      skipped = 0;
      samples.push(s);
      if (samples.length % (60 / SAMPLE_SECONDS) === 0) {
        process.stdout.write(`  minute ${s.minute.toFixed(1)}: rss ${s.rssMb.toFixed(0)} MB, heap ${s.heapMb.toFixed(0)} MB, p99 ${s.latencyP99Ms.toFixed(1)} ms, log ${s.changeLogSize}, lag ${s.agentLag}\n`);
      }
    };

    // Open loop: request k starts at started + k·period whatever the answers do, so a slow server meets the same rate.
    for (let k = 0; ; k++) {
      const due = started + k * period;
      if (due >= end) break;
      const now = performance.now();
      if (due > now) await new Promise((r) => setTimeout(r, due - now));
      if (performance.now() >= nextSample) {
        nextSample += SAMPLE_SECONDS * 1000;
        await sample();
      }
      if (inFlight >= MAX_IN_FLIGHT) {
        skipped++;
        continue;
      }
      inFlight++;
      counter = k;
      const w = worlds[k % PROJECTS]!;
      void cycle[Math.floor(k / PROJECTS) % cycle.length]!(w).finally(() => inFlight--);
    }
    while (inFlight > 0) await new Promise((r) => setTimeout(r, 20));
    await sample();

    report(samples, failures, minutes, rate);
  } finally {
    for (const a of agents) a.agent.stop();
    await Promise.allSettled(agents.map((a) => a.running));
    logDb.close();
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

function report(samples: readonly Sample[], failures: readonly string[], minutes: number, rate: number): void {
  const rows: string[][] = [];
  for (let m = 0; m < Math.ceil(minutes); m++) {
    const inMinute = samples.filter((s) => s.minute > m && s.minute <= m + 1 + 1e-9);
    if (inMinute.length === 0) continue;
    const last = inMinute[inMinute.length - 1]!;
    const lat = inMinute.flatMap((s) => s.latencies);
    rows.push([
      String(m + 1), String(lat.length), String(inMinute.reduce((n, s) => n + s.errors, 0)), String(inMinute.reduce((n, s) => n + s.skipped, 0)),
      percentile(lat, 50).toFixed(1), percentile(lat, 99).toFixed(1), last.rssMb.toFixed(1), last.heapMb.toFixed(1),
      Math.max(...inMinute.map((s) => s.eventLoopP99Ms)).toFixed(1), String(last.changeLogSize), String(Math.max(...inMinute.map((s) => s.agentLag))),
      String(last.latestSeq),
    ]);
  }
  printTable(`Soak: ${minutes} min at ${rate} requests/s (per minute; memory, log size: at the minute's end)`,
    ['min', 'requests', 'errors', 'skipped', 'p50 ms', 'p99 ms', 'RSS MB', 'heap MB', 'ELD p99 ms', 'log size', 'agent lag', 'seq'], rows);

  const verdicts: string[][] = [];
  let failed = false;
  for (const name of Object.keys(BOUNDS) as (keyof typeof BOUNDS)[]) {
    const bound = BOUNDS[name];
    const points: Point[] = samples.map((s) => ({ minute: s.minute, value: s[name] }));
    const v = trend(points, bound);
    let ok = v.ok;
    let note = `rise ≤ max(${bound.relative * 100}% of level, ${bound.absolute})`;
    if (name === 'changeLogSize') {
      // Growing towards the retention is by design; past it, compaction must hold the level.
      const writesPerMinute = samples.length > 1 ? (samples.at(-1)!.latestSeq - samples[0]!.latestSeq) / (samples.at(-1)!.minute - samples[0]!.minute) : 0;
      const cap = RETENTION + 2 * writesPerMinute;
      const max = Math.max(...points.map((p) => p.value));
      const reached = points.filter((p) => p.minute >= points.at(-1)!.minute / 2).every((p) => p.value >= RETENTION);
      ok = max <= cap && (!reached || v.ok);
      note = `max ${max} ≤ ${cap.toFixed(0)} (retention + 2 min of writes)${reached ? `; ${note}` : '; retention not reached in the 2nd half: slope not judged'}`;
    }
    failed ||= !ok;
    verdicts.push([name, v.slopePerMinute.toFixed(3), v.rise.toFixed(2), v.allowed.toFixed(2), ok ? 'ok' : 'TRENDS UP', note]);
  }
  const totalErrors = samples.reduce((n, s) => n + s.errors, 0);
  printTable('Trend over the second half (least-squares fit of the 10 s samples)', ['series', 'slope /min', 'rise', 'allowed', 'verdict', 'bound'], verdicts);
  process.stdout.write(`errors: ${totalErrors}${failures.length > 0 ? `\n  ${failures.join('\n  ')}` : ''}\n`);
  if (failed || totalErrors > 0) {
    process.stdout.write('SOAK FAILED\n');
    process.exitCode = 1;
  } else process.stdout.write('SOAK PASSED\n');
}
