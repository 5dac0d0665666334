// `palisade db backup|restore`: the one admin task that reaches the database directly, from the server's own config.
import { loadConfig, type Config } from './config.js';
import { backupSqlite, restoreSqlite, splitSchema } from './store/index.js';

/** Thrown for PostgreSQL: its tools do the job, and the message says how (docs/ops/backup.md). */
export class UsePgToolsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsePgToolsError';
  }
}

/** Single-quotes for a POSIX shell, so the printed command can be pasted as is. */
function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The pg_dump and pg_restore commands for the configured URL; its `?schema=` is ours, not libpq's, so it becomes --schema. */
export function postgresCommands(url: string, file: string): { dump: string; restore: string } {
  const { url: plain, schema } = splitSchema(url, undefined);
  const only = `--schema=${schema ?? 'public'}`;
  return {
    dump: `pg_dump --format=custom ${only} --file=${shellQuote(file)} ${shellQuote(plain)}`,
    restore: `pg_restore --exit-on-error --no-owner --dbname=${shellQuote(plain)} ${shellQuote(file)}`,
  };
}

function postgresRefusal(database: Config['database'] & { kind: 'postgres' }, file: string, step: 'dump' | 'restore'): UsePgToolsError {
  const commands = postgresCommands(database.url, file);
  const what = step === 'dump'
    ? 'back it up with pg_dump (consistent while the servers write)'
    : 'restore into an EMPTY database with pg_restore while every server is stopped, then start the servers';
  return new UsePgToolsError(`the database is PostgreSQL: ${what}, as docs/ops/backup.md describes:\n  ${commands[step]}`);
}

/** Online backup of the configured database into `file` (a new file). */
export async function backupDatabase(file: string, config: Config = loadConfig()): Promise<void> {
  if (config.database.kind === 'postgres') throw postgresRefusal(config.database, file, 'dump');
  await backupSqlite(config.database.path, file);
}

/** Puts the backup `file` at the configured database path; the server must be stopped. */
export async function restoreDatabase(file: string, replace: boolean, config: Config = loadConfig()): Promise<void> {
  if (config.database.kind === 'postgres') throw postgresRefusal(config.database, file, 'restore');
  await restoreSqlite(file, config.database.path, replace);
}
