// `palisade user|project|role` against a real server with built-in identity, signed in from OS_* variables.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIdentityCommands } from '../src/cli/identity-commands.js';
import { passwordAuthBody } from '../src/cli/identity-client.js';
import type { RunningServer } from '../src/main.js';
import { startKeystoneServer, type KeystoneServer } from './support/server-harness.js';

const PASSWORD = 'cli-admin-secret';
let server: RunningServer;
let env: Record<string, string>;
let running: KeystoneServer;

beforeAll(async () => {
  running = await startKeystoneServer(PASSWORD);
  ({ server, env } = running);
});
afterAll(() => running?.close());

/** Runs `palisade <args>` in process; answers the printed lines. */
async function cli(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<string[]> {
  const lines: string[] = [];
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerIdentityCommands(program, { env: { ...env, ...extraEnv }, print: (l) => void lines.push(l) });
  await program.parseAsync(['node', 'palisade', ...args]);
  return lines;
}

async function signIn(user: string, password: string, project: string): Promise<Response> {
  return fetch(`${server.url}/identity/v3/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify(passwordAuthBody({ OS_USERNAME: user, OS_PASSWORD: password, OS_PROJECT_NAME: project })),
  });
}

describe('palisade identity commands', () => {
  it('creates a project and a user, grants a role, and the user signs in to that project', async () => {
    expect((await cli(['project', 'create', 'web', '--description', 'front end']))[1]).toMatch(/^[0-9a-f]{32}\s+web\s+front end$/);
    const created = await cli(['user', 'create', 'carol', '--password', 'carol-pw', '-f', 'json']);
    expect(JSON.parse(created.join('\n'))).toEqual([expect.objectContaining({ name: 'carol' })]);
    expect(await cli(['role', 'add', 'member', '--user', 'carol', '--project', 'web'])).toEqual(['granted member: user carol on project web']);
    expect((await signIn('carol', 'carol-pw', 'web')).status).toBe(201);
    expect(await cli(['role', 'list', '--user', 'carol'])).toEqual(['role    user   project', 'member  carol  web']);
  });

  it('lists users and projects; a user created without --password gets a random one, printed once', async () => {
    const lines = await cli(['user', 'create', 'dave']);
    const password = lines.find((l) => l.startsWith('password: '))!.slice('password: '.length);
    expect(password.length).toBeGreaterThanOrEqual(20);
    const project = JSON.parse((await cli(['project', 'create', 'ops', '-f', 'json'])).join(''))[0];
    await cli(['role', 'add', 'reader', '--user', 'dave', '--project', project.id]);
    expect((await signIn('dave', password, 'ops')).status).toBe(201);
    expect((await cli(['user', 'list'])).map((l) => l.split(/\s+/)[1])).toEqual(expect.arrayContaining(['name', 'admin', 'carol', 'dave']));
    expect((await cli(['project', 'list', '-f', 'json'])).join('')).toContain('"ops"');
  });

  it('revokes a role and deletes users and projects by name; their sign-in stops working', async () => {
    await cli(['user', 'create', 'erin', '--password', 'erin-pw']);
    await cli(['project', 'create', 'tmp']);
    await cli(['role', 'add', 'member', '--user', 'erin', '--project', 'tmp']);
    expect(await cli(['role', 'remove', 'member', '--user', 'erin', '--project', 'tmp'])).toEqual(['revoked member: user erin on project tmp']);
    expect((await signIn('erin', 'erin-pw', 'tmp')).status).toBe(401);
    expect((await cli(['user', 'delete', 'erin']))[0]).toMatch(/^deleted user erin/);
    expect((await cli(['project', 'delete', 'tmp']))[0]).toMatch(/^deleted project tmp/);
    await expect(cli(['user', 'delete', 'erin'])).rejects.toThrow("no user named or with id 'erin'");
  });

  it('uses OS_TOKEN instead of signing in, and reports the server\'s refusal for a non-admin or a bad password', async () => {
    const token = (await signIn('admin', PASSWORD, 'admin')).headers.get('x-subject-token')!;
    expect((await cli(['project', 'list'], { OS_PASSWORD: undefined, OS_TOKEN: token })).join('\n')).toContain('admin');
    await expect(cli(['user', 'list'], { OS_USERNAME: 'carol', OS_PASSWORD: 'carol-pw', OS_PROJECT_NAME: 'web' })).rejects.toThrow('(HTTP 403)');
    await expect(cli(['user', 'list'], { OS_PASSWORD: 'wrong' })).rejects.toThrow(/sign-in failed: .*\(HTTP 401\)/);
    await expect(cli(['user', 'list'], { OS_PASSWORD: undefined })).rejects.toThrow('no credentials');
  });

  it('is registered on the palisade command (src/cli/main.ts), reading OS_* from the environment', async () => {
    const run = promisify(execFile);
    const { stdout } = await run(join('node_modules', '.bin', 'tsx'), ['src/cli/main.ts', 'project', 'list'], { env: { ...process.env, ...env }, timeout: 60_000 });
    expect(stdout).toMatch(/^id\s+name\s+description\n[0-9a-f]{32}\s+admin/);
  });
});
