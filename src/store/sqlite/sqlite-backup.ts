// Backup and restore of a SQLite database file: an online copy while the server writes, and a checked swap while it is stopped.
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { Database } from '../database-schema.js';
import { NewerDatabaseError, schemaStatus } from '../migrator.js';

/** More pages than any database has: the whole copy is one step, so one read snapshot, and concurrent commits cannot restart it. */
const ALL_PAGES = 0x7fffffff;

/** A file given to restore that is not a database Palisade wrote. */
export class NotPalisadeDatabaseError extends Error {
  constructor(file: string, why: string) {
    super(`${file} is not a Palisade database (${why}); nothing was restored`);
    this.name = 'NotPalisadeDatabaseError';
  }
}

/** The configured database is open in another process: replacing it under a running server would corrupt what it writes. */
export class DatabaseInUseError extends Error {
  constructor(path: string) {
    super(`${path} is in use (is the server running?); stop the server, then restore`);
    this.name = 'DatabaseInUseError';
  }
}

/**
 * Copies the live database at `source` into `file`. The copy reads one snapshot (WAL mode lets the server
 * keep committing meanwhile): it holds every transaction committed before it began and none after.
 */
export async function backupSqlite(source: string, file: string): Promise<void> {
  if (!existsSync(source)) throw new Error(`no database at ${source}`);
  if (existsSync(file)) throw new Error(`${file} exists; choose a new file for the backup`);
  const db = new SqliteDatabase(source, { fileMustExist: true });
  try {
    db.pragma('busy_timeout = 5000');
    await db.backup(file, { progress: () => ALL_PAGES });
  } finally {
    db.close();
  }
  singleFile(file);
  await checkPalisadeDatabase(file);
}

/** The copy keeps the source's WAL mode; out of it, the backup is one self-contained file that opens read-only without leaving -wal/-shm beside it. */
function singleFile(file: string): void {
  const db = new SqliteDatabase(file, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/**
 * Refuses `file` unless it is an intact SQLite database whose migration table names only migrations this
 * code knows (a backup from a newer Palisade throws the migrator's NewerDatabaseError).
 */
export async function checkPalisadeDatabase(file: string): Promise<void> {
  let sqlite: SqliteDatabase.Database | undefined;
  try {
    sqlite = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    const check = sqlite.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check: ${String(check)}`);
  } catch (e) {
    sqlite?.close();
    throw new NotPalisadeDatabaseError(file, (e as Error).message);
  }
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  try {
    const tables = sqlite.prepare(`select name from sqlite_master where type = 'table' and name = 'kysely_migration'`).all();
    if (tables.length === 0) throw new NotPalisadeDatabaseError(file, 'it has no migration table');
    const { pending, unknown } = await schemaStatus(db, 'sqlite');
    if (unknown.length > 0) throw new NewerDatabaseError(unknown);
    if (pending.includes('001-initial-schema')) throw new NotPalisadeDatabaseError(file, 'its migration table lacks the initial schema');
  } finally {
    await db.destroy();
  }
}

/**
 * Switches an existing database out of WAL mode, which SQLite allows only to its sole connection: a running
 * server makes this fail, and the switch folds the WAL into the file so no stale -wal is left beside it.
 */
function claimStopped(path: string): void {
  const db = new SqliteDatabase(path, { fileMustExist: true, timeout: 0 });
  try {
    const mode = db.pragma('journal_mode = DELETE', { simple: true });
    if (mode !== 'delete') throw new DatabaseInUseError(path);
  } catch (e) {
    throw e instanceof DatabaseInUseError ? e : new DatabaseInUseError(path);
  } finally {
    db.close();
  }
}

/**
 * Puts the backup `file` at `target` (the configured database path). An existing target is replaced only
 * with `replace` and only when no process has it open; the swap is a rename, so a failure leaves it whole.
 */
export async function restoreSqlite(file: string, target: string, replace: boolean): Promise<void> {
  await checkPalisadeDatabase(file);
  if (existsSync(target)) {
    if (!replace) throw new Error(`${target} exists; pass --force to replace it (with the server stopped)`);
    claimStopped(target);
  }
  mkdirSync(dirname(target), { recursive: true });
  const staging = `${target}.restoring`;
  rmSync(staging, { force: true });
  const source = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
  try {
    await source.backup(staging, { progress: () => ALL_PAGES });
  } finally {
    source.close();
  }
  for (const leftover of [`${target}-wal`, `${target}-shm`]) rmSync(leftover, { force: true });
  renameSync(staging, target);
}
