// Token authenticators: X-Auth-Token checked by the built-in identity or by an external Keystone.
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../domain/index.js';
import { makeRequestContext, type IdentityService, type RequestContext } from '../service/index.js';
import type { Authenticator } from './request-context-plugin.js';

function tokenOf(request: FastifyRequest): string {
  const v = request.headers['x-auth-token'];
  const token = Array.isArray(v) ? v[0] : v;
  if (!token) throw new UnauthenticatedError('HTTPUnauthorized', 'Authentication required: send X-Auth-Token.');
  return token;
}

function notProjectScoped(): ForbiddenError {
  return new ForbiddenError('HTTPForbidden', 'The token is not scoped to a project; project APIs need a project-scoped token.');
}

/** `keystone` mode: tokens issued by this server's /identity. */
export function tokenAuthenticator(identity: IdentityService): Authenticator {
  return async (request) => {
    const info = await identity.validate(tokenOf(request));
    if (!info.project) throw notProjectScoped();
    return makeRequestContext(info.project.id, info.roles, { id: info.user.id, name: info.user.name });
  };
}

export interface ExternalKeystoneOptions {
  /** Keystone's base URL, e.g. `https://keystone.example.com:5000` (with or without `/v3`). */
  readonly url: string;
  /** How long a validation is reused (never past the token's expiry). */
  readonly cacheSeconds?: number;
  readonly fetch?: typeof fetch;
  readonly now?: () => number;
}

interface Cached {
  readonly context: RequestContext | null;
  readonly until: number;
}

/** `external` mode: each new token is checked with Keystone's `GET /v3/auth/tokens`, then cached briefly. */
export function externalKeystoneAuthenticator(options: ExternalKeystoneOptions): Authenticator {
  const base = options.url.replace(/\/+$/, '').replace(/\/v3$/, '');
  const cacheMs = (options.cacheSeconds ?? 30) * 1000;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  const cache = new Map<string, Cached>();

  async function validate(token: string): Promise<Cached> {
    const res = await doFetch(`${base}/v3/auth/tokens?nocatalog`, { headers: { 'X-Auth-Token': token, 'X-Subject-Token': token } });
    if (res.status === 401 || res.status === 404) return { context: null, until: now() + cacheMs };
    if (!res.ok) throw new UnauthenticatedError('HTTPUnauthorized', `The identity service could not validate the token (HTTP ${res.status}).`);
    const body = (await res.json()) as { token?: { project?: { id?: string }; user?: { id?: string; name?: string }; roles?: { name?: string }[]; expires_at?: string } };
    const projectId = body.token?.project?.id;
    const roles = (body.token?.roles ?? []).flatMap((r) => (typeof r.name === 'string' ? [r.name] : []));
    const expires = Date.parse(body.token?.expires_at ?? '') || now();
    if (!projectId) throw notProjectScoped();
    const user = body.token?.user;
    const who = { ...(typeof user?.id === 'string' && { id: user.id }), ...(typeof user?.name === 'string' && { name: user.name }) };
    return { context: makeRequestContext(projectId, roles, who), until: Math.min(now() + cacheMs, expires) };
  }

  return async (request) => {
    const token = tokenOf(request);
    const key = createHash('sha256').update(token).digest('hex');
    let entry = cache.get(key);
    if (!entry || entry.until <= now()) {
      entry = await validate(token);
      if (cache.size > 10_000) cache.clear();
      cache.set(key, entry);
    }
    if (!entry.context) throw new UnauthenticatedError('HTTPUnauthorized', 'The token is unknown, expired or revoked.');
    return entry.context;
  };
}
