// The shared back-end for several API replicas: PostgreSQL through pg, same queries as SQLite.
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { writeBulkLoad, type BulkLoad } from '../bulk-load.js';
import type { Database } from '../database-schema.js';
import { KyselySession } from '../kysely-session.js';
import { migrateToLatest, schemaStatus } from '../migrator.js';
import { kyselyLog, type QueryObserver } from '../query-observer.js';
import type { NewChange, Store, StoreSession } from '../store.js';
import { createCommitListener, type CommitListener } from './commit-listener.js';

/** First half of the advisory-lock key every write transaction takes; the second is the schema's hash. */
const WRITE_LOCK = 0x5a115ade;
/** First half of the session lock that lets one replica at a time create the schema and migrate it. */
const MIGRATION_LOCK = 0x5a115adf;

/** What one deployment (one schema) is keyed by: lock keys and the NOTIFY channel. */
interface Namespace {
  readonly lockKey: number;
  readonly channel: string;
}

/** FNV-1a, as a signed 32-bit integer (PostgreSQL's int4 advisory-lock half-key). */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h | 0;
}

function namespaceOf(schema: string | undefined): Namespace {
  // Schemas share one database's lock space and NOTIFY channels: key both by the schema.
  return { lockKey: hash32(schema ?? ''), channel: schema ? `palisade_changes_${schema}` : 'palisade_changes' };
}

/** A session that remembers the newest change sequence number it appended. */
class RecordingSession extends KyselySession {
  latestSeq = 0;
  override async appendChange(change: NewChange): Promise<number> {
    const seq = await super.appendChange(change);
    this.latestSeq = seq;
    return seq;
  }
}

class PostgresStore extends KyselySession implements Store {
  readonly dialect = 'postgres' as const;
  readonly #db: Kysely<Database>;
  readonly #namespace: Namespace;
  readonly #schema: string | undefined;
  readonly #listener: ReturnType<typeof createCommitListener>;
  /** This replica's writers queue here, so only one of them at a time holds a pooled connection waiting on the lock. */
  #writeQueue: Promise<unknown> = Promise.resolve();
  constructor(db: Kysely<Database>, clientConfig: pg.ClientConfig, namespace: Namespace, schema: string | undefined) {
    super(db, 'postgres');
    this.#db = db;
    this.#schema = schema;
    this.#namespace = namespace;
    this.#listener = createCommitListener(clientConfig, namespace.channel);
  }

  transaction<T>(work: (session: StoreSession) => Promise<T>): Promise<T> {
    return this.#serialised(async (trx) => {
      const session = new RecordingSession(trx, 'postgres');
      return { result: await work(session), latestSeq: session.latestSeq };
    });
  }

  bulkLoad(batch: BulkLoad): Promise<number> {
    return this.#serialised(async (trx) => {
      const latestSeq = await writeBulkLoad(trx, batch);
      return { result: latestSeq, latestSeq };
    });
  }

  #serialised<T>(work: (trx: Kysely<Database>) => Promise<{ result: T; latestSeq: number }>): Promise<T> {
    const run = this.#writeQueue.then(() => this.#transaction(work));
    this.#writeQueue = run.catch(() => undefined);
    return run;
  }

  async #transaction<T>(work: (trx: Kysely<Database>) => Promise<{ result: T; latestSeq: number }>): Promise<T> {
    const { lockKey, channel } = this.#namespace;
    return this.#db.transaction().execute(async (trx) => {
      // Writers of all replicas take one advisory lock, held until commit, so they commit in the order
      // they take change sequence numbers: a follower that has read up to N never later finds a
      // committed record below N (docs/replicas.md).
      await sql`select pg_advisory_xact_lock(${WRITE_LOCK}, ${lockKey})`.execute(trx);
      const { result, latestSeq } = await work(trx);
      // Queued by PostgreSQL and delivered to every listener only when (and if) this transaction commits.
      if (latestSeq > 0) await sql`select pg_notify(${channel}, ${String(latestSeq)})`.execute(trx);
      return result;
    });
  }

  watchCommits(listener: CommitListener): () => void {
    return this.#listener.add(listener);
  }

  async pendingMigrations(): Promise<readonly string[]> {
    return (await schemaStatus(this.#db, 'postgres', this.#schema)).pending;
  }

  async close(): Promise<void> {
    await this.#listener.close();
    await this.#db.destroy();
  }
}

export interface PostgresOptions {
  /** Schema to use (created if missing); also read from a `?schema=` parameter of the URL, which wins. */
  readonly schema?: string;
  readonly poolSize?: number;
  /** Told of every statement (the server's query-latency metric). */
  readonly onQuery?: QueryObserver;
}

/** Splits our own `schema` parameter off the URL: pg would pass unknown parameters to the server. */
export function splitSchema(url: string, fallback: string | undefined): { url: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? fallback;
  parsed.searchParams.delete('schema');
  // 46 = 63 (PostgreSQL's identifier limit) less the NOTIFY channel's 'palisade_changes_' prefix.
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,45}$/.test(schema)) {
    throw new Error(`PostgreSQL schema name must be 1-46 lower-case letters, digits and underscores, got '${schema}'`);
  }
  return { url: parsed.toString(), schema };
}

async function migrateUnderLock(db: Kysely<Database>, clientConfig: pg.ClientConfig, schema: string | undefined, lockKey: number): Promise<void> {
  const client = new pg.Client(clientConfig);
  await client.connect();
  try {
    // Kysely's migrator locks only the migration step itself; creating the schema and its migration
    // tables would still race when replicas start together, so one replica at a time does all of it.
    await client.query('select pg_advisory_lock($1, $2)', [MIGRATION_LOCK, lockKey]);
    if (schema) await client.query(`create schema if not exists ${schema}`);
    await migrateToLatest(db, 'postgres', schema);
  } finally {
    await client.query('select pg_advisory_unlock($1, $2)', [MIGRATION_LOCK, lockKey]).catch(() => undefined);
    await client.end();
  }
}

/** Opens (creating the schema and migrating if needed) a store on `rawUrl`; `?schema=name` picks a schema. */
export async function createPostgresStore(rawUrl: string, options: PostgresOptions = {}): Promise<Store> {
  const { url, schema } = splitSchema(rawUrl, options.schema);
  const namespace = namespaceOf(schema);
  const clientConfig: pg.ClientConfig = { connectionString: url, ...(schema && { options: `-c search_path=${schema}` }) };
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({ pool: new pg.Pool({ ...clientConfig, max: options.poolSize ?? 10 }) }),
    ...kyselyLog(options.onQuery),
  });
  try {
    await migrateUnderLock(db, clientConfig, schema, namespace.lockKey);
  } catch (e) {
    await db.destroy();
    throw e;
  }
  return new PostgresStore(db, clientConfig, namespace, schema);
}
