// Server configuration from the environment or a JSON file, validated at start with clear messages.
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { DEFAULT_ANALYSIS_LIMITS, type AnalysisLimits } from './service/index.js';

export type AuthMode = 'keystone' | 'noauth' | 'external';
const AUTH_MODES: readonly AuthMode[] = ['keystone', 'noauth', 'external'];

export interface Config {
  readonly host: string;
  readonly port: number;
  readonly database: { readonly kind: 'sqlite'; readonly path: string } | { readonly kind: 'postgres'; readonly url: string };
  /** PALISADE_SQLITE_SYNCHRONOUS: `normal` (default) loses the last commits on power loss, `full` does not. */
  readonly sqliteSynchronous?: 'normal' | 'full';
  readonly auth: AuthMode;
  /** Lifetime of built-in identity tokens, in seconds. */
  readonly tokenTtlSeconds?: number;
  /** `external` mode: the Keystone that validates tokens. */
  readonly keystoneUrl?: string;
  /** Password of the bootstrapped `admin` on first start; a random one is printed when absent. */
  readonly bootstrapAdminPassword?: string;
  readonly changeRetention: number;
  /** Days the change log keeps records for history and audit, whatever changeRetention says; absent or 0: no minimum. */
  readonly historyRetentionDays?: number;
  readonly logLevel: string;
  /** Base of the URLs handed out (token catalogs, links); absent = the listen address. */
  readonly publicUrl?: string;
  /** Limits of one analysis request (effective rules, explain, reachability, matrix). */
  readonly analysis?: AnalysisLimits;
  /** PALISADE_METRICS_TOKEN: a bearer token that may read /metrics on the API listener (admins always may). */
  readonly metricsToken?: string;
  /** PALISADE_METRICS_LISTEN: a separate listener serving /metrics without a token. */
  readonly metricsListen?: { readonly host: string; readonly port: number };
  /** How long SIGTERM waits for in-flight requests before closing their connections. */
  readonly shutdownTimeoutMs?: number;
  /** /readyz answers 503 while this replica is more than this many changes behind the log. */
  readonly readyMaxLag?: number;
  /** PALISADE_TLS_CERT / PALISADE_TLS_KEY: serve HTTPS with this PEM certificate (chain) and key; absent, plain HTTP. */
  readonly tls?: { readonly cert: string; readonly key: string };
}

export class ConfigError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

const DEFAULTS = {
  listen: '127.0.0.1:9696',
  databaseUrl: 'sqlite:./data/palisade.db',
  auth: 'keystone',
  tokenTtl: '3600',
  keystoneUrl: '',
  bootstrapAdminPassword: '',
  changeRetention: '0',
  historyRetentionDays: '90',
  logLevel: 'info',
  publicUrl: '',
  analysisMaxPorts: String(DEFAULT_ANALYSIS_LIMITS.maxPorts),
  analysisMaxServices: String(DEFAULT_ANALYSIS_LIMITS.maxServices),
  analysisMaxEdges: String(DEFAULT_ANALYSIS_LIMITS.maxEdges),
  analysisTimeoutMs: String(DEFAULT_ANALYSIS_LIMITS.timeoutMs),
  metricsToken: '',
  metricsListen: '',
  shutdownTimeoutMs: '10000',
  readyMaxLag: '1000',
  sqliteSynchronous: 'normal',
  tlsCert: '',
  tlsKey: '',
};

const FILE_KEYS: Record<string, keyof typeof DEFAULTS> = {
  listen: 'listen',
  database_url: 'databaseUrl',
  auth: 'auth',
  token_ttl: 'tokenTtl',
  keystone_url: 'keystoneUrl',
  bootstrap_admin_password: 'bootstrapAdminPassword',
  change_retention: 'changeRetention',
  history_retention_days: 'historyRetentionDays',
  log_level: 'logLevel',
  public_url: 'publicUrl',
  analysis_max_ports: 'analysisMaxPorts',
  analysis_max_services: 'analysisMaxServices',
  analysis_max_edges: 'analysisMaxEdges',
  analysis_timeout_ms: 'analysisTimeoutMs',
  metrics_token: 'metricsToken',
  metrics_listen: 'metricsListen',
  shutdown_timeout_ms: 'shutdownTimeoutMs',
  ready_max_lag: 'readyMaxLag',
  sqlite_synchronous: 'sqliteSynchronous',
  tls_cert: 'tlsCert',
  tls_key: 'tlsKey',
};

const ENV_KEYS: Record<keyof typeof DEFAULTS, string> = {
  listen: 'PALISADE_LISTEN',
  databaseUrl: 'PALISADE_DATABASE_URL',
  auth: 'PALISADE_AUTH',
  tokenTtl: 'PALISADE_TOKEN_TTL',
  keystoneUrl: 'PALISADE_KEYSTONE_URL',
  bootstrapAdminPassword: 'PALISADE_BOOTSTRAP_ADMIN_PASSWORD',
  changeRetention: 'PALISADE_CHANGE_RETENTION',
  historyRetentionDays: 'PALISADE_HISTORY_RETENTION_DAYS',
  logLevel: 'PALISADE_LOG_LEVEL',
  publicUrl: 'PALISADE_PUBLIC_URL',
  analysisMaxPorts: 'PALISADE_ANALYSIS_MAX_PORTS',
  analysisMaxServices: 'PALISADE_ANALYSIS_MAX_SERVICES',
  analysisMaxEdges: 'PALISADE_ANALYSIS_MAX_EDGES',
  analysisTimeoutMs: 'PALISADE_ANALYSIS_TIMEOUT_MS',
  metricsToken: 'PALISADE_METRICS_TOKEN',
  metricsListen: 'PALISADE_METRICS_LISTEN',
  shutdownTimeoutMs: 'PALISADE_SHUTDOWN_TIMEOUT_MS',
  readyMaxLag: 'PALISADE_READY_MAX_LAG',
  sqliteSynchronous: 'PALISADE_SQLITE_SYNCHRONOUS',
  tlsCert: 'PALISADE_TLS_CERT',
  tlsKey: 'PALISADE_TLS_KEY',
};

function parseListen(value: string, name = 'PALISADE_LISTEN', example = '127.0.0.1:9696'): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})$/.exec(value);
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) {
    throw new ConfigError(`${name} must be host:port (e.g. ${example}), got '${value}'`);
  }
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** `host:port`, or a bare port on loopback: a metrics listener is never public unless asked for. */
function parseMetricsListen(value: string): Config['metricsListen'] {
  if (value === '') return undefined;
  return parseListen(/^[0-9]+$/.test(value) ? `127.0.0.1:${value}` : value, 'PALISADE_METRICS_LISTEN', '127.0.0.1:9697 or 9697');
}

function parseDatabase(value: string): Config['database'] {
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (path.length === 0) throw new ConfigError(`PALISADE_DATABASE_URL 'sqlite:' needs a file path, e.g. sqlite:./data/palisade.db`);
    return { kind: 'sqlite', path };
  }
  if (/^postgres(ql)?:\/\//.test(value)) return { kind: 'postgres', url: value };
  throw new ConfigError(`PALISADE_DATABASE_URL must start with sqlite: or postgres://, got '${value}'`);
}

function readFile(path: string): Partial<Record<keyof typeof DEFAULTS, string>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new ConfigError(`config file ${path} must hold a JSON object`);
  const out: Partial<Record<keyof typeof DEFAULTS, string>> = {};
  for (const [key, value] of Object.entries(parsed)) {
    const target = FILE_KEYS[key];
    if (!target) throw new ConfigError(`config file ${path}: unknown key '${key}' (known: ${Object.keys(FILE_KEYS).join(', ')})`);
    out[target] = String(value);
  }
  return out;
}

/** `https://cloud.example:9696/prefix`: http(s), a host, optional port and path; no query, fragment or credentials. */
function parsePublicUrl(value: string): string | undefined {
  if (value === '') return undefined;
  if (!/^https?:\/\/(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+)(:[0-9]{1,5})?(\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*)?$/.test(value)) {
    throw new ConfigError(`PALISADE_PUBLIC_URL must be http(s)://host[:port][/path] without query or credentials, got '${value}'`);
  }
  return value.replace(/\/+$/, '');
}

function wholeNumber(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < min || n > max) throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got '${value}'`);
  return n;
}

function analysisLimits(get: (key: keyof typeof DEFAULTS) => string): AnalysisLimits {
  return {
    maxPorts: wholeNumber(ENV_KEYS.analysisMaxPorts, get('analysisMaxPorts'), 1, 10_000_000),
    maxServices: wholeNumber(ENV_KEYS.analysisMaxServices, get('analysisMaxServices'), 1, 32),
    maxEdges: wholeNumber(ENV_KEYS.analysisMaxEdges, get('analysisMaxEdges'), 1, 100_000_000),
    timeoutMs: wholeNumber(ENV_KEYS.analysisTimeoutMs, get('analysisTimeoutMs'), 1, 3_600_000),
  };
}

function readPem(name: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    throw new ConfigError(`${name}: cannot read ${path}: ${(e as Error).message}`, { cause: e });
  }
}

/** Both files or neither; read now, and checked to be a certificate and the key that matches it, so a bad pair stops the start. */
function parseTls(certFile: string, keyFile: string): Config['tls'] {
  if (certFile === '' && keyFile === '') return undefined;
  if (certFile === '' || keyFile === '') {
    throw new ConfigError(`HTTPS needs both PALISADE_TLS_CERT and PALISADE_TLS_KEY; only ${certFile === '' ? 'PALISADE_TLS_KEY' : 'PALISADE_TLS_CERT'} is set`);
  }
  const cert = readPem('PALISADE_TLS_CERT', certFile);
  const key = readPem('PALISADE_TLS_KEY', keyFile);
  try {
    createSecureContext({ cert, key });
  } catch (e) {
    const reason = /key values mismatch/i.test((e as Error).message) ? 'the key does not belong to the certificate' : (e as Error).message;
    throw new ConfigError(`PALISADE_TLS_CERT ${certFile} and PALISADE_TLS_KEY ${keyFile} are not a usable pair: ${reason}`, { cause: e });
  }
  return { cert, key };
}

/** Environment beats the file (PALISADE_CONFIG), which beats the defaults. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const file = env['PALISADE_CONFIG'] ? readFile(env['PALISADE_CONFIG']) : {};
  const get = (key: keyof typeof DEFAULTS) => env[ENV_KEYS[key]] ?? file[key] ?? DEFAULTS[key];
  const { host, port } = parseListen(get('listen'));
  const auth = get('auth') as AuthMode;
  if (!AUTH_MODES.includes(auth)) throw new ConfigError(`PALISADE_AUTH must be one of ${AUTH_MODES.join(', ')}; got '${auth}'`);
  const keystoneUrl = get('keystoneUrl');
  if (auth === 'external' && !/^https?:\/\//.test(keystoneUrl)) {
    throw new ConfigError(`PALISADE_AUTH=external needs PALISADE_KEYSTONE_URL (http:// or https://), got '${keystoneUrl}'`);
  }
  const ttl = get('tokenTtl');
  if (!/^[0-9]+$/.test(ttl) || Number(ttl) < 1) throw new ConfigError(`PALISADE_TOKEN_TTL must be a whole number of seconds (at least 1), got '${ttl}'`);
  const bootstrapAdminPassword = get('bootstrapAdminPassword');
  const retention = get('changeRetention');
  if (!/^[0-9]+$/.test(retention)) throw new ConfigError(`PALISADE_CHANGE_RETENTION must be a whole number of changes (0 keeps all), got '${retention}'`);
  const logLevel = get('logLevel');
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    throw new ConfigError(`PALISADE_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got '${logLevel}'`);
  }
  const publicUrl = parsePublicUrl(get('publicUrl'));
  const synchronous = get('sqliteSynchronous');
  if (synchronous !== 'normal' && synchronous !== 'full') throw new ConfigError(`PALISADE_SQLITE_SYNCHRONOUS must be normal or full, got '${synchronous}'`);
  const metricsToken = get('metricsToken');
  const metricsListen = parseMetricsListen(get('metricsListen'));
  const tls = parseTls(get('tlsCert'), get('tlsKey'));
  return {
    host, port, database: parseDatabase(get('databaseUrl')), auth, tokenTtlSeconds: Number(ttl),
    ...(keystoneUrl !== '' && { keystoneUrl }),
    ...(bootstrapAdminPassword !== '' && { bootstrapAdminPassword }),
    changeRetention: Number(retention), logLevel, analysis: analysisLimits(get),
    historyRetentionDays: wholeNumber(ENV_KEYS.historyRetentionDays, get('historyRetentionDays'), 0, 36_500),
    ...(publicUrl !== undefined && { publicUrl }),
    ...(metricsToken !== '' && { metricsToken }),
    ...(metricsListen !== undefined && { metricsListen }),
    shutdownTimeoutMs: wholeNumber(ENV_KEYS.shutdownTimeoutMs, get('shutdownTimeoutMs'), 0, 3_600_000),
    sqliteSynchronous: synchronous,
    readyMaxLag: wholeNumber(ENV_KEYS.readyMaxLag, get('readyMaxLag'), 0, Number.MAX_SAFE_INTEGER),
    ...(tls !== undefined && { tls }),
  };
}
