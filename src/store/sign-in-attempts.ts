// Failed sign-in counting per subject: one atomic upsert counts an attempt and sets the lock, before any hash is compared.
import { sql, type Kysely } from 'kysely';
import type { Database } from './database-schema.js';

/** When the n-th consecutive attempt locks its subject: until `until[i]` for n = firstLocked + i, the last entry beyond. */
export interface LockSchedule {
  readonly firstLocked: number;
  readonly until: readonly string[];
}

export interface SignInAttemptStore {
  /**
   * Counts an attempt for `subject` at `at`, unless the subject is locked then. False when locked (nothing
   * counted). Counting and locking are one statement, so parallel attempts each see the others' counts.
   */
  reserveSignInAttempt(subject: string, at: string, schedule: LockSchedule): Promise<boolean>;
  /** A successful sign-in (or a new password) forgets the subject's failures. */
  clearSignInAttempts(subject: string): Promise<void>;
  /** Forgets subjects with no attempt since `before` (their locks ended long before). */
  pruneSignInAttempts(before: string): Promise<void>;
}

export function createSignInAttemptStore(db: Kysely<Database>): SignInAttemptStore {
  return {
    async reserveSignInAttempt(subject, at, schedule) {
      const last = schedule.until[schedule.until.length - 1] ?? null;
      const next = sql<number>`identity_signin_attempts.failed_attempts + 1`;
      const steps = schedule.until.map((until, i) => sql`WHEN ${next} = ${schedule.firstLocked + i} THEN ${until}`);
      const lock = sql<string | null>`CASE WHEN ${next} < ${schedule.firstLocked} THEN NULL ${sql.join(steps, sql` `)} ELSE ${last} END`;
      const row = await db
        .insertInto('identity_signin_attempts')
        .values({ subject, failed_attempts: 1, locked_until: schedule.firstLocked <= 1 ? (schedule.until[0] ?? null) : null, last_attempt_at: at })
        .onConflict((oc) =>
          oc.column('subject')
            .doUpdateSet({ failed_attempts: next, locked_until: lock, last_attempt_at: at })
            .where(sql<boolean>`identity_signin_attempts.locked_until IS NULL OR identity_signin_attempts.locked_until <= ${at}`))
        .returning('failed_attempts')
        .executeTakeFirst();
      return row !== undefined;
    },
    async clearSignInAttempts(subject) {
      await db.deleteFrom('identity_signin_attempts').where('subject', '=', subject).execute();
    },
    async pruneSignInAttempts(before) {
      await db.deleteFrom('identity_signin_attempts').where('last_attempt_at', '<', before).execute();
    },
  };
}
