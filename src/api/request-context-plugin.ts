// Attaches the caller's RequestContext to every API request; noauth reads X-Project-Id and X-Roles.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ForbiddenError, isAgentOnly, isProjectId, UnauthenticatedError } from '../domain/index.js';
import { makeRequestContext, type RequestContext } from '../service/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    palisade: RequestContext;
  }
  interface FastifyContextConfig {
    /** An `agent`-role token may call this route (host feeds); it is refused every other one. */
    agentAllowed?: boolean;
  }
}

/** Resolves who is calling; the identity issue adds a token-based implementation. */
export type Authenticator = (request: FastifyRequest) => Promise<RequestContext>;

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Neutron's noauth: the project and roles come from headers; without a project the request is refused. */
export const noauthAuthenticator: Authenticator = async (request) => {
  const projectId = header(request, 'x-project-id') ?? header(request, 'x-tenant-id');
  if (!projectId || !isProjectId(projectId.trim())) {
    throw new UnauthenticatedError('HTTPUnauthorized', 'Authentication required: send X-Project-Id (noauth mode): 1 to 64 letters, digits, "_" or "-".');
  }
  const roles = (header(request, 'x-roles') ?? 'member').split(',').map((r) => r.trim()).filter((r) => r.length > 0);
  // Optional in noauth (as with Neutron's noauth middleware): they only label the audit's records.
  const id = header(request, 'x-user-id')?.trim().slice(0, 64);
  const name = header(request, 'x-user-name')?.trim().slice(0, 255);
  return makeRequestContext(projectId.trim(), roles, { ...(id && { id }), ...(name && { name }) });
};

/** Paths that answer without a caller: version discovery, health, docs, the console's files. */
export function isPublicPath(url: string): boolean {
  const path = url.split('?')[0] ?? '';
  if (path === '/' || path === '/v2.0' || path === '/v2.0/' || path === '/healthz' || path === '/readyz') return true;
  return !path.startsWith('/v2.0/');
}

export function registerRequestContext(app: FastifyInstance, authenticate: Authenticator): void {
  app.decorateRequest('palisade', null as unknown as RequestContext);
  app.addHook('onRequest', async (request, reply) => {
    // Neutron's header: the id the audit records for this request's writes.
    void reply.header('x-openstack-request-id', request.id);
    // Both the target and the matched route pattern must be public: a spelling the router matches but a
    // path check would not recognise can never skip authentication.
    if (isPublicPath(request.url) && isPublicPath(request.routeOptions.url ?? '/')) return;
    const context = await authenticate(request);
    request.palisade = { ...context, requestId: String(request.id).slice(0, 64), sourceAddress: request.ip };
    // Least privilege in one place: an agent reads host feeds, and no route it was not named for.
    if (isAgentOnly(request.palisade.roles) && request.routeOptions.config?.agentAllowed !== true) {
      throw new ForbiddenError('PolicyNotAuthorized', `An agent-only token may read host feeds only; ${request.method} ${request.routeOptions.url ?? request.url} is disallowed by policy.`);
    }
  });
}
