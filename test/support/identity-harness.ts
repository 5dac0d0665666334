// Identity test harness: a scratch app with built-in identity and token auth, a settable clock, token helpers.
import type { FastifyInstance } from 'fastify';
import { expect } from 'vitest';
import { buildApp, registerIdentityRoutes, tokenAuthenticator } from '../../src/api/index.js';
import type { IdentityOptions } from '../../src/service/identity-service.js';
import { createServices, type Services } from '../../src/service/index.js';
import { createSqliteStore, type Store } from '../../src/store/index.js';
import { send, type Json, type Reply } from './api-harness.js';

export const ADMIN_PASSWORD = 'bootstrap-secret';

export interface IdentityHarness {
  readonly app: FastifyInstance;
  readonly services: Services;
  readonly store: Store;
  /** Moves the clock forward. */
  advance(seconds: number): void;
  /** POST /identity/v3/auth/tokens with a password, scoped to `project` (a name) unless null. */
  signIn(user: string, password: string, project?: string | null): Promise<Reply>;
  /** A project-scoped token for `user`, asserting success. */
  token(user: string, password: string, project: string): Promise<string>;
  /** A request with X-Auth-Token. */
  call(token: string | null, method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD', url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  /** Creates project `name` and user `user` (password = user name + '-pw') with `role` on it; returns ids. */
  member(project: string, user: string, role?: string): Promise<{ projectId: string; userId: string; token: string }>;
  close(): Promise<void>;
}

export function passwordAuth(user: string, password: string, project?: string | null): Json {
  return {
    auth: {
      identity: { methods: ['password'], password: { user: { name: user, domain: { name: 'Default' }, password } } },
      ...(project ? { scope: { project: { name: project, domain: { id: 'default' } } } } : {}),
    },
  };
}

/** `verifyPassword`: replaces the password check, e.g. to count or hold comparisons. */
export async function makeIdentityHarness(tokenTtlSeconds = 3600, options: Pick<IdentityOptions, 'verifyPassword'> = {}): Promise<IdentityHarness> {
  let clock = Date.parse('2030-01-01T00:00:00Z');
  const store = await createSqliteStore(':memory:');
  const now = () => new Date(clock);
  const services: Services = createServices({ store, now, tokenTtlSeconds, ...options });
  await services.identity.bootstrap(ADMIN_PASSWORD);
  const app = await buildApp({ services, authenticate: tokenAuthenticator(services.identity), plugins: [(a) => registerIdentityRoutes(a, services)] });
  const call: IdentityHarness['call'] = (token, method, url, body, headers = {}) =>
    send(app, method, url, { ...(token !== null && { 'x-auth-token': token }), ...headers }, body);
  const signIn: IdentityHarness['signIn'] = (user, password, project = null) => call(null, 'POST', '/identity/v3/auth/tokens', passwordAuth(user, password, project));
  const token: IdentityHarness['token'] = async (user, password, project) => {
    const reply = await signIn(user, password, project);
    expect(reply.status, reply.raw).toBe(201);
    return String(reply.headers['x-subject-token']);
  };
  return {
    app,
    services,
    store,
    advance: (seconds) => void (clock += seconds * 1000),
    signIn,
    token,
    call,
    async member(project, user, role = 'member') {
      const admin = await token('admin', ADMIN_PASSWORD, 'admin');
      const existing = (await call(admin, 'GET', `/identity/v3/projects?name=${project}`)).body['projects'][0];
      const p = existing ?? (await call(admin, 'POST', '/identity/v3/projects', { project: { name: project } })).body['project'];
      const u = (await call(admin, 'POST', '/identity/v3/users', { user: { name: user, password: `${user}-pw` } })).body['user'];
      expect((await call(admin, 'PUT', `/identity/v3/projects/${p.id}/users/${u.id}/roles/${role}`)).status).toBe(204);
      return { projectId: p.id, userId: u.id, token: await token(user, `${user}-pw`, project) };
    },
    async close() {
      await app.close();
      await store.close();
    },
  };
}
