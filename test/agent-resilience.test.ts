// The agent when things go wrong (issue #4, item 4): server away, restart, expired sequence, malformed change, failed nft run.
import type { ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostChangeWire, HostPageWire, PortWire } from '../src/contract/index.js';
import { AgentStateStore, CommandError, HostAgent, NftTable, ServerClient, labDown, labUp, nftRunner, type ScriptRunner } from '../src/agent/index.js';
import { startServer, type RunningServer } from '../src/main.js';
import { createServices } from '../src/service/index.js';
import { createSqliteStore } from '../src/store/index.js';
import { deleteNetns, lineOf, makeHostNetns, netnsUnavailable, probe, scratchDir, sh, spawnProbe, uniq, until } from './agent-support.js';
import { hasCapability } from './support/capability.js';
import { call as httpCall } from './support/server-harness.js';

const u = uniq();
const HOST = `pfresh${u}`;
const ns = { a: `pfresa${u}`, b: `pfresb${u}`, d: `pfresd${u}` };
const ip = { a: '10.212.0.11', b: '10.212.0.12', d: '10.212.0.14' };
const BACKOFF = { initialMs: 50, maxMs: 400 };
/** The server keeps only this many changes once its compaction timer fires. */
const RETENTION = 3;
type Json = Record<string, any>;

let server: RunningServer;
let client: ServerClient;
let net = '';
let subnet = '';
const groups: Record<string, string> = {};
let scratch: ReturnType<typeof scratchDir>;
const servers: ChildProcess[] = [];
const agents: AgentRun[] = [];

async function call(method: string, path: string, body?: unknown): Promise<Json> {
  const reply = await httpCall(server.url, 'admin', method, path, body);
  if (reply.status >= 300) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
  return (reply.body ?? {}) as Json;
}

/**
 * Compacts the server's log now, as its once-a-minute job would (a second replica on the same database:
 * the scheduler's timer and its job claim run on wall-clock time, which a test cannot advance).
 */
async function compactLog(): Promise<void> {
  const store = await createSqliteStore(`${scratch.dir}/p.db`);
  const replica = createServices({ store, changeRetention: RETENTION });
  try {
    await replica.changes.compact();
  } finally {
    await replica.stop();
    await store.close();
  }
}

const latestSeq = async (): Promise<number> => (await call('GET', `/v2.0/palisade/changes?since=${Number.MAX_SAFE_INTEGER}`))['latest_seq'] as number;

async function rule(group: string, port: number): Promise<string> {
  const body = { security_group_rule: { security_group_id: groups[group], direction: 'ingress', protocol: 'tcp', port_range_min: port, port_range_max: port } };
  return (await call('POST', '/v2.0/security-group-rules', body))['security_group_rule']['id'] as string;
}

async function port(name: string, address: string, group: string): Promise<PortWire> {
  const body = { port: { name, network_id: net, 'binding:host_id': HOST, device_owner: 'compute:nova', fixed_ips: [{ subnet_id: subnet, ip_address: address }], security_groups: [groups[group]] } };
  return (await call('POST', '/v2.0/ports', body))['port'] as PortWire;
}

const open = (to: string, p: number): Promise<string> => probe(ns.a, 'connect', to, String(p));
const table = (): Promise<string> => sh(HOST, 'nft', 'list', 'table', 'inet', 'palisade');

/** The timeline of one agent: its log lines and, as `nft`, every script its table handed to the runner. */
interface Line {
  readonly at: number;
  readonly kind: 'info' | 'error' | 'nft';
  readonly text: string;
}

interface AgentRun {
  readonly agent: HostAgent;
  readonly lines: Line[];
  committed: number;
  stop(): Promise<void>;
}

function startAgent(stateDir: string, options: { client?: ServerClient; wrap?: (run: ScriptRunner) => ScriptRunner } = {}): AgentRun {
  const real = nftRunner(HOST);
  const lines: Line[] = [];
  const note = (kind: Line['kind']) => (text: string) => void lines.push({ at: performance.now(), kind, text });
  const counted: ScriptRunner = async (script, elements) => {
    note('nft')(script);
    await real(script, elements);
  };
  const agent = new HostAgent({
    host: HOST, netns: HOST, client: options.client ?? client, store: new AgentStateStore(stateDir),
    table: new NftTable(options.wrap ? options.wrap(counted) : counted), waitSeconds: 1, backoff: BACKOFF,
    log: { info: note('info'), error: note('error') },
    onCommit: (seq) => (run.committed = seq),
  });
  const running = agent.run();
  const run: AgentRun = {
    agent, lines, committed: -1,
    async stop() {
      agent.stop();
      await running;
      (real as Partial<{ close(): void }>).close?.();
      agents.splice(agents.indexOf(run), 1);
    },
  };
  agents.push(run);
  return run;
}

/** Waits until the agent has committed everything the server logged so far. */
async function settled(run: AgentRun): Promise<void> {
  const latest = await latestSeq();
  expect(await until(async () => run.committed >= latest, 10_000, 20)).toBe(true);
}

const errors = (run: AgentRun): Line[] => run.lines.filter((l) => l.kind === 'error');
const texts = (run: AgentRun, kind: Line['kind']): string[] => run.lines.filter((l) => l.kind === kind).map((l) => l.text);
const retryMs = (line: Line): number => Number(/retrying in (\d+) ms/.exec(line.text)?.[1]);

/** Records what the agent asks of its host feed and which records it was given. */
class RecordingClient extends ServerClient {
  readonly since: number[] = [];
  readonly given: number[] = [];
  override async hostChanges(host: string, since: number, waitSeconds: number, signal?: AbortSignal): Promise<HostPageWire | 'expired'> {
    this.since.push(since);
    const page = await super.hostChanges(host, since, waitSeconds, signal);
    if (page !== 'expired') this.given.push(...page.changes.map((c) => c.seq));
    return page;
  }
}

/** The real server never sends a malformed change: this client garbles the rule records of one page, and can hold full listings back. */
class GarblingClient extends ServerClient {
  garbleNext = false;
  listingsHeld: Promise<void> = Promise.resolve();
  override async hostChanges(host: string, since: number, waitSeconds: number, signal?: AbortSignal): Promise<HostPageWire | 'expired'> {
    const page = await super.hostChanges(host, since, waitSeconds, signal);
    if (page === 'expired' || !this.garbleNext || !page.changes.some((c) => c.resource === 'security_group_rule')) return page;
    this.garbleNext = false;
    const garble = (c: HostChangeWire): HostChangeWire =>
      c.resource === 'security_group_rule' && c.object ? { ...c, object: { ...c.object, remote_ip_prefix: 'not-a-prefix', normalized_cidr: 'not-a-prefix' } as HostChangeWire['object'] } : c;
    return { ...page, changes: page.changes.map(garble) };
  }

  override async hostState(host: string): ReturnType<ServerClient['hostState']> {
    await this.listingsHeld;
    return super.hostState(host);
  }
}

/** A TCP forwarder to the server that can be cut (connections reset, port closed) and opened again on the same port. */
function cuttableProxy(target: number) {
  const sockets = new Set<Socket>();
  const proxy = createServer((inbound) => {
    const outbound = connect(target, '127.0.0.1');
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined).on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  let port = 0;
  const listen = () => new Promise<void>((resolve) => proxy.listen(port, '127.0.0.1', () => ((port = (proxy.address() as { port: number }).port), resolve())));
  return {
    url: () => `http://127.0.0.1:${port}`,
    open: listen,
    async cut(): Promise<void> {
      const closed = new Promise((resolve) => proxy.close(resolve));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}

const skip = !hasCapability('network namespaces and nftables', netnsUnavailable());

describe.skipIf(skip)('agent resilience', () => {
  beforeAll(async () => {
    scratch = scratchDir('palisade-resilience-');
    server = await startServer({ host: '127.0.0.1', port: 0, auth: 'noauth', changeRetention: RETENTION, logLevel: 'silent', database: { kind: 'sqlite', path: `${scratch.dir}/p.db` } });
    client = new ServerClient(server.url, { project: 'admin' });
    net = (await call('POST', '/v2.0/networks', { network: { name: `net-${u}` } }))['network']['id'];
    subnet = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: '10.212.0.0/24', ip_version: 4 } }))['subnet']['id'];
    for (const g of ['CLIENT', 'WEB']) groups[g] = (await call('POST', '/v2.0/security-groups', { security_group: { name: `${g}-${u}` } }))['security_group']['id'];
    await rule('WEB', 80);
    await makeHostNetns(HOST);
    await labUp([await port(ns.a, ip.a, 'CLIENT'), await port(ns.b, ip.b, 'WEB')], `${scratch.dir}/lab.json`, { hostNetns: HOST });
    const echo = spawnProbe(ns.b, 'serve', '80', '81', '82', '83', '84', '8081');
    servers.push(echo);
    await lineOf(echo, /ready/);
  });

  afterAll(async () => {
    for (const run of [...agents]) await run.stop().catch(() => undefined);
    for (const s of servers) s.kill();
    for (const lab of ['lab.json', 'lab-d.json']) await labDown(`${scratch.dir}/${lab}`);
    await deleteNetns(HOST);
    server?.app.server.closeAllConnections();
    await server?.close();
    scratch?.remove();
  });

  it('server away: the kernel table stays, retries back off, and the agent catches up once the server is back', async () => {
    const proxy = cuttableProxy(Number(new URL(server.url).port));
    await proxy.open();
    const run = startAgent(`${scratch.dir}/away`, { client: new ServerClient(proxy.url(), { project: 'admin' }) });
    await settled(run);
    const [before, seq] = [await table(), run.agent.seq];
    await proxy.cut();
    await rule('WEB', 81);
    expect(await until(async () => errors(run).length >= 5, 5000, 10)).toBe(true);
    expect(await Promise.all([open(ip.b, 80), open(ip.b, 81)])).toEqual(['open', 'closed']);
    expect(await table()).toBe(before);
    expect(run.agent.seq).toBe(seq);
    const outage = errors(run);
    expect(outage.slice(0, 5).map(retryMs)).toEqual([50, 100, 200, 400, 400]);
    for (let i = 1; i < outage.length; i++) expect(outage[i]!.at - outage[i - 1]!.at).toBeGreaterThanOrEqual(retryMs(outage[i - 1]!) - 5);
    expect(outage[0]!.text).toMatch(/keeping the last ruleset/);

    await proxy.open();
    await settled(run);
    expect(await open(ip.b, 81)).toBe('open');
    // A later outage starts again from the initial delay.
    const seen = errors(run).length;
    await proxy.cut();
    expect(await until(async () => errors(run).length > seen, 5000, 10)).toBe(true);
    expect(retryMs(errors(run)[seen]!)).toBe(BACKOFF.initialMs);
    await proxy.open();
    await run.stop();
    await proxy.cut();
  });

  it('restart: resumes from its saved sequence, applies exactly the missed changes, and an open connection survives', async () => {
    const dir = `${scratch.dir}/restart`;
    const first = startAgent(dir);
    await settled(first);
    const hold = spawnProbe(ns.a, 'hold', ip.b, '80');
    await lineOf(hold, /alive/);
    let died = false;
    void lineOf(hold, /dead/, 60_000).then(() => (died = true), () => undefined);
    await first.stop();
    const saved = first.agent.seq;
    await rule('WEB', 82);
    const gone = (await call('GET', `/v2.0/security-group-rules?security_group_id=${groups['WEB']}&port_range_min=81`))['security_group_rules'] as Json[];
    await call('DELETE', `/v2.0/security-group-rules/${gone[0]!['id']}`);
    const missed = ((await call('GET', `/v2.0/palisade/hosts/${HOST}/changes?since=${saved}`))['changes'] as HostChangeWire[]).map((c) => c.seq);
    expect(missed.length).toBeGreaterThanOrEqual(2);

    const recording = new RecordingClient(server.url, { project: 'admin' });
    const second = startAgent(dir, { client: recording });
    await settled(second);
    expect(texts(second, 'info')).toContain(`agent: resuming from seq ${saved}`);
    expect(texts(second, 'info').some((t) => t.includes('full resync'))).toBe(false);
    expect(recording.since[0]).toBe(saved);
    expect(recording.given).toEqual(missed);
    expect(second.agent.seq).toBe(await latestSeq());
    expect(await Promise.all([open(ip.b, 82), open(ip.b, 81)])).toEqual(['open', 'closed']);
    hold.kill();
    expect(died).toBe(false);
    await second.stop();
  });

  it('expired sequence (410): resyncs from full listings and commits the result in one nft transaction', async () => {
    const dir = `${scratch.dir}/expired`;
    const first = startAgent(dir);
    await settled(first);
    await first.stop();
    const saved = first.agent.seq;
    await rule('WEB', 83);
    const gone = (await call('GET', `/v2.0/security-group-rules?security_group_id=${groups['WEB']}&port_range_min=82`))['security_group_rules'] as Json[];
    await call('DELETE', `/v2.0/security-group-rules/${gone[0]!['id']}`);
    for (let i = 0; i < RETENTION; i++) await call('PUT', `/v2.0/security-groups/${groups['WEB']}`, { security_group: { description: `edit ${i}` } });
    await compactLog();
    expect(await until(async () => (await httpCall(server.url, 'admin', 'GET', `/v2.0/palisade/changes?since=${saved}`)).status === 410)).toBe(true);

    const second = startAgent(dir);
    await settled(second);
    const latest = await latestSeq();
    const info = texts(second, 'info');
    expect(info).toContain(`agent: resuming from seq ${saved}`);
    expect(info).toContain(`agent: seq ${saved} is older than the log; resyncing`);
    expect(info).toContain(`agent: full resync at seq ${latest}`);
    const expiredAt = second.lines.findIndex((l) => l.text.includes('older than the log'));
    expect(second.lines.slice(expiredAt).filter((l) => l.kind === 'nft')).toHaveLength(1);
    expect(await Promise.all([open(ip.b, 83), open(ip.b, 82)])).toEqual(['open', 'closed']);
    expect((JSON.parse(readFileSync(`${dir}/snapshot.json`, 'utf8')) as { seq: number }).seq).toBe(latest);
    await second.stop();
  });

  it('malformed change: logged, the last ruleset stays, then a full resync converges', async () => {
    const garbling = new GarblingClient(server.url, { project: 'admin' });
    const run = startAgent(`${scratch.dir}/malformed`, { client: garbling });
    await settled(run);
    const before = await table();
    let release = (): void => undefined;
    garbling.listingsHeld = new Promise((resolve) => (release = resolve));
    garbling.garbleNext = true;
    await rule('WEB', 84);
    expect(await until(async () => errors(run).length > 0, 5000, 10)).toBe(true);
    expect(errors(run)[0]!.text).toMatch(/"not-a-prefix" is not an address.*keeping the last ruleset/);
    expect(await open(ip.b, 84)).toBe('closed');
    expect(await table()).toBe(before);
    release();
    await settled(run);
    expect(texts(run, 'info').filter((t) => t.includes('full resync'))).toHaveLength(2);
    expect(await open(ip.b, 84)).toBe('open');
    await run.stop();
  });

  it('failed nft run: logged and retried, the kernel keeps the previous table, a port added meanwhile is never reachable, and a restart finds it', async () => {
    const dir = `${scratch.dir}/nft-fails`;
    let failing = false;
    const run = startAgent(dir, {
      wrap: (real) => async (script, elements) => {
        if (failing) throw new CommandError('nft -f -', 1, 'Error: simulated failure');
        await real(script, elements);
      },
    });
    await settled(run);
    const before = await table();
    failing = true;
    const d = await port(ns.d, ip.d, 'WEB');
    await labUp([d], `${scratch.dir}/lab-d.json`, { hostNetns: HOST });
    const echo = spawnProbe(ns.d, 'serve', '80', '8081');
    servers.push(echo);
    await lineOf(echo, /ready/);
    expect(await until(async () => errors(run).length >= 3, 5000, 10)).toBe(true);
    expect(await Promise.all([open(ip.d, 80), open(ip.d, 8081)])).toEqual(['closed', 'closed']);
    expect(await table()).toBe(before);
    expect(errors(run)[0]!.text).toMatch(/nft -f - exited with 1: Error: simulated failure; keeping the last ruleset/);
    failing = false;
    await settled(run);
    expect(await Promise.all([open(ip.d, 80), open(ip.d, 8081)])).toEqual(['open', 'closed']);
    // One more change journaled after the failed one: a journal that skipped port D would now hide it behind a later seq.
    await call('PUT', `/v2.0/security-groups/${groups['CLIENT']}`, { security_group: { description: 'after the failure' } });
    await settled(run);
    await run.stop();

    const again = startAgent(dir);
    await settled(again);
    expect(texts(again, 'info')).toContain(`agent: resuming from seq ${run.agent.seq}`);
    expect(await open(ip.d, 80)).toBe('open');
    await again.stop();
  });
});
