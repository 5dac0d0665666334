// Migration 003: RBAC policies that share security groups with other projects (neutron-api.md §4.5).
import type { Kysely, Migration } from 'kysely';

export function rbacSchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('rbac_policies')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('object_type', 'varchar(255)', (c) => c.notNull())
        .addColumn('object_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('action', 'varchar(255)', (c) => c.notNull())
        .addColumn('target_project', 'varchar(255)', (c) => c.notNull())
        .addUniqueConstraint('rbac_policies_identity', ['object_type', 'object_id', 'action', 'target_project'])
        .execute();
      await db.schema.createIndex('rbac_policies_object').on('rbac_policies').column('object_id').execute();
      await db.schema.createIndex('rbac_policies_target').on('rbac_policies').column('target_project').execute();
    },
  };
}
