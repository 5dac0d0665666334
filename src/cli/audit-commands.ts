// `palisade history GROUP` and `palisade audit`: who changed what, read over HTTP with the OS_* sign-in (docs/history.md).
import type { Command } from 'commander';
import { ApiError, IdentityClient, normalizeAuthUrl, type Environment } from './identity-client.js';
import type { HistoryEntryWire } from '../contract/index.js';

export interface AuditIo {
  readonly env: Environment;
  readonly print: (line: string) => void;
}

interface ApiFlags {
  server?: string;
  project?: string;
  format: string;
  limit: string;
  marker?: string;
}

const DEFAULT_IO: AuditIo = { env: process.env, print: (line) => void process.stdout.write(`${line}\n`) };
const COLUMNS = ['seq', 'at', 'user', 'action', 'resource', 'id', 'project'] as const;

/** The Palisade API's base: --server, else PALISADE_URL, else the server of OS_AUTH_URL (built-in identity), else localhost. */
export function serverOf(flags: Pick<ApiFlags, 'server'>, env: Environment): string {
  const explicit = flags.server ?? env['PALISADE_URL'];
  if (explicit) return explicit.replace(/\/+$/, '');
  const auth = env['OS_AUTH_URL'];
  return auth ? normalizeAuthUrl(auth).replace(/\/identity\/v3$/, '').replace(/\/v3$/, '') : 'http://127.0.0.1:9696';
}

/** GET on the Palisade API: with a token from OS_TOKEN or an OS_* password sign-in, else noauth headers. */
async function get(io: AuditIo, flags: ApiFlags, path: string): Promise<Record<string, unknown>> {
  const server = serverOf(flags, io.env);
  const signedIn = io.env['OS_TOKEN'] !== undefined || io.env['OS_PASSWORD'] !== undefined;
  const headers: Record<string, string> = signedIn
    ? { 'x-auth-token': await new IdentityClient({ authUrl: io.env['OS_AUTH_URL'] ?? `${server}/identity/v3`, ...(io.env['OS_TOKEN'] && { token: io.env['OS_TOKEN'] }) }, io.env).token() }
    : { 'x-project-id': flags.project ?? io.env['OS_PROJECT_ID'] ?? 'admin', 'x-roles': 'admin' };
  const res = await fetch(`${server}${path}`, { headers });
  const text = await res.text();
  if (res.status >= 400) throw new ApiError(res.status, text);
  return JSON.parse(text) as Record<string, unknown>;
}

function rowOf(e: HistoryEntryWire): Record<(typeof COLUMNS)[number], string> {
  return {
    seq: String(e.seq), at: e.at, user: e.actor?.user_name ?? e.actor?.user_id ?? '', action: e.action, resource: e.resource,
    id: e.id, project: e.project_id,
  };
}

function print(io: AuditIo, format: string, entries: readonly HistoryEntryWire[], next: string | undefined): void {
  if (format === 'json') return io.print(JSON.stringify(entries, null, 2));
  const rows = entries.map(rowOf);
  const cells = [[...COLUMNS], ...rows.map((r) => COLUMNS.map((c) => r[c]))];
  const widths = COLUMNS.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  for (const row of cells) io.print(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
  if (next) io.print(`(more: --marker ${next})`);
}

function withApi(command: Command): Command {
  return command
    .option('--server <url>', 'Palisade API (default $PALISADE_URL, else the server of $OS_AUTH_URL)')
    .option('--project <id>', 'project id sent when no OS_* credentials are set (a noauth server)')
    .option('--limit <n>', 'records per page', '100')
    .option('--marker <seq>', 'the page after this seq')
    .option('-f, --format <format>', 'table or json', 'table');
}

async function page(io: AuditIo, flags: ApiFlags, path: string, params: URLSearchParams, collection: string): Promise<void> {
  params.set('limit', flags.limit);
  if (flags.marker) params.set('marker', flags.marker);
  const body = await get(io, flags, `${path}?${params.toString()}`);
  const entries = (body[collection] ?? []) as HistoryEntryWire[];
  const next = (body[`${collection}_links`] as { href: string }[] | undefined)?.[0]?.href;
  print(io, flags.format, entries, next ? new URL(next).searchParams.get('marker') ?? undefined : undefined);
}

/** A group by id, else by name (one must match); a deleted group is named by its id. */
async function groupId(io: AuditIo, flags: ApiFlags, nameOrId: string): Promise<string> {
  const named = (await get(io, flags, `/v2.0/security-groups?name=${encodeURIComponent(nameOrId)}&fields=id`))['security_groups'] as { id: string }[];
  if (named.length > 1) throw new Error(`${named.length} groups are named '${nameOrId}': give an id`);
  return named[0]?.id ?? nameOrId;
}

export function registerAuditCommands(program: Command, io: AuditIo = DEFAULT_IO): void {
  withApi(program.command('history <group>').description("a security group's history, newest first: its changes and its rules' (deleted ones too)"))
    .action(async (group: string, o: ApiFlags) => {
      await page(io, o, `/v2.0/palisade/security-groups/${encodeURIComponent(await groupId(io, o, group))}/history`, new URLSearchParams(), 'history');
    });
  withApi(program.command('audit').description("who changed what, newest first (admins: every project; members: their project)"))
    .option('--since <time>', 'ISO 8601 date or time (inclusive)')
    .option('--until <time>', 'ISO 8601 date or time (exclusive)')
    .option('--user <user>', 'a user id or name (system: expired rules)')
    .option('--resource <resource>', 'security_group, security_group_rule, port, network, subnet, user, project, role_assignment, token')
    .option('--action <action>', 'create, update or delete')
    .action(async (o: ApiFlags & Partial<Record<'since' | 'until' | 'user' | 'resource' | 'action', string>>) => {
      const params = new URLSearchParams();
      for (const key of ['since', 'until', 'user', 'resource', 'action'] as const) if (o[key] !== undefined) params.set(key, o[key]);
      await page(io, o, '/v2.0/palisade/audit', params, 'audit');
    });
}
