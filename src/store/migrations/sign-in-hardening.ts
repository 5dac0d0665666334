// Migration 004: sign-in attempts in their own table (known users and unknown names alike), token revocation epochs.
import type { Kysely, Migration } from 'kysely';

export function signInHardening(): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      // One row per sign-in subject: a user's id, or the hash of a name nobody holds. Failed sign-ins
      // touch only this table, so they can never write over an admin's change to the user row.
      await db.schema
        .createTable('identity_signin_attempts')
        .addColumn('subject', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('failed_attempts', 'integer', (c) => c.notNull())
        .addColumn('locked_until', 'varchar(32)')
        .addColumn('last_attempt_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('identity_signin_attempts_age').on('identity_signin_attempts').column('last_attempt_at').execute();
      await db.schema.alterTable('identity_users').dropColumn('failed_attempts').execute();
      await db.schema.alterTable('identity_users').dropColumn('locked_until').execute();
      // A token is valid while its user_epoch equals the user's token_epoch: revoking every token of a
      // user is one increment, and a sign-in that read the user before the increment issues a dead token.
      await db.schema.alterTable('identity_users').addColumn('token_epoch', 'integer', (c) => c.notNull().defaultTo(0)).execute();
      await db.schema.alterTable('identity_tokens').addColumn('user_epoch', 'integer', (c) => c.notNull().defaultTo(0)).execute();
    },
  };
}
