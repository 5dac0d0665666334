// The embedded default back-end: one SQLite file (WAL, foreign keys on) through better-sqlite3.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { writeBulkLoad, type BulkLoad } from '../bulk-load.js';
import type { Database } from '../database-schema.js';
import { KyselySession } from '../kysely-session.js';
import { migrateToLatest, schemaStatus } from '../migrator.js';
import { kyselyLog, type QueryObserver } from '../query-observer.js';
import type { Store, StoreSession } from '../store.js';

class SqliteStore extends KyselySession implements Store {
  readonly dialect = 'sqlite' as const;
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    super(db, 'sqlite');
    this.#db = db;
  }

  async transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    // Kysely's SQLite driver holds one connection behind a mutex, so transactions run one at a
    // time: the change sequence is assigned in commit order by construction.
    return this.#db.transaction().execute((trx) => work(new KyselySession(trx, 'sqlite')));
  }

  /** One process owns a SQLite file: there is nobody else's commit to hear about. */
  watchCommits(): () => void {
    return () => undefined;
  }

  async pendingMigrations(): Promise<readonly string[]> {
    return (await schemaStatus(this.#db, 'sqlite')).pending;
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }

  bulkLoad(batch: BulkLoad): Promise<number> {
    return this.#db.transaction().execute((trx) => writeBulkLoad(trx, batch));
  }
}

/** PALISADE_SQLITE_SYNCHRONOUS: when a commit waits for the disk. */
export type SqliteSynchronous = 'normal' | 'full';

export interface SqliteOptions {
  readonly onQuery?: QueryObserver;
  readonly synchronous?: SqliteSynchronous;
}

/**
 * WAL with NORMAL (the default) survives a killed process, the WAL being written before commit returns;
 * only an OS crash or power loss can lose the last transactions. FULL also syncs the WAL at each commit,
 * so a power loss loses nothing acknowledged, at the cost of one fsync per write.
 */
export function applyPragmas(sqlite: SqliteDatabase.Database, synchronous: SqliteSynchronous = 'normal'): void {
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma(`synchronous = ${synchronous === 'full' ? 'FULL' : 'NORMAL'}`);
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
}

/** Opens (creating and migrating if needed) the SQLite file at `path`; `:memory:` for a scratch store. */
export async function createSqliteStore(path: string, options: SqliteOptions = {}): Promise<Store> {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new SqliteDatabase(path);
  applyPragmas(sqlite, options.synchronous);
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }), ...kyselyLog(options.onQuery) });
  try {
    await migrateToLatest(db, 'sqlite');
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new SqliteStore(db);
}
