// PALISADE_AUTH=external: tokens are validated by another Keystone (here: a second Palisade's built-in identity).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, externalKeystoneAuthenticator } from '../src/api/index.js';
import { startServer, type RunningServer } from '../src/main.js';
import { createServices } from '../src/service/index.js';
import { createSqliteStore } from '../src/store/index.js';
import { passwordAuth } from './support/identity-harness.js';

const PASSWORD = 'keystone-admin-secret';
let keystone: RunningServer;
let palisade: RunningServer;
let dir: string;

async function signIn(project: string | null): Promise<string> {
  const res = await fetch(`${keystone.url}/identity/v3/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(passwordAuth('admin', PASSWORD, project)),
  });
  expect(res.status).toBe(201);
  return res.headers.get('x-subject-token')!;
}

const groups = (token?: string) => fetch(`${palisade.url}/v2.0/security-groups`, { headers: token ? { 'x-auth-token': token } : {} });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-ext-'));
  const common = { host: '127.0.0.1', port: 0, changeRetention: 0, logLevel: 'silent' } as const;
  keystone = await startServer({ ...common, auth: 'keystone', bootstrapAdminPassword: PASSWORD, database: { kind: 'sqlite', path: join(dir, 'k.db') } });
  palisade = await startServer({ ...common, auth: 'external', keystoneUrl: `${keystone.url}/identity`, database: { kind: 'sqlite', path: join(dir, 'p.db') } });
});
afterAll(async () => {
  await palisade?.close();
  await keystone?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('external Keystone', () => {
  it("accepts the other Keystone's project token, acting for its project and roles", async () => {
    const token = await signIn('admin');
    const res = await groups(token);
    expect(res.status).toBe(200);
    const validated = (await (await fetch(`${keystone.url}/identity/v3/auth/tokens`, { headers: { 'x-auth-token': token, 'x-subject-token': token } })).json()) as { token: { project: { id: string } } };
    const body = (await res.json()) as { security_groups: { project_id: string }[] };
    expect(body.security_groups.map((g) => g.project_id)).toEqual([validated.token.project.id]);
  });

  it('refuses no token and unknown tokens (401), and unscoped tokens (403)', async () => {
    expect((await groups()).status).toBe(401);
    expect((await groups('not-a-token-not-a-token-not-a-token')).status).toBe(401);
    expect((await groups(await signIn(null))).status).toBe(403);
    expect((await fetch(`${palisade.url}/identity/v3`)).status).toBe(404);
  });
});

describe('the validation cache', () => {
  it('asks Keystone once per token per 30 s, never past the expiry, and forgets refusals after the same time', async () => {
    let clock = Date.parse('2030-01-01T00:00:00Z');
    const asked: string[] = [];
    const answers = new Map<string, Response | (() => Response)>();
    const valid = (expires: string) => () => new Response(JSON.stringify({ token: { project: { id: 'p1' }, roles: [{ name: 'member' }], expires_at: expires } }), { status: 200 });
    answers.set('good', valid('2030-01-01T01:00:00Z'));
    answers.set('short', valid('2030-01-01T00:00:10Z'));
    const fakeFetch = (async (_url: string, init: RequestInit) => {
      const token = (init.headers as Record<string, string>)['X-Subject-Token']!;
      asked.push(token);
      const answer = answers.get(token);
      return typeof answer === 'function' ? answer() : new Response('{}', { status: 404 });
    }) as typeof fetch;
    const store = await createSqliteStore(':memory:');
    const app = await buildApp({ services: createServices({ store }), authenticate: externalKeystoneAuthenticator({ url: 'http://keystone/v3', fetch: fakeFetch, now: () => clock }) });
    const status = async (token: string) => (await app.inject({ method: 'GET', url: '/v2.0/security-groups', headers: { 'x-auth-token': token } })).statusCode;
    expect([await status('good'), await status('good'), await status('short'), await status('bad'), await status('bad')]).toEqual([200, 200, 200, 401, 401]);
    expect(asked).toEqual(['good', 'short', 'bad']);
    clock += 11_000;
    answers.delete('short');
    expect([await status('good'), await status('short')]).toEqual([200, 401]);
    clock += 20_000;
    answers.delete('good');
    answers.set('bad', valid('2030-01-01T01:00:00Z'));
    expect([await status('good'), await status('bad')]).toEqual([401, 200]);
    expect(asked).toEqual(['good', 'short', 'bad', 'short', 'good', 'bad']);
    await app.close();
    await store.close();
  });
});
