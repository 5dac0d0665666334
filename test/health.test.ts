// Liveness and readiness of the server over HTTP, and the agent's health endpoint after a refused nft commit.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentStateStore, HostAgent, NftTable, ServerClient, createAgentMetrics, listenForAgentMetrics } from '../src/agent/index.js';
import type { RunningServer } from '../src/main.js';
import { scratchSqlite, startReplica } from './support/server-harness.js';

describe('health', () => {
  let server: RunningServer;
  beforeAll(async () => {
    server = await startReplica(scratchSqlite());
  });
  afterAll(async () => {
    await server?.close();
  });

  it('/healthz and /readyz answer without credentials; /readyz reports each check', async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', ready: true, checks: { database: 'ok', migrations: 'ok', change_log: 'ok' }, latest_seq: expect.any(Number), lag: 0 });
  });

  it("the agent's /healthz turns 503 with the error while the kernel refuses its ruleset", async () => {
    const metrics = createAgentMetrics();
    const listener = await listenForAgentMetrics(metrics, '127.0.0.1', 0);
    const before = await fetch(`${listener.url}/healthz`);
    expect(before.status).toBe(503);
    let failed!: () => void;
    const refused = new Promise<void>((resolve) => (failed = resolve));
    const agent = new HostAgent({
      host: 'health-host',
      client: new ServerClient(server.url, { project: 'admin' }),
      table: new NftTable(async () => Promise.reject(new Error('nft: Operation not permitted'))),
      store: new AgentStateStore(mkdtempSync(join(tmpdir(), 'palisade-health-agent-'))),
      metrics,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
      // The loop logs a failure, records it, then backs off for a minute: one refusal only.
      log: { info: () => undefined, error: () => setImmediate(failed) },
    });
    const running = agent.run();
    await refused;
    const res = await fetch(`${listener.url}/healthz`);
    agent.stop();
    await running;
    await listener.close();
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ status: 'unhealthy', lastCommitAt: null, lastError: 'nft: Operation not permitted' });
    expect(await metrics.registry.getSingleMetricAsString('palisade_agent_nft_failures_total')).toMatch(/^palisade_agent_nft_failures_total 1$/m);
  });
});
