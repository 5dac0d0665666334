// Runs the schema migrations in order; the same list serves SQLite and PostgreSQL.
import { Migrator, type Kysely, type Migration } from 'kysely';
import type { Database } from './database-schema.js';
import { identitySchema } from './migrations/identity-schema.js';
import { initialSchema, type SqlDialect } from './migrations/initial-schema.js';
import { listIndexes } from './migrations/list-indexes.js';
import { rbacSchema } from './migrations/rbac-schema.js';
import { signInHardening } from './migrations/sign-in-hardening.js';

function migrationsFor(dialect: SqlDialect): Record<string, Migration> {
  return {
    '001-initial-schema': initialSchema(dialect), '002-identity': identitySchema(), '003-rbac-policies': rbacSchema(),
    '004-sign-in-hardening': signInHardening(), '005-list-indexes': listIndexes(),
  };
}

/** `schema`: where PostgreSQL keeps the migration tables (Kysely otherwise finds another schema's and skips creating its own). */
export async function migrateToLatest(db: Kysely<Database>, dialect: SqlDialect, schema?: string): Promise<void> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrationsFor(dialect) },
    ...(schema !== undefined && { migrationTableSchema: schema }),
  });
  const { error } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error(String(error));
}
