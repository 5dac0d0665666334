// The built-in identity under /identity: Keystone v3 discovery, tokens, users, projects, role grants.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ROLES, UnauthenticatedError } from '../domain/index.js';
import type { IdentityCaller, Services } from '../service/index.js';
import { catalogWire, parseAuthRequest, projectWire, tokenWire, userWire, versionWire } from './identity-wire.js';
import { statusOf } from './neutron-errors.js';
import { publicUrl } from './public-url.js';

export const IDENTITY_PREFIX = '/identity';

const TITLES: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed', 409: 'Conflict' };

/** Keystone's error body: `{"error": {"code", "title", "message"}}`. */
function keystoneError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  let status = 500;
  let message = 'An unexpected error prevented the server from fulfilling your request.';
  if (error instanceof DomainError) {
    status = statusOf(error);
    message = error.message;
  } else if (typeof error === 'object' && error !== null && typeof (error as { statusCode?: unknown }).statusCode === 'number' && (error as { statusCode: number }).statusCode < 500) {
    status = (error as { statusCode: number }).statusCode;
    message = (error as Error).message;
  } else {
    request.log.error({ err: error }, 'unhandled identity error');
  }
  if (status === 401) void reply.header('WWW-Authenticate', `Keystone uri="${baseUrl(request)}/identity"`);
  void reply.status(status).type('application/json').send({ error: { code: status, title: TITLES[status] ?? 'Internal Server Error', message } });
}

/** The configured public URL (public-url.ts), never the request's Host: it goes into token catalogs. */
export function baseUrl(request: FastifyRequest): string {
  return publicUrl(request);
}

function header(request: FastifyRequest, name: string): string | undefined {
  const v = request.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

type Params = Record<string, string>;
type Query = Record<string, string | undefined>;

export async function registerIdentityRoutes(root: FastifyInstance, services: Services): Promise<void> {
  const { identity, identityAdmin: admin } = services;
  const caller = async (request: FastifyRequest): Promise<IdentityCaller> => {
    const token = header(request, 'x-auth-token');
    if (!token) throw new UnauthenticatedError('HTTPUnauthorized', 'The request you have made requires authentication.');
    return { ...(await identity.validate(token)), requestId: String(request.id), sourceAddress: request.ip };
  };
  const subject = (request: FastifyRequest): string => {
    const token = header(request, 'x-subject-token');
    if (!token) throw new UnauthenticatedError('HTTPUnauthorized', 'X-Subject-Token is required.');
    return token;
  };
  const TAGS = { tags: ['identity'] };

  await root.register(async (app) => {
    app.setErrorHandler(keystoneError);
    app.setNotFoundHandler((request, reply) => keystoneError({ statusCode: 404, message: 'The resource could not be found.' }, request, reply));

    // Keystone answers its root with 300 Multiple Choices; keystoneauth reads either.
    app.get('', { schema: { ...TAGS, summary: 'Identity version discovery' } }, async (request, reply) =>
      reply.status(300).send({ versions: { values: [versionWire(baseUrl(request))] } }));
    app.get('/v3', { schema: { ...TAGS, summary: 'Identity v3 version document' } }, async (request) => ({ version: versionWire(baseUrl(request)) }));

    app.post('/v3/auth/tokens', { schema: { ...TAGS, summary: 'Sign in: password or token, project or domain scope' } }, async (request, reply) => {
      const { methods, scope } = parseAuthRequest(request.body);
      const { token, info } = await identity.issue(methods, scope);
      const query = request.query as Query;
      return reply.status(201).header('X-Subject-Token', token).send(tokenWire(info, baseUrl(request), query['nocatalog'] === undefined));
    });
    app.get('/v3/auth/tokens', { schema: { ...TAGS, summary: 'Validate X-Subject-Token' } }, async (request, reply) => {
      await caller(request);
      const token = subject(request);
      const info = await identity.inspect(token);
      const query = request.query as Query;
      return reply.header('X-Subject-Token', token).send(tokenWire(info, baseUrl(request), query['nocatalog'] === undefined));
    });
    app.delete('/v3/auth/tokens', { schema: { ...TAGS, summary: 'Revoke X-Subject-Token' } }, async (request, reply) => {
      await identity.revoke(subject(request), await caller(request));
      return reply.status(204).send();
    });
    app.get('/v3/auth/catalog', { schema: TAGS }, async (request) => {
      await caller(request);
      return { catalog: catalogWire(baseUrl(request)), links: { self: `${baseUrl(request)}/identity/v3/auth/catalog` } };
    });
    app.get('/v3/auth/projects', { schema: TAGS }, async (request) => {
      const projects = await admin.projectsOf(await caller(request));
      return { projects: projects.map((p) => projectWire(p, baseUrl(request))) };
    });

    registerAdminRoutes(app, services, caller);
  }, { prefix: IDENTITY_PREFIX });
}

function registerAdminRoutes(app: FastifyInstance, services: Services, caller: (r: FastifyRequest) => Promise<IdentityCaller>): void {
  const admin = services.identityAdmin;
  const TAGS = { tags: ['identity'] };
  const body = (request: FastifyRequest, key: string): Record<string, unknown> => {
    const b = request.body as Record<string, unknown> | undefined;
    const inner = b?.[key];
    return typeof inner === 'object' && inner !== null ? (inner as Record<string, unknown>) : {};
  };
  const domainList = (request: FastifyRequest) => ({ domains: [{ id: 'default', name: 'Default', enabled: true, description: 'The default domain', links: { self: `${baseUrl(request)}/identity/v3/domains/default` } }] });

  app.get('/v3/domains', { schema: TAGS }, async (request) => (await caller(request), domainList(request)));
  app.get('/v3/domains/:id', { schema: TAGS }, async (request, reply) => {
    await caller(request);
    const { id } = request.params as Params;
    const domain = domainList(request).domains[0]!;
    return id === 'default' || id === 'Default' ? { domain } : reply.status(404).send({ error: { code: 404, title: 'Not Found', message: `Could not find domain: ${id}.` } });
  });
  app.get('/v3/roles', { schema: TAGS }, async (request) => {
    await caller(request);
    const { name } = request.query as Query;
    const roles = ROLES.filter((r) => name === undefined || r === name);
    return { roles: roles.map((r) => ({ id: r, name: r, domain_id: null, links: { self: `${baseUrl(request)}/identity/v3/roles/${r}` } })) };
  });

  app.get('/v3/users', { schema: TAGS }, async (request) => {
    const { name } = request.query as Query;
    return { users: (await admin.listUsers(await caller(request), name)).map((u) => userWire(u, baseUrl(request))) };
  });
  app.post('/v3/users', { schema: TAGS }, async (request, reply) => {
    const u = body(request, 'user');
    const user = await admin.createUser(await caller(request), { name: u['name'], password: u['password'], enabled: u['enabled'], domainId: u['domain_id'] });
    return reply.status(201).send({ user: userWire(user, baseUrl(request)) });
  });
  app.get('/v3/users/:id', { schema: TAGS }, async (request) => {
    const { id } = request.params as Params;
    return { user: userWire(await admin.getUser(await caller(request), id!), baseUrl(request)) };
  });
  app.patch('/v3/users/:id', { schema: TAGS }, async (request) => {
    const { id } = request.params as Params;
    const u = body(request, 'user');
    const user = await admin.updateUser(await caller(request), id!, { name: u['name'], password: u['password'], enabled: u['enabled'] });
    return { user: userWire(user, baseUrl(request)) };
  });
  app.delete('/v3/users/:id', { schema: TAGS }, async (request, reply) => {
    await admin.deleteUser(await caller(request), (request.params as Params)['id']!);
    return reply.status(204).send();
  });

  app.get('/v3/projects', { schema: TAGS }, async (request) => {
    const { name } = request.query as Query;
    return { projects: (await admin.listProjects(await caller(request), name)).map((p) => projectWire(p, baseUrl(request))) };
  });
  app.post('/v3/projects', { schema: TAGS }, async (request, reply) => {
    const p = body(request, 'project');
    const project = await admin.createProject(await caller(request), { name: p['name'], description: p['description'], enabled: p['enabled'], domainId: p['domain_id'] });
    return reply.status(201).send({ project: projectWire(project, baseUrl(request)) });
  });
  app.get('/v3/projects/:id', { schema: TAGS }, async (request) => {
    const { id } = request.params as Params;
    return { project: projectWire(await admin.getProject(await caller(request), id!), baseUrl(request)) };
  });
  app.patch('/v3/projects/:id', { schema: TAGS }, async (request) => {
    const { id } = request.params as Params;
    const p = body(request, 'project');
    const project = await admin.updateProject(await caller(request), id!, { name: p['name'], description: p['description'], enabled: p['enabled'] });
    return { project: projectWire(project, baseUrl(request)) };
  });
  app.delete('/v3/projects/:id', { schema: TAGS }, async (request, reply) => {
    await admin.deleteProject(await caller(request), (request.params as Params)['id']!);
    return reply.status(204).send();
  });

  const grantUrl = '/v3/projects/:projectId/users/:userId/roles/:role';
  app.put(grantUrl, { schema: TAGS }, async (request, reply) => {
    const { projectId, userId, role } = request.params as Params;
    await admin.grant(await caller(request), projectId!, userId!, role!);
    return reply.status(204).send();
  });
  app.delete(grantUrl, { schema: TAGS }, async (request, reply) => {
    const { projectId, userId, role } = request.params as Params;
    await admin.revoke(await caller(request), projectId!, userId!, role!);
    return reply.status(204).send();
  });
  app.get(grantUrl, { schema: TAGS }, async (request, reply) => {
    const { projectId, userId, role } = request.params as Params;
    const held = await admin.hasRole(await caller(request), projectId!, userId!, role!);
    return held ? reply.status(204).send() : reply.status(404).send({ error: { code: 404, title: 'Not Found', message: `Could not find role assignment.` } });
  });
  app.get('/v3/projects/:projectId/users/:userId/roles', { schema: TAGS }, async (request) => {
    const { projectId, userId } = request.params as Params;
    const list = await admin.assignments(await caller(request), { userId: userId!, projectId: projectId! });
    return { roles: list.map((a) => ({ id: a.role, name: a.role })) };
  });
  app.get('/v3/role_assignments', { schema: TAGS }, async (request) => {
    const q = request.query as Query;
    const filter = { ...(q['user.id'] !== undefined && { userId: q['user.id'] }), ...(q['scope.project.id'] !== undefined && { projectId: q['scope.project.id'] }) };
    const list = await admin.assignments(await caller(request), filter);
    return {
      role_assignments: list.map((a) => ({ role: { id: a.role, name: a.role }, user: { id: a.userId }, scope: { project: { id: a.projectId } } })),
    };
  });
}
