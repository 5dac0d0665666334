// Migration 002: the built-in identity's users, projects, role assignments and (hashed) tokens.
import type { Kysely, Migration } from 'kysely';

export function identitySchema(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('identity_users')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('password_hash', 'varchar(255)', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('failed_attempts', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'varchar(32)')
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addUniqueConstraint('identity_users_name', ['domain_id', 'name'])
        .execute();
      await db.schema
        .createTable('identity_projects')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('name', 'varchar(255)', (c) => c.notNull())
        .addColumn('domain_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('description', 'varchar(255)', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addUniqueConstraint('identity_projects_name', ['domain_id', 'name'])
        .execute();
      await db.schema
        .createTable('identity_role_assignments')
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('identity_users.id').onDelete('cascade'))
        .addColumn('project_id', 'varchar(64)', (c) => c.notNull().references('identity_projects.id').onDelete('cascade'))
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addPrimaryKeyConstraint('identity_role_assignments_pk', ['user_id', 'project_id', 'role'])
        .execute();
      await db.schema
        .createTable('identity_tokens')
        .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('user_id', 'varchar(64)', (c) => c.notNull().references('identity_users.id').onDelete('cascade'))
        .addColumn('scope_kind', 'varchar(16)', (c) => c.notNull())
        .addColumn('scope_id', 'varchar(64)')
        .addColumn('issued_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('audit_id', 'varchar(64)', (c) => c.notNull())
        .addColumn('revoked', 'integer', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('identity_tokens_expiry').on('identity_tokens').column('expires_at').execute();
    },
  };
}
