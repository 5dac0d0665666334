// Scrapes the server's and an agent's /metrics and checks the metric names and their labels.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentStateStore, HostAgent, NftTable, ServerClient, createAgentMetrics, listenForAgentMetrics, type LocalListener } from '../src/agent/index.js';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/main.js';
import { passwordAuth } from './support/identity-harness.js';
import { call, scratchSqlite } from './support/server-harness.js';

const TOKEN = 'scrape-secret-0123456789';
const HOST = 'metrics-host';

/** Metric name → the label sets of its samples, from the Prometheus text format. */
function samples(text: string): Map<string, Record<string, string>[]> {
  const out = new Map<string, Record<string, string>[]>();
  for (const line of text.split('\n')) {
    const m = /^([a-z_:][a-z0-9_:]*)(?:\{(.*)\})? /i.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g)].map((l) => [l[1]!, l[2]!]));
    out.set(m[1]!, [...(out.get(m[1]!) ?? []), labels]);
  }
  return out;
}

describe('metrics', () => {
  let server: RunningServer;
  let agentListener: LocalListener;
  let agent: HostAgent;
  let portId: string;
  const scripts: string[] = [];
  const metrics = createAgentMetrics();

  beforeAll(async () => {
    server = await startServer({ ...loadConfig({}), auth: 'noauth', port: 0, logLevel: 'silent', database: scratchSqlite(), metricsToken: TOKEN, metricsListen: { host: '127.0.0.1', port: 0 } });
    const admin = (method: string, path: string, body?: unknown) => call(server.url, 'admin', method, path, body);
    const net = (await admin('POST', '/v2.0/networks', { network: { name: 'n' } })).body.network.id;
    const subnet = (await admin('POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: '10.213.0.0/24', ip_version: 4 } })).body.subnet.id;
    const group = (await admin('POST', '/v2.0/security-groups', { security_group: { name: 'web' } })).body.security_group.id;
    await admin('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: group, direction: 'ingress', protocol: 'tcp', port_range_min: 80, port_range_max: 80 } });
    const port = { name: 'p', network_id: net, 'binding:host_id': HOST, device_owner: 'compute:nova', fixed_ips: [{ subnet_id: subnet, ip_address: '10.213.0.5' }], security_groups: [group] };
    portId = (await admin('POST', '/v2.0/ports', { port })).body.port.id;
    await admin('GET', `/v2.0/ports/${portId}`);
    await admin('GET', '/v2.0/ports/no-such-port');

    // The kernel is replaced by a runner that records the scripts: no namespace, no nft needed.
    agentListener = await listenForAgentMetrics(metrics, '127.0.0.1', 0);
    const latest = (await admin('GET', `/v2.0/palisade/changes?since=${Number.MAX_SAFE_INTEGER}`)).body.latest_seq as number;
    let reached!: () => void;
    const caughtUp = new Promise<void>((resolve) => (reached = resolve));
    agent = new HostAgent({
      host: HOST,
      client: new ServerClient(server.url, { project: 'admin' }),
      table: new NftTable(async (script) => void scripts.push(script)),
      store: new AgentStateStore(mkdtempSync(join(tmpdir(), 'palisade-metrics-agent-'))),
      waitSeconds: 1,
      metrics,
      onCommit: (seq) => seq >= latest && reached(),
    });
    void agent.run();
    await caughtUp;
  });

  afterAll(async () => {
    agent?.stop();
    await agentListener?.close();
    await server?.close();
  });

  it('refuses /metrics on the API listener without the token or an admin', async () => {
    expect((await fetch(`${server.url}/metrics`, { headers: { 'x-project-id': 'p1' } })).status).toBe(403);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
    expect((await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).status).toBe(200);
    expect((await fetch(`${server.url}/metrics`, { headers: { 'x-project-id': 'admin', 'x-roles': 'admin' } })).status).toBe(200);
  });

  it('serves the server metrics, labelled by route pattern, on the API and on its own listener', async () => {
    const viaApi = await (await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } })).text();
    const text = await (await fetch(`${server.metricsUrl}/metrics`)).text();
    for (const body of [viaApi, text]) {
      const s = samples(body);
      const requests = s.get('palisade_http_requests_total') ?? [];
      expect(requests).toContainEqual({ route: '/v2.0/ports/:id', method: 'GET', status: '200' });
      expect(requests).toContainEqual({ route: '/v2.0/ports/:id', method: 'GET', status: '404' });
      expect(requests).toContainEqual({ route: '/v2.0/ports', method: 'POST', status: '201' });
      expect(requests.some((l) => l['route']?.includes(portId))).toBe(false);
      expect(s.get('palisade_http_request_duration_seconds_bucket')).toContainEqual(expect.objectContaining({ route: '/v2.0/ports/:id', method: 'GET', status_class: '2xx', le: '+Inf' }));
      expect(s.get('palisade_store_query_duration_seconds_count')).toContainEqual({ operation: 'insert', outcome: 'ok' });
      expect(s.get('palisade_store_query_duration_seconds_count')).toContainEqual({ operation: 'select', outcome: 'ok' });
      expect(Number(/^palisade_change_log_seq (\d+)/m.exec(body)?.[1])).toBeGreaterThan(0);
      for (const name of ['palisade_change_follower_lag', 'palisade_analysis_queue_depth', 'palisade_process_resident_memory_bytes', 'palisade_nodejs_eventloop_lag_seconds']) {
        expect(s.has(name), name).toBe(true);
      }
      expect(body).toContain('# TYPE palisade_sign_ins_total counter');
      expect(body).toContain('# TYPE palisade_analysis_duration_seconds histogram');
    }
  });

  it('serves the agent metrics and health on its local listener', async () => {
    const s = samples(await (await fetch(`${agentListener.url}/metrics`)).text());
    expect(s.get('palisade_agent_commits_total')).toContainEqual({ kind: 'full' });
    expect(s.get('palisade_agent_commit_duration_seconds_count')).toContainEqual({ kind: 'full' });
    expect(s.get('palisade_agent_port_rules')).toEqual([{ port: portId }]);
    expect(Number(/^palisade_agent_port_rules\{[^}]*\} (\d+)/m.exec(await metrics.registry.metrics())?.[1])).toBe(3);
    expect(s.get('palisade_agent_applied_seq')).toEqual([{}]);
    for (const name of ['palisade_agent_lag', 'palisade_agent_resyncs_total', 'palisade_agent_conntrack_cuts_total', 'palisade_agent_nft_failures_total', 'palisade_agent_process_resident_memory_bytes']) {
      expect(s.has(name), name).toBe(true);
    }
    expect(scripts.length).toBeGreaterThan(0);
    const health = await fetch(`${agentListener.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', seq: agent.seq, lastError: null });
  });

  it('counts password sign-ins by outcome, and an admin token may scrape', async () => {
    const keystone = await startServer({ ...loadConfig({}), port: 0, logLevel: 'silent', database: scratchSqlite(), bootstrapAdminPassword: 'metrics-admin-pw' });
    try {
      const signIn = (password: string) => fetch(`${keystone.url}/identity/v3/auth/tokens`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(passwordAuth('admin', password, 'admin')) });
      expect((await signIn('wrong')).status).toBe(401);
      const ok = await signIn('metrics-admin-pw');
      expect(ok.status).toBe(201);
      const token = ok.headers.get('x-subject-token')!;
      const res = await fetch(`${keystone.url}/metrics`, { headers: { 'x-auth-token': token } });
      expect(res.status).toBe(200);
      const s = samples(await res.text());
      expect(s.get('palisade_sign_ins_total')).toEqual(expect.arrayContaining([{ outcome: 'failure' }, { outcome: 'success' }]));
      expect((await fetch(`${keystone.url}/metrics`)).status).toBe(401);
    } finally {
      await keystone.close();
    }
  });
});
