// Runs the schema migrations in order; the same list serves SQLite and PostgreSQL.
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Database } from './database-schema.js';
import { identitySchema } from './migrations/identity-schema.js';
import { initialSchema, type SqlDialect } from './migrations/initial-schema.js';
import { bindingProfile } from './migrations/binding-profile.js';
import { defaultRuleTemplates } from './migrations/default-rule-templates.js';
import { historyAudit } from './migrations/history-audit.js';
import { listIndexes } from './migrations/list-indexes.js';
import { rbacSchema } from './migrations/rbac-schema.js';
import { regionIndexes } from './migrations/region-indexes.js';
import { signInHardening } from './migrations/sign-in-hardening.js';
import { sortIndexes } from './migrations/sort-indexes.js';
import { addressGroups } from './migrations/address-groups.js';
import { hostFeed } from './migrations/host-feed.js';

function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    '001-initial-schema': initialSchema(dialect), '002-identity': identitySchema(), '003-rbac-policies': rbacSchema(),
    '004-sign-in-hardening': signInHardening(), '005-list-indexes': listIndexes(), '006-binding-profile': bindingProfile(),
    '007-sort-indexes': sortIndexes(dialect),
    '008-address-groups': addressGroups(),
    '009-default-rule-templates': defaultRuleTemplates(),
    '010-history-audit': historyAudit(dialect),
    '011-host-feed': hostFeed(),
    '012-region-indexes': regionIndexes(),
  };
}

/** The database's schema was written by a newer Palisade: this code must not run on it, let alone migrate it. */
export class NewerDatabaseError extends Error {
  constructor(readonly unknown: readonly string[]) {
    super(
      `the database was migrated by a newer Palisade (migrations this version does not know: ${unknown.join(', ')}); ` +
        'run that version or newer, or restore a backup taken before the upgrade',
    );
    this.name = 'NewerDatabaseError';
  }
}

function migratorOf(db: Kysely<Database>, dialect: SqlDialect, schema: string | undefined): Migrator {
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(dialect) },
    ...(schema !== undefined && { migrationTableSchema: schema }),
  });
}

/** Names of the migrations the database has run, oldest first; none before the first migration. */
async function executedMigrations(db: Kysely<Database>, schema: string | undefined): Promise<string[]> {
  const table = schema === undefined ? sql.table('kysely_migration') : sql.table(`${schema}.kysely_migration`);
  try {
    const { rows } = await sql<{ name: string }>`select name from ${table} order by name`.execute(db);
    return rows.map((r) => r.name);
  } catch (e) {
    if (/no such table|does not exist/i.test((e as Error).message)) return [];
    throw e;
  }
}

export interface SchemaStatus {
  /** Known to this code and not yet run. */
  readonly pending: readonly string[];
  /** Run on the database and unknown to this code: a newer version migrated it. */
  readonly unknown: readonly string[];
}

export async function schemaStatus(db: Kysely<Database>, dialect: SqlDialect, schema?: string): Promise<SchemaStatus> {
  const known = Object.keys(migrationsFor(dialect));
  const executed = await executedMigrations(db, schema);
  return { pending: known.filter((n) => !executed.includes(n)), unknown: executed.filter((n) => !known.includes(n)) };
}

/** `schema`: where PostgreSQL keeps the migration tables (Kysely otherwise finds another schema's and skips creating its own). */
export async function migrateToLatest(db: Kysely<Database>, dialect: SqlDialect, schema?: string): Promise<void> {
  const { unknown } = await schemaStatus(db, dialect, schema);
  if (unknown.length > 0) throw new NewerDatabaseError(unknown);
  const { error } = await migratorOf(db, dialect, schema).migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
