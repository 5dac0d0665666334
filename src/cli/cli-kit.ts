// What every `palisade` command family shares: I/O, sign-in and the API's URL, output formats, exit codes, names or ids.
import { Command, CommanderError, Option } from 'commander';
import { toCsv } from '../contract/index.js';
import { ApiError, DEFAULT_AUTH_URL, IdentityClient, normalizeAuthUrl, type CatalogEntry, type Environment } from './identity-client.js';
import { toYaml } from './yaml-emitter.js';

/** Where a command reads its settings and writes its output; the process's in real use, captured in tests. */
export interface CliIo {
  readonly env: Environment;
  /** One line of output (stdout). */
  readonly print: (line: string) => void;
  /** One line of diagnostics (stderr); defaults to nowhere. */
  readonly warn?: (line: string) => void;
  /** Raw text to stderr, for progress bars; only called when `isTTY`. */
  readonly status?: (text: string) => void;
  /** Whether a person watches the terminal (stdout and stderr are TTYs): progress bars are drawn only then. */
  readonly isTTY?: boolean;
}

export const PROCESS_IO: CliIo = {
  env: process.env,
  print: (line) => void process.stdout.write(`${line}\n`),
  warn: (line) => void process.stderr.write(`${line}\n`),
  status: (text) => void process.stderr.write(text),
  isTTY: process.stdout.isTTY === true && process.stderr.isTTY === true,
};

/** Bad usage (a missing or contradictory option): exit code 2, like commander's own usage errors. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const EXIT = { ok: 0, apiError: 1, usage: 2 } as const;

/**
 * Runs the program on `args` (without `node palisade`) and answers the exit code: 0 on success, 1 on an error
 * (the API's message is printed), 2 on bad usage. Help and version exit 0.
 */
export async function runCli(program: Command, args: readonly string[], io: CliIo): Promise<number> {
  try {
    await program.parseAsync([...args], { from: 'user' });
    return EXIT.ok;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? EXIT.ok : EXIT.usage;
    io.warn?.(`palisade: ${(e as Error).message}`);
    return e instanceof UsageError ? EXIT.usage : EXIT.apiError;
  }
}

/** A program whose usage errors throw (for runCli) instead of exiting, with its messages on `io`. */
export function newProgram(io: CliIo): Command {
  return new Command()
    .name('palisade')
    .exitOverride()
    // A fixed width: the help reads the same in any terminal, and docs/cli.md (generated from it) does not depend on one.
    .configureHelp({ helpWidth: 100 })
    .configureOutput({ writeOut: (s) => io.print(s.replace(/\n$/, '')), writeErr: (s) => io.warn?.(s.replace(/\n$/, '')) })
    .showSuggestionAfterError();
}

// ---- the server and credentials -------------------------------------------------------------------------

export const DEFAULT_SERVER_URL = 'http://127.0.0.1:9696';

export interface ConnectionFlags {
  url?: string;
  osAuthUrl?: string;
  osToken?: string;
}

/** The options naming the server and the credentials, shared by every command that calls the API. */
export function withConnection(command: Command): Command {
  return command
    .option('--url <url>', `Palisade API (default $PALISADE_URL, else the network endpoint of the OS_* catalog, else ${DEFAULT_SERVER_URL})`)
    .option('--os-auth-url <url>', 'identity endpoint (default $OS_AUTH_URL)')
    .option('--os-token <token>', 'a token to use instead of signing in (default $OS_TOKEN)');
}

function trimmed(url: string): string {
  return url.replace(/\/+$/, '');
}

/** The network service's URL in a catalog: the `OS_INTERFACE` endpoint (default public), in `OS_REGION_NAME` when set. */
export function networkEndpoint(catalog: readonly CatalogEntry[], env: Environment): string | undefined {
  const iface = (env['OS_INTERFACE'] ?? 'public').replace(/URL$/, '');
  const region = env['OS_REGION_NAME'];
  const endpoints = catalog.filter((s) => s.type === 'network').flatMap((s) => s.endpoints);
  const match = endpoints.find((e) => e.interface === iface && (region === undefined || e.region === region));
  return match?.url;
}

/** Whether OS_* (or the flags) hold credentials: a token, or a password. */
function identityOf(env: Environment, flags: ConnectionFlags, fallbackAuthUrl?: string): IdentityClient | undefined {
  const token = flags.osToken ?? env['OS_TOKEN'];
  const authUrl = flags.osAuthUrl ?? env['OS_AUTH_URL'] ?? fallbackAuthUrl;
  if (!token && !env['OS_PASSWORD']) return undefined;
  if (!authUrl) {
    if (token) return undefined;
    throw new UsageError('OS_PASSWORD is set but OS_AUTH_URL is not: set OS_AUTH_URL (or PALISADE_URL and OS_AUTH_URL) to sign in');
  }
  return new IdentityClient({ authUrl: normalizeAuthUrl(authUrl), ...(token && { token }) }, env);
}

/**
 * The Palisade API's base URL: `--url`/`--server`, else PALISADE_URL, else the catalog of the OS_* credentials
 * (as the stock client finds Neutron), else the default local server.
 */
export async function resolveServerUrl(env: Environment, flags: ConnectionFlags): Promise<string> {
  if (flags.url) return trimmed(flags.url);
  if (env['PALISADE_URL']) return trimmed(env['PALISADE_URL']);
  const identity = identityOf(env, flags);
  if (identity) {
    const found = networkEndpoint(await identity.catalog(), env);
    if (found) return trimmed(found);
    throw new Error('the catalog of the OS_* credentials has no network endpoint: set PALISADE_URL or --url');
  }
  return DEFAULT_SERVER_URL;
}

/** The Neutron-style API of one server, signed in from the flags and OS_* variables (noauth headers without credentials). */
export class PalisadeApi {
  readonly url: string;
  readonly #identity: IdentityClient | undefined;
  readonly #env: Environment;

  private constructor(url: string, identity: IdentityClient | undefined, env: Environment) {
    this.url = url;
    this.#identity = identity;
    this.#env = env;
  }

  static async connect(io: CliIo, flags: ConnectionFlags): Promise<PalisadeApi> {
    const url = await resolveServerUrl(io.env, flags);
    return new PalisadeApi(url, identityOf(io.env, flags, `${url}/identity/v3`), io.env);
  }

  async #headers(): Promise<Record<string, string>> {
    if (this.#identity) return { 'x-auth-token': await this.#identity.token() };
    // A server in noauth mode (development): the agent's convention, an admin of OS_PROJECT_ID (default `admin`).
    return { 'x-project-id': this.#env['OS_PROJECT_ID'] ?? 'admin', 'x-roles': 'admin' };
  }

  /** The caller's project: the token's scope, or OS_PROJECT_ID (default `admin`) in noauth mode. */
  async projectId(): Promise<string> {
    if (!this.#identity) return this.#env['OS_PROJECT_ID'] ?? 'admin';
    const id = await this.#identity.projectId();
    if (!id) throw new UsageError('the token is not scoped to a project: set OS_PROJECT_NAME or OS_PROJECT_ID');
    return id;
  }

  /** Calls `<url><path>`; answers the JSON body (undefined for 204), throws ApiError with the server's message. */
  async call<T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await fetch(`${this.url}${path}`, {
        method,
        headers: { ...(await this.#headers()), ...(body !== undefined && { 'content-type': 'application/json' }) },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
    } catch (e) {
      throw new Error(`cannot reach ${this.url}: ${((e as Error).cause as Error | undefined)?.message ?? (e as Error).message}`, { cause: e });
    }
    const text = await res.text();
    if (res.status >= 400) throw new ApiError(res.status, text);
    return (text.length > 0 ? JSON.parse(text) : undefined) as T;
  }

  get<T = Record<string, unknown>>(path: string): Promise<T> {
    return this.call<T>('GET', path);
  }
}

export { ApiError, DEFAULT_AUTH_URL };

// ---- names or ids ---------------------------------------------------------------------------------------

export interface Named {
  readonly id: string;
  readonly name: string;
}

const KINDS = {
  'security-groups': { plural: 'security_groups', singular: 'security_group', words: 'security group' },
  ports: { plural: 'ports', singular: 'port', words: 'port' },
  networks: { plural: 'networks', singular: 'network', words: 'network' },
} as const;

export type NamedKind = keyof typeof KINDS;

/** An object by exact name (exactly one may carry it), else by id; an error naming what was asked otherwise. */
export async function resolveNamed(api: PalisadeApi, kind: NamedKind, nameOrId: string): Promise<Named> {
  const k = KINDS[kind];
  const byName = (await api.get<Record<string, Named[]>>(`/v2.0/${kind}?name=${encodeURIComponent(nameOrId)}&fields=id&fields=name`))[k.plural] ?? [];
  if (byName.length === 1) return byName[0]!;
  try {
    const byId = (await api.get<Record<string, Named>>(`/v2.0/${kind}/${encodeURIComponent(nameOrId)}?fields=id&fields=name`))[k.singular];
    if (byId) return byId;
  } catch (e) {
    if (!(e instanceof ApiError && (e.status === 404 || e.status === 400))) throw e;
  }
  if (byName.length > 1) throw new Error(`${byName.length} ${k.words}s are named '${nameOrId}'; name one by id: ${byName.map((g) => g.id).join(', ')}`);
  throw new Error(`no ${k.words} named or with id '${nameOrId}'`);
}

// ---- output ---------------------------------------------------------------------------------------------

export const FORMATS = ['table', 'json', 'csv', 'yaml'] as const;
export type Format = (typeof FORMATS)[number];

export function withFormat(command: Command): Command {
  return command.addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('table'));
}

/** A table column: its header and how a row shows in it. */
export type Column<T> = readonly [header: string, cell: (row: T) => unknown];

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.map(cellText).join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function printTable(io: CliIo, rows: readonly (readonly string[])[]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const row of rows) io.print(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

/**
 * Rows as a table or CSV of `columns`; as JSON or YAML, the objects themselves (`raw`, default the rows):
 * `-f json` prints what the API answered, unchanged.
 */
export function emit<T>(io: CliIo, format: Format, rows: readonly T[], columns: readonly Column<T>[], raw: unknown = rows): void {
  if (format === 'json') return io.print(JSON.stringify(raw, null, 2));
  if (format === 'yaml') return io.print(toYaml(raw).trimEnd());
  const cells = [columns.map(([h]) => h), ...rows.map((r) => columns.map(([, cell]) => cellText(cell(r))))];
  if (format === 'csv') return io.print(toCsv(cells).trimEnd());
  printTable(io, cells);
}

/** One object: a field/value table, or the object itself as JSON or YAML. */
export function emitObject(io: CliIo, format: Format, object: Record<string, unknown>, fields: readonly Column<Record<string, unknown>>[]): void {
  const rows = fields.map(([name, cell]) => ({ name, value: cell(object) }));
  emit(io, format, rows, [['field', (r) => r.name], ['value', (r) => r.value]], object);
}

// ---- progress -------------------------------------------------------------------------------------------

export interface Progress {
  tick(n?: number): void;
  done(): void;
}

/** A progress bar on stderr when a person watches (`io.isTTY`), else nothing. */
export function progressBar(io: CliIo, label: string, total: number): Progress {
  if (!io.isTTY || !io.status || total <= 1) return { tick: () => undefined, done: () => undefined };
  const status = io.status;
  let count = 0;
  const draw = () => {
    const width = 30;
    const filled = Math.round((count / total) * width);
    status(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${count}/${total}`);
  };
  draw();
  return {
    tick(n = 1) {
      count = Math.min(total, count + n);
      draw();
    },
    done() {
      status('\n');
    },
  };
}
