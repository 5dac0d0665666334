// Migration 001: every table, for SQLite and PostgreSQL alike (only the change sequence type differs).
import type { Kysely, Migration } from 'kysely';

export type SqlDialect = 'sqlite' | 'postgres';

export function initialSchema(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('security_groups')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('description', 'varchar(255)', (c) => c.notNull())
        .addColumn('stateful', 'integer', (c) => c.notNull())
        .addColumn('is_default', 'integer', (c) => c.notNull())
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('security_groups_project').on('security_groups').column('project_id').execute();
      await db.schema
        .createTable('default_security_groups')
        .addColumn('project_id', 'varchar(255)', (c) => c.primaryKey())
        .addColumn('security_group_id', 'varchar(36)', (c) =>
          c.notNull().references('security_groups.id').onDelete('cascade'),
        )
        .execute();
      await db.schema
        .createTable('security_group_tags')
        .addColumn('security_group_id', 'varchar(36)', (c) =>
          c.notNull().references('security_groups.id').onDelete('cascade'),
        )
        .addColumn('tag', 'varchar(255)', (c) => c.notNull())
        .addPrimaryKeyConstraint('security_group_tags_pk', ['security_group_id', 'tag'])
        .execute();
      await db.schema
        .createTable('security_group_rules')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('security_group_id', 'varchar(36)', (c) =>
          c.notNull().references('security_groups.id').onDelete('cascade'),
        )
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('direction', 'varchar(16)', (c) => c.notNull())
        .addColumn('ethertype', 'varchar(8)', (c) => c.notNull())
        .addColumn('protocol', 'varchar(40)')
        .addColumn('port_range_min', 'integer')
        .addColumn('port_range_max', 'integer')
        .addColumn('remote_ip_prefix', 'varchar(64)')
        .addColumn('remote_group_id', 'varchar(36)', (c) => c.references('security_groups.id').onDelete('cascade'))
        .addColumn('remote_address_group_id', 'varchar(36)')
        .addColumn('description', 'varchar(255)', (c) => c.notNull())
        .addColumn('identity', 'varchar(400)', (c) => c.notNull().unique())
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rules_group').on('security_group_rules').column('security_group_id').execute();
      await db.schema.createIndex('rules_project').on('security_group_rules').column('project_id').execute();
      await db.schema.createIndex('rules_remote_group').on('security_group_rules').column('remote_group_id').execute();
      await db.schema
        .createTable('networks')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('description', 'varchar(255)', (c) => c.notNull())
        .addColumn('admin_state_up', 'integer', (c) => c.notNull())
        .addColumn('port_security_enabled', 'integer', (c) => c.notNull())
        .addColumn('shared', 'integer', (c) => c.notNull())
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('subnets')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('network_id', 'varchar(36)', (c) => c.notNull().references('networks.id'))
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('description', 'varchar(255)', (c) => c.notNull())
        .addColumn('ip_version', 'integer', (c) => c.notNull())
        .addColumn('cidr', 'varchar(64)', (c) => c.notNull())
        .addColumn('gateway_ip', 'varchar(64)')
        .addColumn('enable_dhcp', 'integer', (c) => c.notNull())
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('ports')
        .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('network_id', 'varchar(36)', (c) => c.notNull().references('networks.id'))
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('description', 'varchar(255)', (c) => c.notNull())
        .addColumn('mac_address', 'varchar(32)', (c) => c.notNull())
        .addColumn('device_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('device_owner', 'varchar(255)', (c) => c.notNull())
        .addColumn('host_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('admin_state_up', 'integer', (c) => c.notNull())
        .addColumn('port_security_enabled', 'integer', (c) => c.notNull())
        .addColumn('revision_number', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('ports_network_mac', ['network_id', 'mac_address'])
        .execute();
      await db.schema.createIndex('ports_project').on('ports').column('project_id').execute();
      await db.schema
        .createTable('port_fixed_ips')
        .addColumn('port_id', 'varchar(36)', (c) => c.notNull().references('ports.id').onDelete('cascade'))
        .addColumn('network_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('subnet_id', 'varchar(36)', (c) => c.notNull().references('subnets.id'))
        .addColumn('ip_address', 'varchar(64)', (c) => c.notNull())
        .addUniqueConstraint('port_fixed_ips_unique', ['network_id', 'ip_address'])
        .execute();
      await db.schema.createIndex('fixed_ips_port').on('port_fixed_ips').column('port_id').execute();
      await db.schema
        .createTable('port_security_groups')
        .addColumn('port_id', 'varchar(36)', (c) => c.notNull().references('ports.id').onDelete('cascade'))
        .addColumn('security_group_id', 'varchar(36)', (c) => c.notNull().references('security_groups.id'))
        .addColumn('position', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('port_security_groups_pk', ['port_id', 'security_group_id'])
        .execute();
      await db.schema.createIndex('psg_group').on('port_security_groups').column('security_group_id').execute();
      await db.schema
        .createTable('port_allowed_address_pairs')
        .addColumn('port_id', 'varchar(36)', (c) => c.notNull().references('ports.id').onDelete('cascade'))
        .addColumn('ip_address', 'varchar(64)', (c) => c.notNull())
        .addColumn('mac_address', 'varchar(32)', (c) => c.notNull())
        .addColumn('position', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('pairs_port').on('port_allowed_address_pairs').column('port_id').execute();
      await db.schema
        .createTable('quotas')
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('resource', 'varchar(64)', (c) => c.notNull())
        .addColumn('quota_limit', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('quotas_pk', ['project_id', 'resource'])
        .execute();
      await db.schema
        .createTable('changes')
        .addColumn('seq', dialect === 'sqlite' ? 'integer' : 'bigserial', (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('resource', 'varchar(32)', (c) => c.notNull())
        .addColumn('action', 'varchar(16)', (c) => c.notNull())
        .addColumn('object_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('project_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('object', 'text')
        .addColumn('at', 'varchar(32)', (c) => c.notNull())
        .execute();
    },
  };
}
