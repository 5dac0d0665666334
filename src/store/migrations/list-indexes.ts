// Migration 005: what list queries need: rules' normalized_cidr as a column, and the indexes lists filter and page on.
import { sql, type Kysely, type Migration } from 'kysely';
import { normalizedCidrOf } from '../../domain/index.js';

/** [index, table, columns]: each serves a list filter or a targeted lookup (docs/lists.md says which). */
const INDEXES: readonly (readonly [string, string, readonly string[]])[] = [
  ['security_groups_project_id', 'security_groups', ['project_id', 'id']],
  ['security_groups_project_name', 'security_groups', ['project_id', 'name']],
  ['rules_project_id', 'security_group_rules', ['project_id', 'id']],
  ['rules_group_project', 'security_group_rules', ['security_group_id', 'project_id']],
  ['ports_project_id', 'ports', ['project_id', 'id']],
  ['ports_project_device', 'ports', ['project_id', 'device_id']],
  ['ports_device', 'ports', ['device_id']],
  ['ports_network', 'ports', ['network_id']],
  ['networks_project_id', 'networks', ['project_id', 'id']],
  ['subnets_network', 'subnets', ['network_id']],
  ['rbac_policies_project_id', 'rbac_policies', ['project_id', 'id']],
  ['rbac_policies_shared', 'rbac_policies', ['target_project', 'object_type', 'action', 'object_id']],
];

export function listIndexes(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema.alterTable('security_group_rules').addColumn('normalized_cidr', 'varchar(64)').execute();
      // Existing rules get the column from their prefix, as the wire computed it (one row at a time:
      // the derivation is the domain's CIDR code, not SQL).
      const rows = await sql<{ id: string; remote_ip_prefix: string }>`
        select id, remote_ip_prefix from security_group_rules where remote_ip_prefix is not null`.execute(db);
      for (const r of rows.rows) {
        const normalized = normalizedCidrOf({ remoteIpPrefix: r.remote_ip_prefix });
        await sql`update security_group_rules set normalized_cidr = ${normalized} where id = ${r.id}`.execute(db);
      }
      for (const [name, table, columns] of INDEXES) await db.schema.createIndex(name).on(table).columns([...columns]).execute();
      // The (project_id) and (security_group_id) indexes of 001 are prefixes of the new ones.
      for (const old of ['security_groups_project', 'rules_group', 'rules_project', 'ports_project']) await db.schema.dropIndex(old).execute();
    },
  };
}
