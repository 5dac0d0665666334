// Two API replicas on one PostgreSQL database behave as one server, and their change feed has no gaps.
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Change } from '../src/domain/index.js';
import type { RunningServer } from '../src/main.js';
import { createServices, makeRequestContext, type Services } from '../src/service/index.js';
import { createPostgresStore, type Store } from '../src/store/index.js';
import { hasCapability } from './support/capability.js';
import { call, dropSchema, POSTGRES_URL, scratchPostgres, startReplica } from './support/server-harness.js';

describe('two replicas on PostgreSQL', () => {
  if (!hasCapability('PostgreSQL', POSTGRES_URL ? null : 'set PALISADE_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')) return;
  let a: RunningServer;
  let b: RunningServer;
  let schema: string;
  /** A third replica without HTTP, to watch what its services hear. */
  let observerStore: Store;
  let observer: Services;
  const heard: Change[] = [];
  const heardExternal: Change[] = [];
  const ownSeqs: number[] = [];

  beforeAll(async () => {
    const s = scratchPostgres();
    schema = s.schema;
    [a, b, observerStore] = await Promise.all([
      startReplica(s.database),
      startReplica(s.database),
      createPostgresStore(s.database.kind === 'postgres' ? s.database.url : ''),
    ]);
    observer = createServices({ store: observerStore });
    observer.onChanges((changes) => heard.push(...changes));
    observer.onExternalChanges((changes) => heardExternal.push(...changes));
    observer.onCommit((changes) => ownSeqs.push(...changes.map((c) => c.seq)));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    observer?.stop();
    await observerStore?.close();
    await dropSchema(schema);
  });

  async function until(check: () => boolean, ms: number): Promise<number> {
    const started = Date.now();
    while (!check()) {
      if (Date.now() - started > ms) throw new Error(`not within ${ms} ms`);
      await new Promise((r) => setTimeout(r, 5));
    }
    return Date.now() - started;
  }

  it('a write acknowledged by one is visible on the other at once', async () => {
    for (let i = 0; i < 20; i++) {
      const g = await call(a.url, 'p1', 'POST', '/v2.0/security-groups', { security_group: { name: `g${i}` } });
      expect(g.status).toBe(201);
      const seen = await call(b.url, 'p1', 'GET', `/v2.0/security-groups/${g.body.security_group.id}`);
      expect(seen.status).toBe(200);
      const del = await call(b.url, 'p1', 'DELETE', `/v2.0/security-groups/${g.body.security_group.id}`);
      expect(del.status).toBe(204);
      expect((await call(a.url, 'p1', 'GET', `/v2.0/security-groups/${g.body.security_group.id}`)).status).toBe(404);
    }
  });

  it("a long-poll on one replica wakes soon after the other's commit", async () => {
    const since = (await call(b.url, 'admin', 'GET', '/v2.0/palisade/changes?since=0&limit=1')).body.latest_seq;
    let answered = 0;
    const poll = call(b.url, 'admin', 'GET', `/v2.0/palisade/changes?since=${since}&wait=20`).then((r) => {
      answered = Date.now();
      return r;
    });
    await new Promise((r) => setTimeout(r, 300));
    await call(a.url, 'p2', 'POST', '/v2.0/security-groups', { security_group: { name: 'wake' } });
    const acknowledged = Date.now();
    const page = (await poll).body;
    expect(page.changes.length).toBeGreaterThan(0);
    expect(answered - acknowledged).toBeLessThan(1000);
  });

  it('concurrent writes to both replicas give one gap-free, ordered change sequence', async () => {
    const before = (await call(a.url, 'admin', 'GET', '/v2.0/palisade/changes?since=0&limit=1')).body.latest_seq;
    const g = (await call(a.url, 'p3', 'POST', '/v2.0/security-groups', { security_group: { name: 'many' } })).body.security_group;
    await call(a.url, 'admin', 'PUT', '/v2.0/quotas/p3', { quota: { security_group_rule: -1 } });
    await Promise.all(Array.from({ length: 60 }, (_, i) => call(i % 2 ? a.url : b.url, 'p3', 'POST', '/v2.0/security-group-rules', {
      security_group_rule: { security_group_id: g.id, direction: 'ingress', protocol: 'udp', port_range_min: 1000 + i, port_range_max: 1000 + i },
    })));
    const changes = (await call(b.url, 'admin', 'GET', `/v2.0/palisade/changes?since=${before}&limit=1000`)).body.changes as { seq: number; resource: string }[];
    const seqs = changes.map((c) => c.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => before + 1 + i));
    // 60 rules, plus the 4 of p3's default group and the 2 egress rules of the new group.
    expect(changes.filter((c) => c.resource === 'security_group_rule').length).toBe(60 + 4 + 2);
  });

  it("each replica's engine follows the other's commits", async () => {
    const net = (await call(a.url, 'p4', 'POST', '/v2.0/networks', { network: { name: 'n' } })).body.network;
    await call(a.url, 'p4', 'POST', '/v2.0/subnets', { subnet: { network_id: net.id, cidr: '10.9.0.0/24' } });
    const g = (await call(a.url, 'p4', 'POST', '/v2.0/security-groups', { security_group: { name: 'web' } })).body.security_group;
    const server = (await call(a.url, 'p4', 'POST', '/v2.0/ports', { port: { network_id: net.id, security_groups: [g.id] } })).body.port;
    const client = (await call(a.url, 'p4', 'POST', '/v2.0/ports', { port: { network_id: net.id } })).body.port;
    const q = `/v2.0/palisade/reachability?source_port_id=${client.id}&destination_port_id=${server.id}&protocol=tcp&port=443`;
    expect((await call(b.url, 'p4', 'GET', q)).body.reachability.verdict).toBe('deny');
    await call(a.url, 'p4', 'POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: g.id, direction: 'ingress', protocol: 'tcp', port_range_min: 443, port_range_max: 443 } });
    expect((await call(b.url, 'p4', 'GET', q)).body.reachability.verdict).toBe('allow');
  });

  it("a replica's services hear every other replica's change at once, in seq order, none skipped", async () => {
    const before = (await call(a.url, 'admin', 'GET', '/v2.0/palisade/changes?since=0&limit=1')).body.latest_seq as number;
    await until(() => (heard.at(-1)?.seq ?? before) >= before, 2000);
    heard.length = 0;
    heardExternal.length = 0;
    ownSeqs.length = 0;
    const g = (await call(a.url, 'p5', 'POST', '/v2.0/security-groups', { security_group: { name: 'g' } })).body.security_group;
    const latency = await until(() => heardExternal.some((c) => c.id === g.id), 2000);
    expect(latency).toBeLessThan(1000);
    const ctx = makeRequestContext('p5', ['member']);
    await Promise.all([
      ...Array.from({ length: 40 }, (_, i) => call(i % 2 ? a.url : b.url, 'p5', 'POST', '/v2.0/security-group-rules', {
        security_group_rule: { security_group_id: g.id, direction: 'egress', protocol: 'tcp', port_range_min: 2000 + i, port_range_max: 2000 + i },
      })),
      ...Array.from({ length: 5 }, (_, i) => observer.securityGroups.create(ctx, [{ name: `mine-${i}` }])),
    ]);
    const latest = (await call(b.url, 'admin', 'GET', '/v2.0/palisade/changes?since=0&limit=1')).body.latest_seq as number;
    await until(() => heard.at(-1)?.seq === latest, 3000);
    const seqs = heard.map((c) => c.seq).filter((s) => s > before);
    expect(seqs).toEqual(Array.from({ length: latest - before }, (_, i) => before + 1 + i));
    expect(ownSeqs.length).toBeGreaterThanOrEqual(5 * 3);
    const own = new Set(ownSeqs);
    expect(heardExternal.map((c) => c.seq)).toEqual(seqs.filter((s) => !own.has(s)));
  });

  it('a replica whose LISTEN connection is killed reconnects and still hears the others', async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL });
    await client.connect();
    const killed = await client.query('select pg_terminate_backend(pid) from pg_stat_activity where application_name = $1', [`palisade_changes_${schema}`]);
    await client.end();
    expect(killed.rowCount).toBe(3);
    await new Promise((r) => setTimeout(r, 50));
    const g = (await call(a.url, 'p6', 'POST', '/v2.0/security-groups', { security_group: { name: 'after-kill' } })).body.security_group;
    // The reconnect re-reads the log, so a commit made while it was down is not lost either.
    expect(await until(() => heardExternal.some((c) => c.id === g.id), 3000)).toBeLessThan(3000);
  });
});
