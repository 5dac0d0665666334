// HTTP to the Palisade API: JSON in and out, NeutronError bodies turned into ApiError with the API's own words.
import { authHeaders, rejected } from './auth.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    /** NeutronError.type, or a transport-level label when the API did not answer. */
    readonly type: string,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

function errorFrom(status: number, text: string): ApiError {
  try {
    const body = JSON.parse(text) as { NeutronError?: { type?: unknown; message?: unknown } };
    const e = body.NeutronError;
    if (e && typeof e.message === 'string') return new ApiError(status, typeof e.type === 'string' ? e.type : 'Error', e.message);
  } catch {
    // Not JSON: a proxy or the browser answered, not the API.
  }
  return new ApiError(status, `HTTP ${status}`, text.trim() === '' ? `The server answered ${status} with no details.` : text.slice(0, 300));
}

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** Sends one request; resolves with the parsed body (undefined for 204) or rejects with ApiError. */
export async function apiRequest<T>(method: Method, path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers: { Accept: 'application/json', ...(body === undefined ? {} : { 'Content-Type': 'application/json' }), ...authHeaders() },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  } catch (e) {
    throw new ApiError(0, 'NetworkError', `Cannot reach the Palisade API: ${(e as Error).message}`);
  }
  const text = await response.text();
  if (!response.ok) {
    const error = errorFrom(response.status, text);
    if (response.status === 401) rejected(error.message);
    throw error;
  }
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

/** Explains any thrown value in words for the page. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  return e instanceof Error ? e.message : String(e);
}
