// Real servers for cross-process tests: SQLite files or one PostgreSQL schema shared by several replicas.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { loadConfig, type Config } from '../../src/config.js';
import { startServer, type RunningServer } from '../../src/main.js';

export const POSTGRES_URL = process.env['PALISADE_TEST_POSTGRES_URL'];

export type Database = Config['database'];

export function scratchSqlite(): Database {
  return { kind: 'sqlite', path: join(mkdtempSync(join(tmpdir(), 'palisade-srv-')), 'p.db') };
}

let schemas = 0;
/** A PostgreSQL database URL with a fresh schema of its own (the store creates it). */
export function scratchPostgres(): { database: Database; schema: string } {
  const schema = `palisade_t_${process.pid}_${Date.now() % 1e6}_${++schemas}`;
  return { database: { kind: 'postgres', url: `${POSTGRES_URL}?schema=${schema}` }, schema };
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: POSTGRES_URL });
  await client.connect();
  await client.query(`drop schema if exists ${schema} cascade`);
  await client.end();
}

export function startReplica(database: Database): Promise<RunningServer> {
  return startServer({ ...loadConfig({}), auth: 'noauth', port: 0, logLevel: 'silent', database });
}

export interface HttpReply {
  readonly status: number;
  readonly body: any;
}

/** One HTTP call as a project (noauth headers). */
export async function call(base: string, project: string, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpReply> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'x-project-id': project, 'x-roles': project === 'admin' ? 'admin' : 'member', 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, body: text.length > 0 ? JSON.parse(text) : undefined };
}
