// Keystone v3 wire format: parsing `POST /v3/auth/tokens` bodies and rendering tokens, users, projects.
import { DEFAULT_DOMAIN, InvalidInputError, shown, type Project, type User } from '../domain/index.js';
import type { AuthMethod, DomainRef, ProjectRef, ScopeRequest, TokenInfo, UserRef } from '../service/index.js';

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function bad(message: string): InvalidInputError {
  return InvalidInputError.of('HTTPBadRequest', `Invalid input for field 'auth': ${message}`, 'auth');
}

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || v.length === 0) throw bad(`${what} must be a non-empty string.`);
  return v;
}

function domainRef(v: unknown, what: string): DomainRef {
  if (!isObject(v)) throw bad(`${what} needs a domain with an id or a name.`);
  if (v['id'] !== undefined) return { id: str(v['id'], `${what}.domain.id`) };
  return { name: str(v['name'], `${what}.domain.name`) };
}

function namedRef(v: unknown, what: string): UserRef | ProjectRef {
  if (!isObject(v)) throw bad(`${what} must be an object.`);
  if (v['id'] !== undefined) return { id: str(v['id'], `${what}.id`) };
  return { name: str(v['name'], `${what}.name`), domain: domainRef(v['domain'], what) };
}

function parseMethod(identity: Json, method: unknown): AuthMethod {
  if (method === 'password') {
    const password = identity['password'];
    if (!isObject(password) || !isObject(password['user'])) throw bad('identity.password.user is required.');
    const user = password['user'];
    if (typeof user['password'] !== 'string') throw bad('identity.password.user.password must be a string.');
    return { method: 'password', user: namedRef(user, 'user'), password: user['password'] };
  }
  if (method === 'token') {
    const token = identity['token'];
    if (!isObject(token)) throw bad('identity.token is required.');
    return { method: 'token', token: str(token['id'], 'identity.token.id') };
  }
  throw bad(`unsupported method ${typeof method === 'string' ? JSON.stringify(method) : shown(method)} (password and token are supported).`);
}

function parseScope(scope: unknown): ScopeRequest {
  if (scope === undefined || scope === null || scope === 'unscoped') return { kind: 'unscoped' };
  if (!isObject(scope)) throw bad('scope must be an object.');
  if (scope['project'] !== undefined) return { kind: 'project', project: namedRef(scope['project'], 'project') };
  if (scope['domain'] !== undefined) return { kind: 'domain', domain: domainRef(scope['domain'], 'scope') };
  if (scope['system'] !== undefined) throw bad('system scope is not supported.');
  throw bad('scope needs a project or a domain.');
}

/** `{"auth": {"identity": {"methods": [...], ...}, "scope": ...}}` → methods and scope. */
export function parseAuthRequest(body: unknown): { methods: AuthMethod[]; scope: ScopeRequest } {
  const auth = isObject(body) ? body['auth'] : undefined;
  if (!isObject(auth) || !isObject(auth['identity'])) throw bad('auth.identity is required.');
  const identity = auth['identity'];
  const methods = identity['methods'];
  if (!Array.isArray(methods) || methods.length === 0) throw bad('identity.methods must be a non-empty list.');
  return { methods: methods.map((m) => parseMethod(identity, m)), scope: parseScope(auth['scope']) };
}

const DOMAIN_WIRE = { id: DEFAULT_DOMAIN.id, name: DEFAULT_DOMAIN.name };

/** Keystone's timestamps: microseconds and a Z. */
function keystoneTime(iso: string): string {
  return iso.replace(/\.(\d{3})Z$/, '.$1000Z');
}

function endpoints(service: string, url: string): Json[] {
  return ['public', 'internal', 'admin'].map((iface) => ({ id: `${service}-${iface}`, interface: iface, region: 'RegionOne', region_id: 'RegionOne', url }));
}

export function catalogWire(baseUrl: string): Json[] {
  return [
    { id: 'network', type: 'network', name: 'neutron', endpoints: endpoints('network', baseUrl) },
    { id: 'identity', type: 'identity', name: 'keystone', endpoints: endpoints('identity', `${baseUrl}/identity/v3`) },
  ];
}

export function tokenWire(info: TokenInfo, baseUrl: string, withCatalog: boolean): Json {
  const token: Json = {
    methods: info.methods,
    user: { id: info.user.id, name: info.user.name, domain: DOMAIN_WIRE, password_expires_at: null },
    audit_ids: [info.auditId],
    expires_at: keystoneTime(info.expiresAt),
    issued_at: keystoneTime(info.issuedAt),
  };
  if (info.project) {
    token['project'] = { id: info.project.id, name: info.project.name, domain: DOMAIN_WIRE };
    token['is_domain'] = false;
  }
  if (info.scope.kind === 'domain') token['domain'] = DOMAIN_WIRE;
  if (info.scope.kind !== 'unscoped') {
    token['roles'] = info.roles.map((r) => ({ id: r, name: r }));
    if (withCatalog) token['catalog'] = catalogWire(baseUrl);
  }
  return { token };
}

export function userWire(u: User, baseUrl: string): Json {
  return { id: u.id, name: u.name, domain_id: u.domainId, enabled: u.enabled, password_expires_at: null, options: {}, links: { self: `${baseUrl}/identity/v3/users/${u.id}` } };
}

export function projectWire(p: Project, baseUrl: string): Json {
  return {
    id: p.id, name: p.name, domain_id: p.domainId, description: p.description, enabled: p.enabled,
    is_domain: false, parent_id: p.domainId, tags: [], options: {}, links: { self: `${baseUrl}/identity/v3/projects/${p.id}` },
  };
}

export function versionWire(baseUrl: string): Json {
  return {
    id: 'v3.14',
    status: 'stable',
    updated: '2020-04-07T00:00:00Z',
    links: [{ rel: 'self', href: `${baseUrl}/identity/v3/` }],
    'media-types': [{ base: 'application/json', type: 'application/vnd.openstack.identity-v3+json' }],
  };
}
