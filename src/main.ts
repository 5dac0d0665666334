// Composition root: reads the config, picks the store, wires services and API, and serves.
import type { FastifyInstance } from 'fastify';
import { fileURLToPath } from 'node:url';
import {
  buildApp,
  externalKeystoneAuthenticator,
  noauthAuthenticator,
  registerConsole,
  registerIdentityRoutes,
  tokenAuthenticator,
  type Authenticator,
} from './api/index.js';
import { listenLocally, scrape } from './agent/index.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { createScheduler, createServerMetrics, createServices, periodicJobs, sqlOperation, SYSTEM_CLOCK, type Clock, type ServerMetrics, type Services } from './service/index.js';
import { createPostgresStore, createSqliteStore, type QueryObserver, type SqliteSynchronous, type Store } from './store/index.js';

/** The Vite build of the console, whether this file runs from dist/ or from src/ under tsx. */
const CONSOLE_DIR = fileURLToPath(new URL('../dist/console', import.meta.url));

export async function openStore(database: Config['database'], onQuery?: QueryObserver, synchronous?: SqliteSynchronous): Promise<Store> {
  const options = onQuery ? { onQuery } : {};
  return database.kind === 'sqlite' ? createSqliteStore(database.path, { ...options, ...(synchronous && { synchronous }) }) : createPostgresStore(database.url, options);
}

function queryTimer(metrics: ServerMetrics): QueryObserver {
  return ({ sql, durationMs, failed }) => metrics.storeQueryDuration.observe({ operation: sqlOperation(sql), outcome: failed ? 'error' : 'ok' }, durationMs / 1000);
}

function authenticatorFor(config: Config, services: Services): Authenticator {
  if (config.auth === 'noauth') return noauthAuthenticator;
  if (config.auth === 'external') return externalKeystoneAuthenticator({ url: config.keystoneUrl ?? '' });
  return tokenAuthenticator(services.identity);
}

/** First start of built-in identity: creates admin/admin and, when no password was given, prints one once. */
async function bootstrapIdentity(config: Config, services: Services, url: string): Promise<void> {
  const created = await services.identity.bootstrap(config.bootstrapAdminPassword);
  if (!created?.generated) return;
  process.stdout.write(
    [
      '',
      'Palisade created the identity admin: user "admin", project "admin", role admin.',
      `Its password (shown only this once, stored only as a hash): ${created.password}`,
      'Sign in with:',
      `  export OS_AUTH_URL=${url}/identity/v3 OS_USERNAME=admin OS_PROJECT_NAME=admin`,
      '  export OS_USER_DOMAIN_NAME=Default OS_PROJECT_DOMAIN_NAME=Default OS_IDENTITY_API_VERSION=3',
      `  export OS_PASSWORD='${created.password}'`,
      'Set PALISADE_BOOTSTRAP_ADMIN_PASSWORD on first start to choose it instead.',
      '',
    ].join('\n') + '\n',
  );
}

/** How long a stopping server waits for requests in flight before cutting their connections. */
const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

export interface RunningServer {
  readonly app: FastifyInstance;
  readonly url: string;
  /** PALISADE_METRICS_LISTEN's bound address, when set. */
  readonly metricsUrl: string | undefined;
  close(): Promise<void>;
}

/** What only tests change: the periodic jobs' clock, so a test can move time on without waiting for it. */
export interface StartOptions {
  readonly clock?: Clock;
}

/** Starts a server for `config`; tests use this with a port of 0 and a scratch database. */
export async function startServer(config: Config, options: StartOptions = {}): Promise<RunningServer> {
  if (config.auth === 'noauth' && !['127.0.0.1', 'localhost', '::1'].includes(config.host)) {
    throw new ConfigError(`noauth mode serves every project without credentials; it only binds to loopback, not '${config.host}'`);
  }
  const metrics = createServerMetrics();
  const store = await openStore(config.database, queryTimer(metrics), config.sqliteSynchronous);
  const services = createServices({
    store,
    metrics,
    changeRetention: config.changeRetention,
    ...(config.historyRetentionDays !== undefined && { historyRetentionDays: config.historyRetentionDays }),
    tokenTtlSeconds: config.tokenTtlSeconds ?? 3600,
    ...(config.analysis && { analysisLimits: config.analysis }),
    ...(!(config.database.kind === 'sqlite' && config.database.path === ':memory:') && { analysisDatabase: config.database }),
  });
  const builtInIdentity = config.auth === 'keystone';
  // PALISADE_PUBLIC_URL, or else the address actually bound (known once listening: the port may be 0).
  let publicUrl = config.publicUrl ?? '';
  const app = await buildApp({
    publicUrl: () => publicUrl,
    services,
    authenticate: authenticatorFor(config, services),
    logger: { level: config.logLevel },
    metrics: { metrics, token: config.metricsToken },
    ...(config.readyMaxLag !== undefined && { readyMaxLag: config.readyMaxLag }),
    ...(config.tls && { tls: config.tls }),
    plugins: [
      ...(builtInIdentity ? [(app: FastifyInstance) => registerIdentityRoutes(app, services)] : []),
      (app) => registerConsole(app, CONSOLE_DIR, config.auth),
    ],
  });
  const scheduler = createScheduler({
    clock: options.clock ?? SYSTEM_CLOCK,
    claim: (name, now, next) => store.claimJob(name, now, next),
    jobs: periodicJobs({ rules: services.rules, changes: services.changes, ...(builtInIdentity && { identity: services.identity }) }),
    onError: (job, e) => app.log.error({ err: e, job }, 'periodic job failed'),
  });
  scheduler.start();
  const address = await app.listen({ host: config.host, port: config.port });
  const metricsListener = config.metricsListen ? await listenLocally(config.metricsListen.host, config.metricsListen.port, { '/metrics': () => scrape(metrics.registry) }) : null;
  if (publicUrl === '') publicUrl = address;
  // The engine of a large region takes seconds to load: do it now, in its worker, not on the first question.
  services.warmAnalysis();
  if (builtInIdentity) {
    await bootstrapIdentity(config, services, publicUrl);
  }
  return {
    app,
    url: address,
    metricsUrl: metricsListener?.url,
    async close() {
      await scheduler.stop();
      await metricsListener?.close();
      // Long-polls answer now with their current page; app.close() stops accepting, answers 503 to requests
      // arriving on open keep-alive connections, and waits for the requests in flight, up to the bound.
      services.changes.drain();
      const force = setTimeout(() => app.server.closeAllConnections(), config.shutdownTimeoutMs ?? DEFAULT_SHUTDOWN_TIMEOUT_MS);
      try {
        await app.close();
      } finally {
        clearTimeout(force);
      }
      await services.stop();
      await store.close();
    },
  };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`palisade: configuration error: ${e.message}\n`);
      process.exit(2);
    }
    throw e;
  }
  const server = await startServer(config);
  let stopping = false;
  const stop = () => {
    // A second signal while draining: stop at once.
    if (stopping) process.exit(1);
    stopping = true;
    server.close().then(
      () => process.exit(0),
      (e: unknown) => {
        process.stderr.write(`palisade: shutdown failed: ${(e as Error).message}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((e: unknown) => {
    if (e instanceof Error && e.name === 'NewerDatabaseError') {
      process.stderr.write(`palisade: ${e.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`palisade: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
