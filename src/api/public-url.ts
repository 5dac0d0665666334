// The server's public base URL for catalogs, links and version documents: configured, never taken from the request.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** `https://cloud.example/network` or `http://127.0.0.1:9696`: no trailing slash. */
    publicUrl(): string;
  }
}

/** The URL of the address the server listens on; an app that never listens (tests through inject) is inject's `localhost:80`. */
function listenUrl(app: FastifyInstance): string {
  const address = app.server.address() as AddressInfo | string | null;
  if (address === null || typeof address === 'string') return 'http://localhost:80';
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return `http://${host}:${address.port}`;
}

/**
 * `configured` (PALISADE_PUBLIC_URL, or main.ts's listen address) or, without it, the address the server
 * listens on. A Host or X-Forwarded-Host header never enters a URL Palisade hands out: a client could
 * otherwise plant its own host in another user's token catalog or paging links.
 */
export function registerPublicUrl(app: FastifyInstance, configured?: () => string): void {
  app.decorate('publicUrl', () => (configured?.() || listenUrl(app)).replace(/\/+$/, ''));
}

export function publicUrl(request: FastifyRequest): string {
  return request.server.publicUrl();
}
