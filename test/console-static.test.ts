// The console's static serving: files, cache headers, page fallback, and API paths that never fall back.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerConsole } from '../src/api/console-static.js';
import { buildApp, noauthAuthenticator } from '../src/api/index.js';
import type { AuthMode } from '../src/config.js';
import { createServices } from '../src/service/index.js';
import { createSqliteStore, type Store } from '../src/store/index.js';

const INDEX = '<!doctype html><div id="root"></div>';

async function appWithConsole(distDir: string, authMode?: AuthMode): Promise<{ app: FastifyInstance; store: Store; warnings: string[] }> {
  const store = await createSqliteStore(':memory:');
  const warnings: string[] = [];
  const app = await buildApp({
    services: createServices({ store }),
    authenticate: noauthAuthenticator,
    logger: { level: 'warn', stream: { write: (line: string) => void warnings.push(line) } },
    plugins: [(a) => registerConsole(a, distDir, authMode)],
  });
  return { app, store, warnings };
}

describe('registerConsole', () => {
  let dir: string;
  let app: FastifyInstance;
  let store: Store;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'palisade-console-'));
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), INDEX);
    writeFileSync(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    ({ app, store } = await appWithConsole(dir));
  });
  afterAll(async () => {
    await app.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for every console page, never cached', async () => {
    for (const url of ['/', '/?x=1', '/security-groups', '/security-groups/8d9f1d7a?x=1', '/instances/port:abc']) {
      const res = await app.inject({ method: 'GET', url, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type'], url).toMatch(/^text\/html/);
      expect(res.headers['cache-control'], url).toBe('no-cache');
      expect(res.body).toBe(INDEX);
    }
  });

  it('keeps GET / as the version document for API clients', async () => {
    for (const accept of ['application/json', '*/*', undefined]) {
      const res = await app.inject({ method: 'GET', url: '/', headers: accept === undefined ? {} : { accept } });
      expect(res.json(), String(accept)).toHaveProperty('versions');
    }
  });

  it('serves fingerprinted assets as immutable, and a missing asset is a 404', async () => {
    const js = await app.inject({ method: 'GET', url: '/assets/index-abc123.js' });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toMatch(/javascript/);
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect((await app.inject({ method: 'GET', url: '/assets/missing.js' })).statusCode).toBe(404);
  });

  it('serves a favicon, not a 404 (issue 18 defect 13)', async () => {
    const res = await app.inject({ method: 'GET', url: '/favicon.ico', headers: { accept: 'image/avif,image/webp,image/*,*/*;q=0.8' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(res.body).toMatch(/^<svg /);
  });

  it('never answers API, docs, health or metrics paths with the console', async () => {
    for (const url of ['/v2.0/no-such-thing', '/v3/auth/tokens', '/healthz/x', '/metrics', '/docs/nope/deeper']) {
      const res = await app.inject({ method: 'GET', url, headers: { 'x-project-id': 'demo', accept: 'text/html' } });
      expect(res.body, url).not.toBe(INDEX);
      expect(res.statusCode, url).toBe(404);
    }
    const page = await app.inject({ method: 'GET', url: '/security-groups', headers: { accept: 'application/json' } });
    expect(page.statusCode, 'a non-browser client gets no index.html').toBe(404);
    const api = await app.inject({ method: 'GET', url: '/v2.0/no-such-thing', headers: { 'x-project-id': 'demo' } });
    expect(api.statusCode).toBe(404);
    expect(api.json()).toMatchObject({ NeutronError: { type: 'HTTPNotFound' } });
    const groups = await app.inject({ method: 'GET', url: '/v2.0/security-groups', headers: { 'x-project-id': 'demo' } });
    expect(groups.statusCode).toBe(200);
  });

  it("tells the console the caller's address for the My IP shortcut", async () => {
    const res = await app.inject({ method: 'GET', url: '/_console/my-ip', remoteAddress: '198.51.100.7' });
    expect(res.json()).toEqual({ ip: '198.51.100.7' });
  });

  it("tells the console the server's auth mode, without credentials (keystone unless told)", async () => {
    expect((await app.inject({ method: 'GET', url: '/_console/auth-mode' })).json()).toEqual({ mode: 'keystone' });
    for (const mode of ['noauth', 'external'] as const) {
      const other = await appWithConsole(dir, mode);
      try {
        expect((await other.app.inject({ method: 'GET', url: '/_console/auth-mode' })).json()).toEqual({ mode });
      } finally {
        await other.app.close();
        await other.store.close();
      }
    }
  });

  it('serves nothing and warns when there is no build', async () => {
    const missing = await appWithConsole(join(dir, 'not-built'));
    try {
      expect((await missing.app.inject({ method: 'GET', url: '/security-groups' })).statusCode).toBe(404);
      expect(missing.warnings.join('')).toContain('web console not served');
    } finally {
      await missing.app.close();
      await missing.store.close();
    }
  });
});
