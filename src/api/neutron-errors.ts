// The only place that knows HTTP statuses: domain errors → {"NeutronError": {type, message, detail}}.
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ERROR_CODES, type DomainErrorKind } from '../domain/index.js';

export const STATUS_BY_KIND: Record<DomainErrorKind, number> = {
  'invalid-input': 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'in-use': 409,
  'quota-exceeded': 409,
  gone: 410,
  'precondition-failed': 412,
  'over-limit': 422,
  unavailable: 503,
};

/** Statuses of codes whose HTTP status is not their kind's (they come from the HTTP layer itself). */
const STATUS_OVERRIDES: Partial<Record<keyof typeof ERROR_CODES, number>> = {
  HTTPMethodNotAllowed: 405,
  HTTPRequestEntityTooLarge: 413,
  HTTPRequestURITooLong: 414,
  HTTPUnsupportedMediaType: 415,
};

export interface NeutronErrorBody {
  NeutronError: { type: string; message: string; detail: string };
}

export function neutronError(type: string, message: string): NeutronErrorBody {
  return { NeutronError: { type, message, detail: '' } };
}

export function statusOf(error: DomainError): number {
  return STATUS_OVERRIDES[error.code] ?? STATUS_BY_KIND[error.kind];
}

const INTERNAL = 'Request Failed: internal server error while processing your request.';

/** Maps Fastify's own errors (bad JSON, size limits, schema failures) to Neutron's wording. */
function fromFastifyError(error: FastifyError): { status: number; body: NeutronErrorBody } | null {
  const status = error.statusCode ?? 500;
  if (status >= 500) return null;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return { status: 413, body: neutronError('HTTPRequestEntityTooLarge', 'Request is too large.') };
  }
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return { status: 415, body: neutronError('HTTPUnsupportedMediaType', 'The request media type is not supported.') };
  }
  if (error.validation) {
    const first = error.validation[0];
    const where = error.validationContext ?? 'request';
    const message = first ? `Invalid input for ${where}: ${first.instancePath.replace(/^\//, '') || first.params?.['missingProperty'] || ''} ${first.message ?? ''}`.replace(/\s+/g, ' ').trim() : error.message;
    return { status: 400, body: neutronError('HTTPBadRequest', message) };
  }
  const type = status === 404 ? 'HTTPNotFound' : status === 405 ? 'HTTPMethodNotAllowed' : status === 414 ? 'HTTPRequestURITooLong' : 'HTTPBadRequest';
  return { status, body: neutronError(type, error.message) };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof DomainError) {
    void reply.status(statusOf(error)).type('application/json').send(neutronError(error.code, error.message));
    return;
  }
  const mapped = typeof error === 'object' && error !== null ? fromFastifyError(error as FastifyError) : null;
  if (mapped) {
    void reply.status(mapped.status).type('application/json').send(mapped.body);
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply.status(500).type('application/json').send(neutronError('HTTPInternalServerError', INTERNAL));
}
