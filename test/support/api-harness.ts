// API test harness: a scratch Palisade app on in-memory SQLite, callers per project, resource helpers.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { expect } from 'vitest';
import { buildApp, noauthAuthenticator } from '../../src/api/index.js';
import { createServices, type Services, type ServicesOptions } from '../../src/service/index.js';
import { createSqliteStore } from '../../src/store/index.js';

/** Wire JSON as tests read it: loosely typed on purpose, assertions check the shape. */
export type Json = Record<string, any>;

export interface Reply {
  readonly status: number;
  readonly headers: LightMyRequestResponse['headers'];
  /** Parsed JSON body; `undefined` when the body is empty. */
  readonly body: Json;
  readonly raw: string;
}

type Method = NonNullable<InjectOptions['method']>;

/** One caller: a project and its roles, sending noauth headers. */
export interface Caller {
  readonly project: string;
  request(method: Method, url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  get(url: string): Promise<Reply>;
  post(url: string, body?: unknown): Promise<Reply>;
  put(url: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  del(url: string, headers?: Record<string, string>): Promise<Reply>;
  /** Creates a group and returns its wire object (asserting 201). */
  group(attrs?: Json): Promise<Json>;
  /** Creates a rule in `groupId` and returns its wire object (asserting 201). */
  rule(groupId: string, attrs?: Json): Promise<Json>;
  network(attrs?: Json): Promise<Json>;
  subnet(networkId: string, cidr?: string, attrs?: Json): Promise<Json>;
  port(networkId: string, attrs?: Json): Promise<Json>;
  /** The project's default group (ensured through a list call). */
  defaultGroup(): Promise<Json>;
}

export interface Harness {
  readonly app: FastifyInstance;
  as(project: string, roles?: string): Caller;
  /** An admin caller in project `admin-project`. */
  readonly admin: Caller;
  /** Latest change-log sequence number (read as admin). */
  latestSeq(): Promise<number>;
  /** The services behind the app, for what no request starts (scheduled jobs). */
  readonly services: Services;
  close(): Promise<void>;
}

function parse(raw: string): Json {
  if (raw.length === 0) return undefined as unknown as Json;
  try {
    return JSON.parse(raw) as Json;
  } catch {
    return { unparsed: raw };
  }
}

export async function send(app: FastifyInstance, method: Method, url: string, headers: Record<string, string>, body?: unknown): Promise<Reply> {
  const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
  const res = await app.inject({ method, url, headers: { 'content-type': 'application/json', ...headers }, ...(payload !== undefined && { payload }) });
  return { status: res.statusCode, headers: res.headers, body: parse(res.body), raw: res.body };
}

/** Asserts a Neutron error: status, `NeutronError.type`, optional message substrings, JSON content type. */
export function expectError(reply: Reply, status: number, type?: string, ...substrings: string[]): void {
  expect(reply.status, reply.raw).toBe(status);
  expect(String(reply.headers['content-type'])).toMatch(/^application\/json/);
  const error = reply.body['NeutronError'] as Json | undefined;
  expect(error, reply.raw).toBeDefined();
  expect(typeof error!['message']).toBe('string');
  expect(error!['detail']).toBe('');
  if (type !== undefined) expect(error!['type'], reply.raw).toBe(type);
  for (const s of substrings) expect(error!['message']).toContain(s);
}

/** Asserts a status and returns the body. */
export function ok(reply: Reply, status = 200): Json {
  expect(reply.status, reply.raw).toBe(status);
  return reply.body;
}

function makeCaller(app: FastifyInstance, project: string, roles: string): Caller {
  const auth = { 'x-project-id': project, 'x-roles': roles };
  const request = (method: Method, url: string, body?: unknown, headers: Record<string, string> = {}) =>
    send(app, method, url, { ...auth, ...headers }, body);
  const caller: Caller = {
    project,
    request,
    get: (url) => request('GET', url),
    post: (url, body) => request('POST', url, body),
    put: (url, body, headers) => request('PUT', url, body, headers),
    del: (url, headers) => request('DELETE', url, undefined, headers),
    async group(attrs = {}) {
      return ok(await caller.post('/v2.0/security-groups', { security_group: { name: 'g', ...attrs } }), 201)['security_group'];
    },
    async rule(groupId, attrs = {}) {
      const body = { security_group_rule: { security_group_id: groupId, direction: 'ingress', ...attrs } };
      return ok(await caller.post('/v2.0/security-group-rules', body), 201)['security_group_rule'];
    },
    async network(attrs = {}) {
      return ok(await caller.post('/v2.0/networks', { network: { name: 'net', ...attrs } }), 201)['network'];
    },
    async subnet(networkId, cidr = '10.0.0.0/24', attrs = {}) {
      return ok(await caller.post('/v2.0/subnets', { subnet: { network_id: networkId, cidr, ...attrs } }), 201)['subnet'];
    },
    async port(networkId, attrs = {}) {
      return ok(await caller.post('/v2.0/ports', { port: { network_id: networkId, ...attrs } }), 201)['port'];
    },
    async defaultGroup() {
      const list = ok(await caller.get(`/v2.0/security-groups?name=default&project_id=${encodeURIComponent(project)}`));
      return list['security_groups'][0];
    },
  };
  return caller;
}

export async function makeHarness(options: Omit<ServicesOptions, 'store'> = {}): Promise<Harness> {
  const store = await createSqliteStore(':memory:');
  const services = createServices({ store, ...options });
  const app = await buildApp({ services, authenticate: noauthAuthenticator });
  const admin = makeCaller(app, 'admin-project', 'admin');
  return {
    app,
    as: (project, roles = 'member') => makeCaller(app, project, roles),
    admin,
    latestSeq: () => services.changes.latestSeq(),
    services,
    async close() {
      await app.close();
      await store.close();
    },
  };
}

/** A network with one IPv4 subnet, for tests that need ports. */
export async function networkWithSubnet(caller: Caller, cidr = '10.0.0.0/24'): Promise<{ network: Json; subnet: Json }> {
  const network = await caller.network();
  const subnet = await caller.subnet(network['id'], cidr);
  return { network, subnet };
}
