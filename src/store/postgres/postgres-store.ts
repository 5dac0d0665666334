// The shared back-end for several API replicas: PostgreSQL through pg, same queries as SQLite.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../database-schema.js';
import { KyselySession } from '../kysely-session.js';
import { migrateToLatest } from '../migrator.js';
import type { Store, StoreSession } from '../store.js';

/** Key of the transaction-scoped advisory lock every write transaction takes. */
const WRITE_LOCK = 0x5a115ade;

class PostgresStore extends KyselySession implements Store {
  readonly dialect = 'postgres' as const;
  readonly #db: Kysely<Database>;
  constructor(db: Kysely<Database>) {
    super(db);
    this.#db = db;
  }

  async transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute(async (trx) => {
      // Writers take one advisory lock, so they commit in the order they take change sequence
      // numbers: a follower reading `seq > N` can never miss a row committed later with a lower seq.
      await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(trx);
      return work(new KyselySession(trx));
    });
  }

  async close(): Promise<void> {
    await this.#db.destroy();
  }
}

export interface PostgresOptions {
  /** Schema to use (created if missing); tests use a schema of their own. */
  readonly schema?: string;
  readonly poolSize?: number;
}

export async function createPostgresStore(url: string, options: PostgresOptions = {}): Promise<Store> {
  const schema = options.schema;
  if (schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`bad schema name ${schema}`);
  const poolConfig: pg.PoolConfig = { connectionString: url, max: options.poolSize ?? 10 };
  if (schema) poolConfig.options = `-c search_path=${schema}`;
  if (schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create schema if not exists ${schema}`);
    await admin.end();
  }
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool(poolConfig) }) });
  await migrateToLatest(db, 'postgres');
  return new PostgresStore(db);
}
