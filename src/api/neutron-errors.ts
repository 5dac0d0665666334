// The only place that knows HTTP statuses: domain errors → {"NeutronError": {type, message, detail}}.
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ERROR_CODES, type DomainErrorKind, type ErrorCode } from '../domain/index.js';
import { HTTP_ERROR_STATUS, HttpError, type HttpErrorType } from './http-errors.js';

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

export type NeutronErrorType = ErrorCode | HttpErrorType;

/** The one registry of error types: a domain code's status is its kind's, an HTTP-only type's is its own. */
export const STATUS_BY_TYPE: Readonly<Record<NeutronErrorType, number>> = {
  ...(Object.fromEntries(Object.entries(ERROR_CODES).map(([code, kind]) => [code, STATUS_BY_KIND[kind]])) as Record<ErrorCode, number>),
  ...HTTP_ERROR_STATUS,
};

/** The Neutron type of a bare HTTP status from the framework (webob's exception names). */
const TYPE_BY_STATUS: Record<number, NeutronErrorType> = {
  401: 'HTTPUnauthorized', 403: 'HTTPForbidden', 404: 'HTTPNotFound', 405: 'HTTPMethodNotAllowed', 408: 'HTTPRequestTimeout',
  413: 'HTTPRequestEntityTooLarge', 414: 'HTTPRequestURITooLong', 415: 'HTTPUnsupportedMediaType', 431: 'HTTPRequestHeaderFieldsTooLarge',
};

export interface NeutronErrorBody {
  NeutronError: { type: string; message: string; detail: string };
}

export function neutronError(type: string, message: string): NeutronErrorBody {
  return { NeutronError: { type, message, detail: '' } };
}

export function statusOf(error: DomainError): number {
  return STATUS_BY_KIND[error.kind];
}

const INTERNAL = 'Request Failed: internal server error while processing your request.';

/** Maps Fastify's own errors (bad JSON, size limits, schema failures) to Neutron's wording. */
function fromFastifyError(error: FastifyError): { status: number; body: NeutronErrorBody } | null {
  const status = error.statusCode ?? 500;
  if (status >= 500) return null;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return fromHttpError(new HttpError('HTTPRequestEntityTooLarge', 'Request is too large.'));
  if (error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') {
    return fromHttpError(new HttpError('HTTPUnsupportedMediaType', 'The request media type is not supported.'));
  }
  if (error.validation) {
    const first = error.validation[0];
    const where = error.validationContext ?? 'request';
    const message = first ? `Invalid input for ${where}: ${first.instancePath.replace(/^\//, '') || first.params?.['missingProperty'] || ''} ${first.message ?? ''}`.replace(/\s+/g, ' ').trim() : error.message;
    return { status: 400, body: neutronError('HTTPBadRequest', message) };
  }
  return { status, body: neutronError(TYPE_BY_STATUS[status] ?? 'HTTPBadRequest', error.message) };
}

function fromHttpError(error: HttpError): { status: number; body: NeutronErrorBody } {
  return { status: error.statusCode, body: neutronError(error.type, error.message) };
}

export function handleError(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof DomainError) {
    void reply.status(statusOf(error)).type('application/json').send(neutronError(error.code, error.message));
    return;
  }
  const mapped =
    error instanceof HttpError ? fromHttpError(error) : typeof error === 'object' && error !== null ? fromFastifyError(error as FastifyError) : null;
  if (mapped) {
    void reply.status(mapped.status).type('application/json').send(mapped.body);
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  void reply.status(STATUS_BY_TYPE.HTTPInternalServerError).type('application/json').send(neutronError('HTTPInternalServerError', INTERNAL));
}

/** A NeutronError written straight to a socket (there is no reply object), then the connection is closed. */
function writeAndClose(socket: Duplex, status: number, type: NeutronErrorType, message: string, error?: Error): void {
  const body = JSON.stringify(neutronError(type, message));
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/** What the HTTP parser refused, before any request object exists: status, type and message. */
function parserRefusal(code: string | undefined): [number, NeutronErrorType, string] {
  if (code === 'HPE_HEADER_OVERFLOW') return [431, 'HTTPRequestHeaderFieldsTooLarge', 'The request line and headers exceed 16 KB.'];
  if (code === 'ERR_HTTP_REQUEST_TIMEOUT') return [408, 'HTTPRequestTimeout', 'The request was not received in time.'];
  if (code === 'HPE_INVALID_METHOD') return [405, 'HTTPMethodNotAllowed', 'The request method is not an HTTP method this server knows.'];
  return [400, 'HTTPBadRequest', 'Malformed HTTP request.'];
}

/** Fastify's `clientErrorHandler`: the HTTP parser's refusals answer a NeutronError too, then the connection closes. */
export function answerClientError(error: Error & { code?: string }, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, type, message] = parserRefusal(error.code);
  writeAndClose(socket, status, type, message, error);
}

/** The server's `connect` event: Node hands CONNECT (proxy tunnels) over raw; Neutron has no such method. */
export function refuseConnect(_request: unknown, socket: Duplex): void {
  writeAndClose(socket, 405, 'HTTPMethodNotAllowed', 'The method CONNECT is not allowed for this resource.');
}
