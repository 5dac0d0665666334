// Issue 14 item 10: token catalogs, links and version documents use PALISADE_PUBLIC_URL (default: the listen
// address), never the request's Host header.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startServer, type RunningServer } from '../src/main.js';
import { rawRequest } from './support/raw-http.js';
import type { Json } from './support/api-harness.js';

const PASSWORD = 'public-url-secret';
const EVIL = { Host: 'evil.example:666', 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Proto': 'https' };

async function start(env: Record<string, string>): Promise<RunningServer> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-url-'));
  const config = loadConfig({ PALISADE_LISTEN: '127.0.0.1:9696', ...env });
  return startServer({ ...config, port: 0, logLevel: 'silent', bootstrapAdminPassword: PASSWORD, database: { kind: 'sqlite', path: join(dir, 'p.db') } });
}

/** Every URL-looking string anywhere in a JSON value. */
function urlsIn(value: unknown): string[] {
  if (typeof value === 'string') return /^https?:\/\//.test(value) ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(urlsIn);
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(urlsIn);
  return [];
}

/** Signs in as admin with a hostile Host header; returns the token and every URL the server handed out on the way. */
async function handedOutUrls(server: RunningServer): Promise<string[]> {
  const port = Number(new URL(server.url).port);
  const auth = JSON.stringify({
    auth: {
      identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: PASSWORD } } },
      scope: { project: { name: 'admin', domain: { id: 'default' } } },
    },
  });
  const signIn = await rawRequest(port, 'POST', '/identity/v3/auth/tokens', EVIL, auth);
  expect(signIn.status, signIn.body).toBe(201);
  const token = /^x-subject-token: (\S+)/im.exec(signIn.headers)![1]!;
  const call = async (path: string): Promise<Json> => JSON.parse((await rawRequest(port, 'GET', path, { ...EVIL, 'X-Auth-Token': token })).body);
  for (const name of ['a', 'b', 'c']) {
    const reply = await rawRequest(port, 'POST', '/v2.0/security-groups', { ...EVIL, 'X-Auth-Token': token }, JSON.stringify({ security_group: { name } }));
    expect(reply.status).toBe(201);
  }
  const bodies = [
    JSON.parse(signIn.body), await call('/'), await call('/v2.0'), await call('/identity'), await call('/identity/v3'),
    await call('/identity/v3/auth/catalog'), await call('/identity/v3/users'), await call('/identity/v3/projects'),
    await call('/v2.0/security-groups?limit=1'), await call('/v2.0/security-groups.json?limit=1&page_reverse=true'),
  ];
  const www = (await rawRequest(port, 'GET', '/identity/v3/users', EVIL)).headers;
  return [...bodies.flatMap(urlsIn), /keystone uri="([^"]+)"/i.exec(www)![1]!];
}

describe('public URL', () => {
  let plain: RunningServer;
  let configured: RunningServer;
  beforeAll(async () => {
    plain = await start({});
    configured = await start({ PALISADE_PUBLIC_URL: 'https://cloud.example.com:8443/network/' });
  });
  afterAll(async () => {
    await plain?.close();
    await configured?.close();
  });

  it('by default every catalog, link and version URL is the listen address, whatever Host says', async () => {
    const urls = await handedOutUrls(plain);
    expect(urls.length).toBeGreaterThan(15);
    for (const url of urls) expect(url.startsWith(`${plain.url}/`) || url === plain.url, url).toBe(true);
    expect(urls.join(' ')).not.toContain('evil');
  });

  it('with PALISADE_PUBLIC_URL, every one of them starts with it', async () => {
    const urls = await handedOutUrls(configured);
    const base = 'https://cloud.example.com:8443/network';
    for (const url of urls) expect(url === base || url.startsWith(`${base}/`), url).toBe(true);
    expect(urls).toContain('https://cloud.example.com:8443/network/identity/v3');
    expect(urls.some((u) => u.startsWith('https://cloud.example.com:8443/network/v2.0/security-groups?'))).toBe(true);
  });
});
