// Migration 007: indexes whose order is a compiled list ORDER BY (a sorted page stops after `limit` rows), and fixed IPs by subnet.
import { sql, type Kysely, type Migration } from 'kysely';
import type { SqlDialect } from './initial-schema.js';

/**
 * [index, table, SQLite columns, PostgreSQL columns]. Each matches, term for term, the ORDER BY the list
 * compiler writes inside a project's arm (docs/lists.md): text as lower(x), x (COLLATE "C" on PostgreSQL,
 * which an index must repeat to be used), a nullable key with nulls first ascending (PostgreSQL's
 * default is the opposite, so it is spelled out), then the paged list's `id` ascending.
 */
const INDEXES: readonly (readonly [string, string, string, string])[] = [
  ['security_groups_project_lower_name', 'security_groups',
    'project_id, lower(name), name, id', 'project_id, (lower(name) collate "C"), name collate "C", id'],
  ['rules_project_port_min', 'security_group_rules',
    'project_id, port_range_min, id', 'project_id, port_range_min nulls first, id'],
  ['rules_project_port_min_desc', 'security_group_rules',
    'project_id, port_range_min desc, id', 'project_id, port_range_min desc nulls last, id'],
  // Not an order: whether a subnet has allocations (subnet delete), also the foreign key's check on delete.
  ['fixed_ips_subnet', 'port_fixed_ips', 'subnet_id', 'subnet_id'],
];

export function sortIndexes(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      for (const [name, table, sqlite, postgres] of INDEXES) {
        const columns = dialect === 'sqlite' ? sqlite : postgres;
        await sql`create index ${sql.ref(name)} on ${sql.table(table)} (${sql.raw(columns)})`.execute(db);
      }
    },
  };
}
