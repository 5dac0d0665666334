// Errors that only HTTP has (a method, a size, a media type): their type and status live here, not in the domain.

/** Neutron error types raised by the HTTP layer itself, each with its one status. */
export const HTTP_ERROR_STATUS = {
  HTTPMethodNotAllowed: 405,
  HTTPRequestTimeout: 408,
  HTTPRequestEntityTooLarge: 413,
  HTTPRequestURITooLong: 414,
  HTTPUnsupportedMediaType: 415,
  HTTPRequestHeaderFieldsTooLarge: 431,
  HTTPInternalServerError: 500,
} as const;

export type HttpErrorType = keyof typeof HTTP_ERROR_STATUS;

/** A refusal by the HTTP layer; `statusCode` lets every error handler (Neutron's and Keystone's) read its status. */
export class HttpError extends Error {
  readonly type: HttpErrorType;
  readonly statusCode: number;
  constructor(type: HttpErrorType, message: string) {
    super(message);
    this.name = 'HttpError';
    this.type = type;
    this.statusCode = HTTP_ERROR_STATUS[type];
  }
}

export function methodNotAllowed(method: string): HttpError {
  return new HttpError('HTTPMethodNotAllowed', `The method ${method} is not allowed for this resource.`);
}
