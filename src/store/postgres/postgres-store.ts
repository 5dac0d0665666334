// The shared back-end for several API replicas: PostgreSQL through pg, same queries as SQLite.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Database } from '../database-schema.js';
import { KyselySession } from '../kysely-session.js';
import { migrateToLatest } from '../migrator.js';
import type { Store, StoreSession } from '../store.js';
import { createCommitListener, COMMIT_CHANNEL } from './commit-listener.js';

/** Key of the transaction-scoped advisory lock every write transaction takes. */
const WRITE_LOCK = 0x5a115ade;
/** Key of the session lock that lets one replica at a time create the schema and migrate it. */
const MIGRATION_LOCK = 0x5a115adf;

class PostgresStore extends KyselySession implements Store {
  readonly dialect = 'postgres' as const;
  readonly #db: Kysely<Database>;
  readonly #listener: ReturnType<typeof createCommitListener>;
  constructor(db: Kysely<Database>, clientConfig: pg.ClientConfig) {
    super(db);
    this.#db = db;
    this.#listener = createCommitListener(clientConfig);
  }

  async transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    return this.#db.transaction().execute(async (trx) => {
      // Writers take one advisory lock, so they commit in the order they take change sequence
      // numbers: a follower reading `seq > N` can never miss a row committed later with a lower seq.
      await sql`select pg_advisory_xact_lock(${WRITE_LOCK})`.execute(trx);
      const result = await work(new KyselySession(trx));
      // Delivered to listeners only when (and if) this transaction commits.
      await sql`select pg_notify(${COMMIT_CHANNEL}, '')`.execute(trx);
      return result;
    });
  }

  watchCommits(listener: () => void): () => void {
    return this.#listener.add(listener);
  }

  async close(): Promise<void> {
    await this.#listener.close();
    await this.#db.destroy();
  }
}

export interface PostgresOptions {
  /** Schema to use (created if missing); also read from a `?schema=` parameter of the URL. */
  readonly schema?: string;
  readonly poolSize?: number;
}

/** Splits our own `schema` parameter off the URL: pg would pass unknown parameters to the server. */
function splitSchema(url: string, fallback: string | undefined): { url: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? fallback;
  parsed.searchParams.delete('schema');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`PostgreSQL schema name must be lower-case letters, digits and underscores, got '${schema}'`);
  }
  return { url: parsed.toString(), schema };
}

async function migrateUnderLock(db: Kysely<Database>, clientConfig: pg.ClientConfig, schema: string | undefined): Promise<void> {
  const client = new pg.Client(clientConfig);
  await client.connect();
  try {
    // Replicas starting together would race to create the schema and the migration tables.
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
    if (schema) await client.query(`create schema if not exists ${schema}`);
    await migrateToLatest(db, 'postgres');
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}

export async function createPostgresStore(rawUrl: string, options: PostgresOptions = {}): Promise<Store> {
  const { url, schema } = splitSchema(rawUrl, options.schema);
  const clientConfig: pg.ClientConfig = { connectionString: url, ...(schema && { options: `-c search_path=${schema}` }) };
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 }) }),
  });
  await migrateUnderLock(db, clientConfig, schema);
  return new PostgresStore(db, clientConfig);
}
