// Real servers for cross-process tests: SQLite files or one PostgreSQL schema shared by several replicas.
import { mkdtempSync, rmSync } from 'node:fs';
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

/** A real server with built-in identity on a scratch SQLite file, and the OS_* variables of its bootstrap admin. */
export interface KeystoneServer {
  readonly server: RunningServer;
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function startKeystoneServer(adminPassword: string): Promise<KeystoneServer> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-ks-'));
  const server = await startServer({
    host: '127.0.0.1', port: 0, auth: 'keystone', changeRetention: 0, logLevel: 'silent', bootstrapAdminPassword: adminPassword,
    database: { kind: 'sqlite', path: join(dir, 'p.db') },
  });
  const env = {
    OS_AUTH_URL: `${server.url}/identity/v3`, OS_USERNAME: 'admin', OS_PASSWORD: adminPassword, OS_PROJECT_NAME: 'admin',
    OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default',
  };
  return {
    server, env,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
