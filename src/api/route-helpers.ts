// Small pieces every resource's routes share: list envelopes, self URLs, 405 answers, path ids.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError } from '../domain/index.js';
import { applyListQuery, type ListSpec, type Query } from './list-query.js';
import { sendListBody } from './list-response.js';

export function query(request: FastifyRequest): Query {
  return (request.query ?? {}) as Query;
}

export function selfUrl(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}${request.url.split('?')[0] ?? ''}`;
}

/**
 * Answers a list in Neutron's envelope, with `<collection>_links` when paging is in effect. Handlers
 * return what this returns: a streamed or compressed answer is still being written when an async
 * handler resolves, and Fastify would send a second, empty answer for a handler that resolved to nothing.
 */
export function sendList(request: FastifyRequest, reply: FastifyReply, items: readonly object[], spec: ListSpec): FastifyReply {
  const result = applyListQuery(items, query(request), spec, selfUrl(request));
  return sendListBody(reply, spec.collection, result.items, result.links);
}

class MethodNotAllowedError extends DomainError {
  readonly kind = 'invalid-input' as const;
}

export function methodNotAllowed(method: string): DomainError {
  return new MethodNotAllowedError('HTTPMethodNotAllowed', `The method ${method} is not allowed for this resource.`);
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
