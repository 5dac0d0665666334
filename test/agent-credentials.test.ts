// The agent's server client against built-in identity: signs in from OS_* variables, and again when its token dies.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ServerClient, ServerError } from '../src/agent/index.js';
import { IdentityClient } from '../src/cli/identity-client.js';
import { startServer, type RunningServer } from '../src/main.js';

const PASSWORD = 'agent-admin-secret';
let server: RunningServer;
let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-agentcred-'));
  server = await startServer({
    host: '127.0.0.1', port: 0, auth: 'keystone', changeRetention: 0, logLevel: 'silent', bootstrapAdminPassword: PASSWORD,
    database: { kind: 'sqlite', path: join(dir, 'p.db') },
  });
  env = { OS_AUTH_URL: `${server.url}/identity/v3`, OS_USERNAME: 'admin', OS_PASSWORD: PASSWORD, OS_PROJECT_NAME: 'admin' };
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function revoke(token: string): Promise<void> {
  const res = await fetch(`${server.url}/identity/v3/auth/tokens`, { method: 'DELETE', headers: { 'X-Auth-Token': token, 'X-Subject-Token': token } });
  expect(res.status).toBe(204);
}

describe('agent credentials', () => {
  it('signs in from the OS_* variables, and signs in again when the server answers 401 for a revoked token', async () => {
    const tokens: string[] = [];
    const signIn = async () => {
      const t = await new IdentityClient({ authUrl: env['OS_AUTH_URL']! }, env).token();
      tokens.push(t);
      return t;
    };
    const client = new ServerClient(server.url, { signIn });
    const first = await client.hostState('h1');
    expect(tokens).toHaveLength(1);
    await client.hostChanges('h1', first.seq, 0);
    expect(tokens).toHaveLength(1);

    await revoke(tokens[0]!);
    const page = await client.hostChanges('h1', first.seq, 0);
    expect(page).not.toBe('expired');
    expect(tokens).toHaveLength(2);
    expect(tokens[1]).not.toBe(tokens[0]);
  });

  it('without a way to sign in, a revoked token is a 401 the agent reports (and retries with backoff)', async () => {
    const token = await new IdentityClient({ authUrl: env['OS_AUTH_URL']! }, env).token();
    const client = new ServerClient(server.url, { token });
    await client.hostState('h1');
    await revoke(token);
    const err = await client.hostState('h1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServerError);
    expect((err as ServerError).status).toBe(401);
  });

  it('a wrong password fails the sign-in with the server\'s message', async () => {
    const client = new ServerClient(server.url, { signIn: () => new IdentityClient({ authUrl: env['OS_AUTH_URL']! }, { ...env, OS_PASSWORD: 'wrong' }).token() });
    await expect(client.hostState('h1')).rejects.toThrow(/sign-in failed.*401/);
  });
});
