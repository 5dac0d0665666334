// One of two PostgreSQL replicas restarted under load: round-robin clients lose nothing, agents resume from their seq.
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentStateStore, HostAgent, NftTable, ServerClient } from '../src/agent/index.js';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/main.js';
import { scratchDir, uniq } from './agent-support.js';
import { hasCapability } from './support/capability.js';
import { call, dropSchema, POSTGRES_URL, scratchPostgres, startReplica, type Database } from './support/server-harness.js';

const PROJECT = 'rolling';
const HEADERS = { 'x-project-id': PROJECT, 'x-roles': 'member', 'content-type': 'application/json' };
const CLIENTS = 4;

interface Outcome {
  readonly status: number;
  readonly body: string;
}

/**
 * One request on a connection of its own. Clients here do not reuse connections: a keep-alive socket the
 * stopping server closes while a POST is on its way leaves the client unable to tell whether it was
 * applied, which no server can rule out; a fresh connection is either refused or served.
 */
function send(base: string, method: string, path: string, body?: unknown): Promise<Outcome> {
  const bytes = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method, agent: false, headers: { ...HEADERS, ...(bytes && { 'content-length': bytes.length }) } }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(bytes);
  });
}

/** Refused before anything was done: nothing listens (restarting), or the stopping server answered 503 unprocessed. */
function retriable(outcome: Outcome | Error): boolean {
  return outcome instanceof Error ? (outcome as NodeJS.ErrnoException).code === 'ECONNREFUSED' : outcome.status === 503;
}

/** A client with a round-robin list of replicas: a refused request goes to the next one. */
class RoundRobinClient {
  #next = 0;
  retries = 0;
  readonly failures: string[] = [];
  constructor(readonly urls: () => readonly string[]) {}

  async call(method: string, path: string, body: unknown, expected: number): Promise<Outcome | undefined> {
    for (let attempt = 0; attempt < 50; attempt++) {
      const base = this.urls()[this.#next++ % this.urls().length]!;
      const outcome = await send(base, method, path, body).catch((e: Error) => e);
      if (retriable(outcome)) {
        this.retries++;
        continue;
      }
      if (outcome instanceof Error || outcome.status !== expected) {
        this.failures.push(`${method} ${path} at ${base}: ${outcome instanceof Error ? outcome.message : `${outcome.status} ${outcome.body.slice(0, 200)}`}`);
        return undefined;
      }
      return outcome;
    }
    this.failures.push(`${method} ${path}: refused 50 times`);
    return undefined;
  }
}

describe('rolling restart of one of two PostgreSQL replicas', () => {
  if (!hasCapability('PostgreSQL', POSTGRES_URL ? null : 'set PALISADE_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')) return;
  const u = uniq();
  const host = `roll-${u}`;
  const scratch = scratchDir('palisade-rolling-');
  let database: Database;
  let schema: string;
  let a: RunningServer;
  let b: RunningServer;
  let group = '';

  beforeAll(async () => {
    ({ database, schema } = scratchPostgres());
    a = await startReplica(database);
    b = await startReplica(database);
    const admin = (method: string, path: string, body: unknown) => call(a.url, 'admin', method, path, body);
    expect((await admin('PUT', `/v2.0/quotas/${PROJECT}`, { quota: { security_group_rule: -1, port: -1 } })).status).toBe(200);
    const net = (await call(a.url, PROJECT, 'POST', '/v2.0/networks', { network: { name: 'n' } })).body.network;
    const subnet = (await call(a.url, PROJECT, 'POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.77.0.0/16' } })).body.subnet;
    group = (await call(a.url, PROJECT, 'POST', '/v2.0/security-groups', { security_group: { name: 'rolled' } })).body.security_group.id;
    const port = await admin('POST', '/v2.0/ports', {
      port: { project_id: PROJECT, network_id: net.id, 'binding:host_id': host, fixed_ips: [{ subnet_id: subnet.id }], security_groups: [group] },
    });
    expect(port.status).toBe(201);
  }, 120_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await dropSchema(schema);
    scratch.remove();
  });

  it('clients see only retriable refusals, every acknowledged write survives, agents resume from their seq', async () => {
    const urls = () => [a.url, b.url];
    // Two agents following the replica that restarts, with a recording table instead of nftables.
    const agents = [0, 1].map((i) => {
      const log: string[] = [];
      const state = { committed: -1, log };
      const agent = new HostAgent({
        host, client: new ServerClient(a.url, { project: 'admin' }), table: new NftTable(async () => undefined),
        store: new AgentStateStore(`${scratch.dir}/agent-${i}`), waitSeconds: 5, backoff: { initialMs: 50, maxMs: 200 },
        log: { info: (m) => void log.push(m), error: (m) => void log.push(`ERROR ${m}`) },
        onCommit: (seq) => (state.committed = seq),
      });
      return { agent, state, running: agent.run() };
    });
    const latest = async () => {
      const head = await call(b.url, 'admin', 'GET', `/v2.0/palisade/changes?since=${Number.MAX_SAFE_INTEGER}`);
      expect(head.status).toBe(200);
      return head.body.latest_seq as number;
    };
    const caughtUp = async () => {
      const target = await latest();
      const started = Date.now();
      while (agents.some((x) => x.state.committed < target)) {
        if (Date.now() - started > 20_000) throw new Error(`agents at ${agents.map((x) => x.state.committed)} not at ${target} within 20 s`);
        await new Promise((r) => setTimeout(r, 20));
      }
    };
    await caughtUp();

    const clients = Array.from({ length: CLIENTS }, () => new RoundRobinClient(urls));
    const written: string[] = [];
    let loading = true;
    const load = clients.map(async (client, c) => {
      for (let i = 0; loading; i++) {
        const port = 1024 + c * 10_000 + i;
        const created = await client.call('POST', '/v2.0/security-group-rules', {
          security_group_rule: { security_group_id: group, direction: 'ingress', protocol: 'tcp', port_range_min: port, port_range_max: port },
        }, 201);
        if (created) written.push(JSON.parse(created.body).security_group_rule.id);
        await client.call('GET', `/v2.0/security-group-rules?security_group_id=${group}&limit=5`, undefined, 200);
      }
    });

    /** Waits for `n` more acknowledged writes: load before, during and after the restart, however busy the machine. */
    const writes = async (n: number) => {
      const target = written.length + n;
      while (written.length < target) await new Promise((r) => setTimeout(r, 20));
    };
    await writes(10);
    const writtenBefore = written.length;
    // The rolling step: stop A as SIGTERM does, leave it down a moment, start it again on the same port.
    const port = Number(new URL(a.url).port);
    await a.close();
    await new Promise((r) => setTimeout(r, 500));
    a = await startServer({ ...loadConfig({}), auth: 'noauth', port, logLevel: 'silent', database });
    await writes(2 * CLIENTS);
    loading = false;
    await Promise.all(load);

    expect(clients.flatMap((c) => c.failures)).toEqual([]);
    // The restart was felt: some requests were refused and retried at the other replica.
    expect(clients.reduce((n, c) => n + c.retries, 0)).toBeGreaterThan(0);
    expect(written.length).toBeGreaterThan(writtenBefore);
    const listed = await send(b.url, 'GET', `/v2.0/security-group-rules?security_group_id=${group}&fields=id`);
    const ids = new Set((JSON.parse(listed.body).security_group_rules as { id: string }[]).map((r) => r.id));
    expect(written.filter((id) => !ids.has(id))).toEqual([]);

    await caughtUp();
    for (const { agent, state, running } of agents) {
      // One full load at the start; after the restart each went on from its seq, with every rule of the port's group.
      expect(state.log.filter((l) => /full resync/.test(l))).toHaveLength(1);
      expect(state.log.filter((l) => /seq jumped|older than the log/.test(l))).toEqual([]);
      // What it met while A was away: refused connections (fetch failed) or the stopping server's 503, nothing else.
      expect(state.log.filter((l) => l.startsWith('ERROR') && !/ERROR agent: (fetch failed|GET \S+: 503 )/.test(l))).toEqual([]);
      expect(new Set([...agent.model.rules.values()].filter((r) => r.groupId === group).map((r) => r.id))).toEqual(ids);
      agent.stop();
      await running;
    }
  }, 120_000);
});
