// Migration 010: who made each change (audit columns on the change log), rule expiry, and scheduled-job claims.
import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from './initial-schema.js';

/** [index, table, columns]: each serves one history or audit query, newest first by seq (docs/history.md). */
const INDEXES: readonly (readonly [string, string, readonly string[]])[] = [
  ['changes_group_seq', 'changes', ['group_id', 'seq']],
  ['changes_project_seq', 'changes', ['project_id', 'seq']],
  ['changes_object_seq', 'changes', ['object_id', 'seq']],
  ['changes_user_seq', 'changes', ['actor_user_id', 'seq']],
  ['changes_user_name_seq', 'changes', ['actor_user_name', 'seq']],
  ['changes_at', 'changes', ['at']],
  ['rules_expires_at', 'security_group_rules', ['expires_at']],
];

const CHANGE_COLUMNS: readonly (readonly [string, 'varchar(36)' | 'varchar(255)' | 'varchar(64)' | 'text'])[] = [
  ['group_id', 'varchar(36)'],
  ['actor_user_id', 'varchar(64)'],
  ['actor_user_name', 'varchar(255)'],
  ['actor_project_id', 'varchar(255)'],
  // Comma-separated: role names hold no comma.
  ['actor_roles', 'text'],
  ['request_id', 'varchar(64)'],
  ['source_address', 'varchar(64)'],
];

export function historyAudit(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // A role assignment's record id is `project/user/role`, longer than a UUID; SQLite never enforced the length.
      if (dialect === 'postgres') await db.schema.alterTable('changes').alterColumn('object_id', (c) => c.setDataType('varchar(255)')).execute();
      for (const [column, type] of CHANGE_COLUMNS) await db.schema.alterTable('changes').addColumn(column, type).execute();
      await db.schema.alterTable('security_group_rules').addColumn('expires_at', 'varchar(32)').execute();
      // One row per periodic job: a replica runs a job only after moving its next_run_at on (a row claim).
      await db.schema
        .createTable('scheduled_jobs')
        .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('next_run_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      for (const [name, table, columns] of INDEXES) await db.schema.createIndex(name).on(table).columns([...columns]).execute();
    },
  };
}
