// Analysis runs in a worker: a large matrix does not hold up other projects' requests; limits answer 422.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, noauthAuthenticator } from '../../src/api/index.js';
import { parseRuleSpec, type Port, type SecurityGroupRule } from '../../src/domain/index.js';
import { createServices } from '../../src/service/index.js';
import { createSqliteStore, type Store } from '../../src/store/index.js';
import { expectError, ok, send, type Json } from '../support/api-harness.js';

const AT = '2025-01-01T00:00:00Z';
const as = (project: string) => ({ 'x-project-id': project, 'x-roles': 'member' });
const GROUPS = 300;
const PORTS = 1000;

/** A project where tcp:1006 is open differently on every group: each port its own class, many edges. */
async function fillLargeProject(store: Store): Promise<void> {
  let seed = 7;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  await store.transaction(async (s) => {
    await s.insertNetwork({ id: 'n', projectId: 'big', name: 'n', description: '', adminStateUp: true, portSecurityEnabled: true, shared: false, routerExternal: false, revisionNumber: 1, createdAt: AT, updatedAt: AT });
    await s.insertSubnet({ id: 's', projectId: 'big', networkId: 'n', name: 's', description: '', ipVersion: 4, cidr: '10.0.0.0/16', gatewayIp: null, enableDhcp: true, revisionNumber: 1, createdAt: AT, updatedAt: AT } as never);
    for (let g = 0; g < GROUPS; g++) {
      await s.insertGroup({ id: `g${g}`, projectId: 'big', name: `g${g}`, description: '', stateful: true, isDefault: false, tags: [], revisionNumber: 1, createdAt: AT, updatedAt: AT });
    }
    for (let g = 0; g < GROUPS; g++) {
      const rules: SecurityGroupRule[] = [{ direction: 'egress' }, ...Array.from({ length: 10 }, (_, i) => {
        const kind = rand();
        const remote = kind < 0.2 ? {} : kind < 0.6 ? { remoteGroupId: `g${Math.floor(rand() * GROUPS)}` } : { remoteIpPrefix: `10.0.${Math.floor(rand() * 8)}.0/24` };
        return { direction: 'ingress', protocol: 'tcp', portRangeMin: 1000 + i, portRangeMax: 1000 + i, ...remote };
      })].map((draft, i) => ({ ...parseRuleSpec(draft), id: `g${g}-r${i}`, securityGroupId: `g${g}`, projectId: 'big', revisionNumber: 1, createdAt: AT, updatedAt: AT }));
      await s.insertRules(rules, rules.map((r) => r.id));
    }
    for (let i = 0; i < PORTS; i++) {
      const a = Math.floor(rand() * GROUPS);
      const port: Port = {
        id: `p${i}`, projectId: 'big', networkId: 'n', name: `p${i}`, description: '', macAddress: `fa:16:3e:00:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
        fixedIps: [{ subnetId: 's', ipAddress: `10.0.${(i >> 8) & 255}.${(i & 255) + 1}` }], deviceId: `vm${i}`, deviceOwner: 'compute:nova', hostId: 'h',
        adminStateUp: true, securityGroupIds: [`g${a}`, `g${(a + 1 + Math.floor(rand() * (GROUPS - 1))) % GROUPS}`], portSecurityEnabled: true, allowedAddressPairs: [],
        revisionNumber: 1, createdAt: AT, updatedAt: AT,
      };
      await s.insertPort(port);
    }
  });
}

describe('analysis off the request loop', () => {
  let store: Store;
  let app: Awaited<ReturnType<typeof buildApp>>;
  let stop: () => void;

  beforeAll(async () => {
    store = await createSqliteStore(':memory:');
    await fillLargeProject(store);
    const services = createServices({ store, analysisLimits: { maxPorts: 2 * PORTS, maxServices: 3 } });
    stop = services.stop;
    app = await buildApp({ services, authenticate: noauthAuthenticator });
    // Warm both sides: the worker has loaded the region, the other project has its default group.
    ok(await send(app, 'GET', '/v2.0/palisade/ports/p1/effective-rules', as('big')));
    ok(await send(app, 'GET', '/v2.0/security-groups', as('other')));
  });
  afterAll(async () => {
    stop();
    await app.close();
    await store.close();
  });

  it("answers another project's GET while a large matrix is being computed", async () => {
    const done: string[] = [];
    const matrix = send(app, 'GET', '/v2.0/palisade/matrix?service=tcp:1006', as('big')).then((r) => (done.push('matrix'), r));
    const list = send(app, 'GET', '/v2.0/security-groups', as('other')).then((r) => (done.push('list'), r));
    const [m, l] = await Promise.all([matrix, list]);
    expect(ok(m)['matrix']['edges'].length).toBeGreaterThan(10_000);
    expect(ok(l)['security_groups'].map((g: Json) => g['name'])).toEqual(['default']);
    expect(done).toEqual(['list', 'matrix']);
  });

  it('refuses a matrix over more services than the limit with a 422', async () => {
    expectError(await send(app, 'GET', '/v2.0/palisade/matrix?service=tcp:1,tcp:2,tcp:3,tcp:4', as('big')), 422, 'AnalysisTooLarge', 'analysis_max_services');
  });
});

describe('analysis limits', () => {
  it('refuses a project over the port limit or an answer over the edge limit, and stops a matrix past the time limit', async () => {
    const store = await createSqliteStore(':memory:');
    await fillLargeProject(store);
    const tight = createServices({ store, analysisLimits: { maxPorts: 100 } });
    const dense = createServices({ store, analysisLimits: { maxEdges: 1000 } });
    const slow = createServices({ store, analysisLimits: { timeoutMs: 1 } });
    try {
      for (const [services, type, text] of [[tight, 'AnalysisTooLarge', 'analysis_max_ports'], [dense, 'AnalysisTooLarge', 'analysis_max_edges'], [slow, 'AnalysisTimeLimitExceeded', 'analysis_timeout_ms']] as const) {
        const app = await buildApp({ services, authenticate: noauthAuthenticator });
        expectError(await send(app, 'GET', '/v2.0/palisade/matrix?service=tcp:1006', as('big')), 422, type, text);
        // A small question still gets its answer within the same limits.
        expect(ok(await send(app, 'GET', '/v2.0/palisade/ports/p1/effective-rules', as('big')))['effective_rules']['port_id']).toBe('p1');
        await app.close();
      }
    } finally {
      for (const s of [tight, dense, slow]) s.stop();
      await store.close();
    }
  });
});
