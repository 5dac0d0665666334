// Small pieces every resource's routes share: list envelopes, self URLs, 405 answers, path ids.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ListQuery, Page } from '../service/index.js';
import { methodNotAllowed } from './http-errors.js';
import { pageResult, parseListQuery, type ListSpec, type Query } from './list-query.js';
import { publicUrl } from './public-url.js';
import { sendListBody } from './list-response.js';

export function query(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

export function selfUrl(request: FastifyRequest): string {
  return `${publicUrl(request)}${request.url.split('?')[0] ?? ''}`;
}

/** The request's list query, validated (a bad one is a 400 before anything is read or written). */
export function listQuery(request: FastifyRequest, spec: ListSpec, q: Query = query(request)): ListQuery {
  return parseListQuery(q, spec);
}

/**
 * Answers a page in Neutron's envelope, with `<collection>_links` when paging is in effect; links repeat `q`.
 * Handlers return what this returns: a streamed or compressed answer is still being written when an async
 * handler resolves, and Fastify would send a second, empty answer for a handler that resolved to nothing.
 */
export function sendList(
  request: FastifyRequest, reply: FastifyReply, page: Page<object>, parsed: ListQuery, spec: ListSpec, q: Query = query(request),
): FastifyReply {
  const result = pageResult(page, parsed, q, selfUrl(request));
  return sendListBody(reply, spec.collection, result.items, result.links);
}

/** Registers 405 answers for the methods a path does not support. */
export function refuseMethods(app: FastifyInstance, path: string, methods: readonly ('PUT' | 'POST' | 'PATCH' | 'DELETE')[]): void {
  for (const method of methods) {
    app.route({
      method,
      url: path,
      schema: { hide: true },
      handler: async () => {
        throw methodNotAllowed(method);
      },
    });
  }
}

/** True when some standard method has a route for the concrete path (so another method deserves 405, not 404). */
export function hasAnyRoute(app: FastifyInstance, url: string): boolean {
  const path = url.split('?')[0] ?? '';
  return (['GET', 'POST', 'PUT', 'DELETE'] as const).some((method) => app.findRoute({ method, url: path }) !== null);
}

export function idParam(request: FastifyRequest, name = 'id'): string {
  return (request.params as Record<string, string>)[name] ?? '';
}
