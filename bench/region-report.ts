// The region benchmark's printed tables: build times, small vs large per operation with the issue's targets, memory.
import { availableParallelism } from 'node:os';
import { printTable } from './bench-support.js';
import type { Built } from './region-bench.js';
import { ms, p50, p99, type Probe } from './region-http.js';
import type { Op } from './region-ops.js';
import type { LoadResult } from './server-process.js';

export interface Measured {
  readonly op: Op;
  readonly small: Probe;
  readonly large: Probe;
}

export interface RegionReport {
  readonly backend: 'sqlite' | 'postgres';
  readonly built: Built;
  readonly rows?: readonly Measured[];
  readonly load?: LoadResult;
  /** The server process's CPU time (all its threads) over the mixed load. */
  readonly loadCpuMs?: number;
  readonly rss?: readonly (readonly [string, number])[];
  readonly connections?: number;
  /** False when the server process had died by the end. */
  readonly alive?: boolean;
}

const NAME = { sqlite: 'SQLite', postgres: 'PostgreSQL' } as const;
const met = (ok: boolean) => (ok ? 'met' : 'NOT met');

/** The issue's target for an operation in the large project, and whether it was met. */
function target(m: Measured, backend: RegionReport['backend']): [string, string] {
  const { kind, name, n } = m.op;
  if (n === 1) return ['—', ''];
  if (kind === 'read') return ['p99 ≤ 10 ms, p50 ≤ 2× small', met(p99(m.large) <= 0.01 && p50(m.large) <= 2 * p50(m.small))];
  if (kind === 'write') return backend === 'sqlite' ? ['p99 ≤ 10 ms', met(p99(m.large) <= 0.01)] : ['— (SQLite only)', ''];
  if (name.startsWith('matrix')) return ['p99 ≤ 5 s', met(p99(m.large) <= 5)];
  return ['p99 ≤ 50 ms', met(p99(m.large) <= 0.05)];
}

function notes(p: Probe, label: string): string {
  return [p.timeouts > 0 && `${label}: ${p.timeouts} timeouts`, p.failures > 0 && `${label}: ${p.failures} failed (${p.firstError})`].filter(Boolean).join('; ');
}

export function printBuild(r: Pick<RegionReport, 'backend' | 'built'>): void {
  const total = r.built.parts.reduce((a, [, p]) => ({ seconds: a.seconds + p.seconds, objects: a.objects + p.objects }), { seconds: 0, objects: 0 });
  const row = (label: string, p: { seconds: number; objects: number }) => [label, p.objects.toLocaleString('en'), p.seconds.toFixed(1), (p.objects / p.seconds).toFixed(0)];
  printTable(
    `Region build on ${NAME[r.backend]} through Store.bulkLoad (${r.built.rules.toLocaleString('en')} rules; objects include networks, subnets, groups, rules, ports; each also gets its change-log record)`,
    ['part', 'objects', 'seconds', 'objects/s'],
    [...r.built.parts.map(([label, p]) => row(label, p)), row('total', total)],
  );
}

/**
 * What the mixed load's p99 can be, from its throughput: with `connections` requests always in flight, the
 * mean latency is connections / throughput (Little's law), and no p99 is below the mean. The server's CPU
 * per request bounds the throughput of one process (1,000 ms of CPU per second) and of the machine's cores.
 */
function loadBound(l: LoadResult, connections: number, cpu: number): string {
  const perSecond = l.requests.total / l.duration;
  const cpuPerRequest = cpu / l.requests.total;
  return `mixed load: ${l.requests.total} requests in ${l.duration.toFixed(1)} s = ${perSecond.toFixed(0)} requests/s; ` +
    `Little's law: mean latency at ${connections} in flight = ${((connections / perSecond) * 1000).toFixed(0)} ms; ` +
    `server CPU ${cpuPerRequest.toFixed(2)} ms per request (all threads), so one event loop serves at most ${(1000 / cpuPerRequest).toFixed(0)} requests/s ` +
    `and ${availableParallelism()} cores at most ${((1000 * availableParallelism()) / cpuPerRequest).toFixed(0)}; ` +
    `a p99 of 100 ms at ${connections} connections needs at least ${(connections / 0.1).toFixed(0)} requests/s`;
}

/** The HTTP table and the memory lines (the build table is printed as soon as the build is done). */
export function printRegion(r: RegionReport): void {
  if (!r.rows || !r.load || !r.rss) return;
  const rows = r.rows.map((m) => [
    m.op.name, String(m.op.n), ms(p50(m.small)), ms(p99(m.small)), ms(p50(m.large)), ms(p99(m.large)),
    Number.isFinite(p50(m.large) / p50(m.small)) ? (p50(m.large) / p50(m.small)).toFixed(1) : '—', ...target(m, r.backend),
    [notes(m.small, 'small'), notes(m.large, 'large')].filter(Boolean).join('; '),
  ]);
  const l = r.load;
  rows.push([
    `autocannon, ${r.connections} connections, mixed reads + writes`, String(l.requests.total), '', '', l.latency.p50.toFixed(2), l.latency.p99.toFixed(2), '',
    'p99 ≤ 100 ms', met(l.latency.p99 <= 100), [l.non2xx > 0 && `${l.non2xx} non-2xx`, l.errors > 0 && `${l.errors} errors (${l.timeouts} timeouts)`].filter(Boolean).join('; '),
  ]);
  printTable(
    `Region on ${NAME[r.backend]} over HTTP: small = the 300-rule project, large = the ${r.built.large.rules.toLocaleString('en')}-rule project (ms; 'timeout' = the percentile fell on a call past the per-request timeout)`,
    ['operation', 'n', 'small p50', 'small p99', 'large p50', 'large p99', 'large/small p50', 'target (large)', 'met?', 'notes'],
    rows,
  );
  process.stdout.write(`${loadBound(l, r.connections ?? 0, r.loadCpuMs ?? NaN)}\n`);
  const afterAnalysis = r.rss.find(([label]) => label.includes('analysis'))?.[1] ?? NaN;
  process.stdout.write(
    `server RSS (MB): ${r.rss.map(([label, mb]) => `${label} ${mb.toFixed(0)}`).join('; ')}; ` +
      `per million rules after the analysis calls ${(afterAnalysis / (r.built.rules / 1e6)).toFixed(0)}\n` +
      'engine memory: the server does not expose it; the engine cache loads every group, rule and port of the region on the first analysis call, ' +
      'so the RSS growth across the analysis calls is the best available estimate.\n' +
      (r.alive === false ? 'the server process had died by the end of the run: the first RSS that reads NaN says in which phase; rows after it measured a dead server.\n' : ''),
  );
}
