// Migration 008: address groups and their addresses (Neutron's address-group extension), and rules by remote address group.
import type { Kysely, Migration } from 'kysely';

export function addressGroups(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('address_groups')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('description', 'varchar(1024)', (c) => c.notNull())
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      // One row per address: adding or removing one is one row, never a rewrite of the group.
      await db.schema
        .createTable('address_group_addresses')
        .addColumn('address_group_id', 'varchar(36)', (c) => c.notNull().references('address_groups.id').onDelete('cascade'))
        .addColumn('address', 'varchar(64)', (c) => c.notNull())
        .addPrimaryKeyConstraint('address_group_addresses_pkey', ['address_group_id', 'address'])
        .execute();
      await db.schema.createIndex('address_groups_project_id').on('address_groups').columns(['project_id', 'id']).execute();
      // Whether a rule names the group (delete in use, RBAC dependants), one indexed row at most.
      await db.schema.createIndex('rules_remote_address_group').on('security_group_rules').column('remote_address_group_id').execute();
    },
  };
}
