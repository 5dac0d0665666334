// The plans of list queries that must stay indexed: EXPLAIN on both back-ends over a few projects of groups, rules and ports.
import { randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql, type CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasCapability } from '../../test/support/capability.js';
import { ruleIdentity, type Port, type SecurityGroup, type SecurityGroupRule } from '../domain/index.js';
import type { BulkLoad } from './bulk-load.js';
import type { Database } from './database-schema.js';
import type { SqlDialect } from './list-compiler.js';
import { listPortPage, listRulePage } from './list-pages.js';
import type { ListQuery, Reader } from './list-query.js';
import { createPostgresStore } from './postgres/postgres-store.js';
import { createSqliteStore } from './sqlite/sqlite-store.js';
import type { Store } from './store.js';

const AT = '2026-12-01T00:00:00Z';
const GROUPS = 60;
const RULES = 30;
const PORTS = 300;
const PROJECTS = ['plan-a', 'plan-b', 'plan-c', 'plan-d'];

/** One project: a network, GROUPS groups of RULES rules, PORTS ports in two groups each. */
function project(projectId: string): BulkLoad & { groups: SecurityGroup[]; ports: Port[] } {
  const network = { id: randomUUID(), projectId, name: 'n', description: '', adminStateUp: true, portSecurityEnabled: true, shared: false, routerExternal: false, revisionNumber: 1, createdAt: AT, updatedAt: AT };
  const groups: SecurityGroup[] = Array.from({ length: GROUPS }, (_, k) => ({
    id: randomUUID(), projectId, name: `g${k}`, description: '', stateful: true, isDefault: false, tags: [], revisionNumber: 1, createdAt: AT, updatedAt: AT,
  }));
  const rules = groups.flatMap((g) => Array.from({ length: RULES }, (_, j) => {
    const rule: SecurityGroupRule = {
      id: randomUUID(), securityGroupId: g.id, projectId, direction: 'ingress', etherType: 'IPv4', protocol: 'tcp', portRangeMin: 1000 + j,
      portRangeMax: 1000 + j, remoteIpPrefix: null, remoteGroupId: null, remoteAddressGroupId: null, description: '', revisionNumber: 1, createdAt: AT, updatedAt: AT,
    };
    return { rule, identity: ruleIdentity(g.id, rule) };
  }));
  const ports: Port[] = Array.from({ length: PORTS }, (_, i) => ({
    id: randomUUID(), projectId, networkId: network.id, name: '', description: '', macAddress: `fa:16:3e:00:${(i >> 8).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}`,
    fixedIps: [], deviceId: `vm-${i}`, deviceOwner: '', hostId: '', adminStateUp: true, securityGroupIds: [groups[i % GROUPS]!.id, groups[(i + 1) % GROUPS]!.id],
    portSecurityEnabled: true, allowedAddressPairs: [], revisionNumber: 1, createdAt: AT, updatedAt: AT,
  }));
  return { networks: [network], groups, rules, ports };
}

interface Planner {
  readonly dialect: SqlDialect;
  readonly db: Kysely<Database>;
  readonly dialectObject: SqliteDialect | PostgresDialect;
  /** The plan of one statement, one line per node. */
  explain(q: CompiledQuery): Promise<string[]>;
  close(): Promise<void>;
}

/** The plans of every statement one list call runs (through a second Kysely over the same connection, which logs them). */
async function plansOf(planner: Planner, run: (db: Kysely<Database>) => Promise<unknown>): Promise<string[]> {
  const seen: CompiledQuery[] = [];
  // Not destroyed: it shares the planner's driver object, which the planner closes.
  await run(new Kysely<Database>({ dialect: planner.dialectObject, log: (e) => void seen.push(e.query) }));
  const out: string[] = [];
  for (const q of seen) out.push(...(await planner.explain(q)));
  return out;
}

async function fill(store: Store): Promise<{ big: ReturnType<typeof project> }> {
  const [big, ...others] = PROJECTS.map(project);
  for (const p of [big!, ...others]) await store.bulkLoad(p);
  // One rule another project owns in a group of the big project: the case the foreign-owner index serves.
  const group = big!.groups[0]!;
  const foreign: SecurityGroupRule = {
    id: randomUUID(), securityGroupId: group.id, projectId: 'plan-b', direction: 'egress', etherType: 'IPv4', protocol: 'udp', portRangeMin: 53,
    portRangeMax: 53, remoteIpPrefix: null, remoteGroupId: null, remoteAddressGroupId: null, description: '', revisionNumber: 1, createdAt: AT, updatedAt: AT,
  };
  await store.bulkLoad({ rules: [{ rule: foreign, identity: ruleIdentity(group.id, foreign) }] });
  return { big: big! };
}

const member: Reader = { projectId: 'plan-a', admin: false };
const page = (extra: Partial<ListQuery>): ListQuery => ({ filters: [], sorts: [{ key: 'id', dir: 'asc' }], limit: 20, reverse: false, fields: [], ...extra });

function runPlanChecks(name: string, open: () => Promise<{ store: Store; planner: Planner }>, scansOf: (table: string) => RegExp): void {
  describe(`list plans: ${name}`, () => {
    let store: Store;
    let planner: Planner;
    let big: ReturnType<typeof project>;
    beforeAll(async () => {
      ({ store, planner } = await open());
      ({ big } = await fill(store));
      if (planner.dialect === 'postgres') await sql`analyze`.execute(planner.db);
    }, 120_000);
    afterAll(async () => {
      await planner?.close();
      await store?.close();
    });

    it("reads other projects' rules in the member's groups from the foreign-owner index, never every rule", async () => {
      const listed = await listRulePage(planner.db, planner.dialect, page({ limit: null, sorts: [] }), member);
      expect(listed.items.filter((l) => l.rule.projectId === 'plan-b').map((l) => l.rule.securityGroupId)).toEqual([big.groups[0]!.id]);
      const plans = await plansOf(planner, (db) => listRulePage(db, planner.dialect, page({}), member));
      expect(plans.join('\n')).toMatch(/rules_foreign_owner/);
      expect(plans.filter((l) => scansOf('security_group_rules').test(l))).toEqual([]);
    });

    it('finds the ports of one group through port_security_groups by group', async () => {
      const group = big.groups[5]!.id;
      const listed = await listPortPage(planner.db, planner.dialect, page({ limit: null, sorts: [] }), member, [group]);
      expect(listed.items.map((p) => p.id).sort()).toEqual(big.ports.filter((p) => p.securityGroupIds.includes(group)).map((p) => p.id).sort());
      const plans = await plansOf(planner, (db) => listPortPage(db, planner.dialect, page({ limit: null, sorts: [] }), member, [group]));
      expect(plans.join('\n')).toMatch(/psg_group/);
      expect(plans.filter((l) => scansOf('ports').test(l))).toEqual([]);
    });
  });
}

runPlanChecks('sqlite', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'palisade-plans-')), 'plans.db');
  const store = await createSqliteStore(path);
  const connection = new SqliteDatabase(path);
  const dialect = new SqliteDialect({ database: connection });
  const planner: Planner = {
    dialect: 'sqlite',
    db: new Kysely<Database>({ dialect }),
    dialectObject: dialect,
    async explain(q) {
      return (connection.prepare(`explain query plan ${q.sql}`).all(...(q.parameters as unknown[])) as { detail: string }[]).map((r) => r.detail);
    },
    close: async () => planner.db.destroy(),
  };
  return { store, planner };
}, (table) => new RegExp(`^SCAN (${table}|${table === 'ports' ? 'p' : 'r'})\\b`));

const url = process.env['PALISADE_TEST_POSTGRES_URL'];
describe('list plans on PostgreSQL', () => {
  if (!hasCapability('PostgreSQL', url ? null : 'set PALISADE_TEST_POSTGRES_URL (e.g. postgres://postgres@127.0.0.1:5432/test)')) return;
  const schema = `palisade_test_plans_${process.pid}_${Date.now() % 1e8}`;
  afterAll(async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema if exists ${schema} cascade`);
    await client.end();
  });
  runPlanChecks('postgres', async () => {
    const store = await createPostgresStore(url!, { schema });
    const pool = new pg.Pool({ connectionString: url, options: `-c search_path=${schema}`, max: 1 });
    const dialect = new PostgresDialect({ pool });
    const planner: Planner = {
      dialect: 'postgres',
      db: new Kysely<Database>({ dialect }),
      dialectObject: dialect,
      async explain(q) {
        // Without ANALYZE: the plan the planner picks for these values, which is what must not change.
        const { rows } = await pool.query<{ 'QUERY PLAN': string }>(`explain (costs off) ${q.sql}`, q.parameters as unknown[]);
        return rows.map((r) => r['QUERY PLAN']);
      },
      close: async () => planner.db.destroy(),
    };
      return { store, planner };
  }, (table) => new RegExp(`Seq Scan on ${table}\\b`));
});
