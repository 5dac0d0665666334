// Region benchmark (`npm run bench -- region`): a region built through Store.bulkLoad, then measured over HTTP.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPostgresStore, createSqliteStore, type BulkLoad, type Store } from '../src/store/index.js';
import { reportLoad, timeIt } from './bench-support.js';
import { merged, projectBatches, type ProjectFacts, type ProjectShape } from './region-data.js';
import { adminClient, ADMIN_PASSWORD, cpuMs, createMember, memberClient, rssMb, type Client } from './region-http.js';
import { analysisOperations, mixedLoad, operations, timeOp, type Iterations, type Op } from './region-ops.js';
import { printBuild, printRegion, type Measured } from './region-report.js';
import { dropSchema, postgresAvailable, POSTGRES_URL, spawnServer, type ServerProcess } from './server-process.js';

type Backend = 'sqlite' | 'postgres';
export interface RegionFlags {
  readonly scale: 'full' | 'small';
  readonly backends: readonly Backend[];
  readonly timeoutMs: number;
  readonly requests?: number;
  readonly buildOnly: boolean;
  /** Leave the region's database in place (and print where) instead of deleting it: for EXPLAIN and profiling. */
  readonly keep: boolean;
}

interface Scale {
  readonly background: number;
  readonly largeGroups: number;
  readonly largePorts: number;
  readonly iterations: Iterations;
  readonly requests: number;
}

const SCALES: Record<RegionFlags['scale'], Scale> = {
  full: { background: 1000, largeGroups: 1000, largePorts: 5000, iterations: { reads: 30, writes: 30, analysis: 10, matrix: 3 }, requests: 4000 },
  small: { background: 20, largeGroups: 100, largePorts: 500, iterations: { reads: 20, writes: 20, analysis: 5, matrix: 2 }, requests: 2000 },
};
/** Objects per bulkLoad call, so one transaction per batch. */
const BATCH = 20_000;
const CONNECTIONS = 200;
const SERVER_ENV = { PALISADE_AUTH: 'keystone', PALISADE_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD, PALISADE_TOKEN_TTL: '86400' };

export function parseRegionFlags(argv: readonly string[]): RegionFlags {
  const flag = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const scale = flag('scale') ?? 'full';
  if (scale !== 'full' && scale !== 'small') throw new Error(`--scale must be full or small, got '${scale}'`);
  const backends = (flag('backends') ?? 'sqlite,postgres').split(',') as Backend[];
  const requests = flag('requests');
  return {
    scale, backends, timeoutMs: Number(flag('timeout') ?? 120) * 1000, buildOnly: argv.includes('--build-only'), keep: argv.includes('--keep'),
    ...(requests !== undefined && { requests: Number(requests) }),
  };
}

const count = (b: BulkLoad) => Object.values(b).reduce((n: number, list: readonly unknown[] | undefined) => n + (list?.length ?? 0), 0);

async function load(store: Store, batches: Iterable<BulkLoad>): Promise<{ seconds: number; objects: number }> {
  let objects = 0;
  const [seconds = 0] = await timeIt(1, async () => {
    for (const b of batches) {
      objects += count(b);
      await store.bulkLoad(b);
    }
  });
  return { seconds, objects };
}

export interface Built {
  readonly parts: readonly (readonly [string, { seconds: number; objects: number }])[];
  readonly large: ProjectFacts;
  readonly small: ProjectFacts;
  readonly rules: number;
}

/** The background projects (each port in one or two groups), then the large and the 300-rule project. */
async function build(store: Store, scale: Scale, ids: { large: string; small: string }): Promise<Built> {
  const shape = (projectId: string, groups: number, ports: number, groupsPerPort: (i: number) => number): ProjectShape =>
    ({ projectId, groups, rulesPerGroup: 100, ports, groupsPerPort });
  const background = function* () {
    for (let p = 0; p < scale.background; p++) yield* projectBatches(shape(`region-${p}`, 10, 100, (i) => 1 + (i % 2)), BATCH);
  };
  const large: { value?: ProjectFacts } = {};
  const small: { value?: ProjectFacts } = {};
  const parts = [
    [`${scale.background} projects × (10 groups, 1,000 rules, 100 ports)`, await load(store, merged(background(), BATCH))],
    [`large project (${scale.largeGroups} groups, ${scale.largeGroups * 100} rules, ${scale.largePorts} ports)`, await load(store, projectBatches(shape(ids.large, scale.largeGroups, scale.largePorts, () => 2), BATCH, large))],
    ['300-rule project (3 groups, 30 ports)', await load(store, projectBatches(shape(ids.small, 3, 30, () => 2), BATCH, small))],
  ] as const;
  return { parts, large: large.value!, small: small.value!, rules: (scale.background * 10 + scale.largeGroups + 3) * 100 };
}

/** Each op in the small then the large project, in one run. */
async function both(ops: readonly Op[], small: [Client, ProjectFacts], large: [Client, ProjectFacts]): Promise<Measured[]> {
  const out: Measured[] = [];
  for (const op of ops) out.push({ op, small: await timeOp(...small, op), large: await timeOp(...large, op) });
  return out;
}

async function measureServer(server: ServerProcess, built: Built, scale: Scale, flags: RegionFlags, backend: Backend): Promise<void> {
  const rss = [['after the build (server started)', await rssOf(server)]] as [string, number][];
  const admin = await adminClient(server.url, flags.timeoutMs);
  for (const id of [built.large.projectId, built.small.projectId]) {
    await admin.call('PUT', `/v2.0/quotas/${id}`, { quota: { security_group: -1, security_group_rule: -1, port: -1 } });
  }
  const small: [Client, ProjectFacts] = [await memberClient(server.url, 'region-small', flags.timeoutMs), built.small];
  const large: [Client, ProjectFacts] = [await memberClient(server.url, 'region-large', flags.timeoutMs), built.large];
  const cold: Op = { name: 'first list after start (cold, 1 call)', kind: 'read', n: 1, run: (c) => c.call('GET', '/v2.0/security-groups?limit=1') };
  const rows = await both([cold, ...operations(scale.iterations)], small, large);
  rss.push(['after the reads and writes', await rssOf(server)]);
  rows.push(...(await both(analysisOperations(scale.iterations), small, large)));
  rss.push(['after the analysis calls', await rssOf(server)]);
  const cpuBefore = await cpuMs(server.child.pid);
  const load = await mixedLoad(large[0], large[1], CONNECTIONS, flags.requests ?? scale.requests);
  const loadCpuMs = (await cpuMs(server.child.pid)) - cpuBefore;
  rss.push(['after the mixed load', await rssOf(server)]);
  printRegion({ backend, built, rows, load, loadCpuMs, rss, connections: CONNECTIONS, alive: server.child.exitCode === null && server.child.signalCode === null });
}

const rssOf = (server: ServerProcess) => rssMb(server.child.pid);

async function runBackend(backend: Backend, flags: RegionFlags): Promise<void> {
  const scale = SCALES[flags.scale];
  const dir = backend === 'sqlite' ? mkdtempSync(join(tmpdir(), 'palisade-region-')) : '';
  const schema = `palisade_region_${process.pid}`;
  const databaseUrl = backend === 'sqlite' ? `sqlite:${join(dir, 'region.db')}` : `${POSTGRES_URL}?schema=${schema}`;
  let server: ServerProcess | undefined;
  try {
    // The identity projects first, through the API: the region's two measured projects take their ids.
    server = await spawnServer(databaseUrl, SERVER_ENV);
    const admin = await adminClient(server.url, flags.timeoutMs);
    const ids = { large: await createMember(admin, 'region-large'), small: await createMember(admin, 'region-small') };
    await server.stop();
    const store = backend === 'sqlite' ? await createSqliteStore(join(dir, 'region.db')) : await createPostgresStore(POSTGRES_URL, { schema });
    const built = await build(store, scale, ids).finally(() => store.close());
    printBuild({ backend, built });
    if (flags.buildOnly) return;
    server = await spawnServer(databaseUrl, SERVER_ENV, 600);
    await measureServer(server, built, scale, flags, backend);
  } finally {
    await server?.stop();
    if (flags.keep) process.stdout.write(`region database kept: ${databaseUrl}\n`);
    else if (backend === 'sqlite') rmSync(dir, { recursive: true, force: true });
    else await dropSchema(schema);
  }
}

export async function runRegionBench(argv: readonly string[] = process.argv.slice(2)): Promise<void> {
  const flags = parseRegionFlags(argv);
  process.stdout.write(`region benchmark, scale ${flags.scale}, per-request timeout ${flags.timeoutMs / 1000} s\n`);
  reportLoad();
  for (const backend of flags.backends) {
    if (backend === 'postgres' && !(await postgresAvailable())) {
      process.stdout.write(`PostgreSQL not reachable at ${POSTGRES_URL}: PostgreSQL skipped\n`);
      continue;
    }
    await runBackend(backend, flags);
    reportLoad();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await runRegionBench();
