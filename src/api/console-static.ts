// Serves the built web console (dist/console) at `/`, with index.html as the fallback for the console's own pages.
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { AuthMode } from '../config.js';

/** The console's icon: a small shield, as SVG (every current browser takes an SVG favicon), so no binary file is kept. */
const FAVICON_SVG =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><path d="M16 2 4 7v8c0 7.5 5.1 13.4 12 15 6.9-1.6 12-7.5 12-15V7z" fill="#1f5fbf"/>' +
  '<path d="M10 9v14M16 9v14M22 9v14M8 13h16M8 19h16" stroke="#fff" stroke-width="2"/></svg>';

/** Paths that belong to an API or tool; they never fall back to the console. */
const NOT_CONSOLE = ['/v2.0', '/v3', '/docs', '/healthz', '/readyz', '/metrics'];

function isConsolePage(path: string): boolean {
  if (NOT_CONSOLE.some((p) => path === p || path.startsWith(`${p}/`) || path.startsWith(`${p}.`))) return false;
  // A missing file (`/assets/x.js`) is a 404, not the app: only extension-less paths are pages.
  const last = path.slice(path.lastIndexOf('/') + 1);
  return !last.includes('.');
}

function wantsHtml(accept: string | undefined): boolean {
  return (accept ?? '').split(',').some((part) => part.trim().startsWith('text/html'));
}

/**
 * Registers the console's files and its page fallback; does nothing but warn when `distDir` holds no build.
 * Only browser navigations (Accept: text/html) get index.html: `GET /` stays Neutron's version document for
 * API clients, and unknown paths stay NeutronError 404s for them.
 * Also answers `GET /favicon.ico` (an SVG icon), `GET /_console/my-ip` (the caller's address as this server sees it) for the rule form's "My IP",
 * and `GET /_console/auth-mode` (`{"mode": "keystone" | "noauth" | "external"}`) so the console knows whether to sign in.
 * Call it on the root instance (as AppOptions.plugins does), so its hook sees the version route too.
 */
export async function registerConsole(app: FastifyInstance, distDir: string, authMode: AuthMode = 'keystone'): Promise<void> {
  const root = resolve(distDir);
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn(`web console not served: no build in ${root} (run npm run build:console)`);
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    // `/` belongs to the version document; the hook below hands it to browsers.
    index: false,
    schemaHide: true,
    setHeaders: (reply, path) => {
      // Vite fingerprints every asset name, so they never change; index.html must always be revalidated.
      reply.header('cache-control', path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  // A hook, not a wildcard route: a catch-all GET route would turn the API's 404s into 405s.
  app.addHook('onRequest', async (request, reply) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return;
    const path = request.url.split('?')[0] ?? '/';
    const isPage = path === '/' || (request.is404 && isConsolePage(path));
    if (!isPage || !wantsHtml(request.headers.accept)) return;
    await reply.header('cache-control', 'no-cache').sendFile('index.html');
    return reply;
  });
  // Browsers ask for /favicon.ico on every page; index.html also names it as an SVG icon.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) =>
    reply.header('content-type', 'image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG));
  app.get('/_console/my-ip', { schema: { hide: true } }, async (request) => ({ ip: request.ip }));
  app.get('/_console/auth-mode', { schema: { hide: true } }, async () => ({ mode: authMode }));
}
