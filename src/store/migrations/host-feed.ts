// Migration 011: the host feeds' tables: which hosts use each group and name each remote, and each host's change records.
import type { Kysely, Migration } from 'kysely';
import { rebuildHostIndex } from '../host-feed-rows.js';

export function hostFeed(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // How many of a host's ports use a group: group → hosts for every write that touches the group.
      await db.schema.createTable('host_groups')
        .addColumn('host_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('group_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('ports', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('host_groups_pk', ['host_id', 'group_id'])
        .execute();
      await db.schema.createIndex('host_groups_group').on('host_groups').columns(['group_id', 'host_id']).execute();
      // How many rules of the groups a host uses name a remote (of a kind): remote → hosts for membership changes.
      await db.schema.createTable('host_remotes')
        .addColumn('host_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('kind', 'varchar(32)', (c) => c.notNull())
        .addColumn('remote_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('rules', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('host_remotes_pk', ['host_id', 'kind', 'remote_id'])
        .execute();
      await db.schema.createIndex('host_remotes_remote').on('host_remotes').columns(['kind', 'remote_id', 'host_id']).execute();
      // Host '*' holds resync markers: a feed position before one cannot be followed (410).
      await db.schema.createTable('host_changes')
        .addColumn('host_id', 'varchar(255)', (c) => c.notNull())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('pos', 'integer', (c) => c.notNull())
        .addColumn('resource', 'varchar(32)', (c) => c.notNull())
        .addColumn('action', 'varchar(16)', (c) => c.notNull())
        .addColumn('object_id', 'varchar(36)', (c) => c.notNull())
        .addColumn('object', 'text')
        .addPrimaryKeyConstraint('host_changes_pk', ['host_id', 'seq', 'pos'])
        .execute();
      await db.schema.createIndex('host_changes_seq').on('host_changes').column('seq').execute();
      await db.schema.createIndex('ports_host').on('ports').columns(['host_id', 'id']).execute();
      await rebuildHostIndex(db as never);
    },
  };
}
