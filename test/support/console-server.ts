// A Palisade server for the browser test, in keystone mode: PALISADE_TEST_URL (its admin password in
// PALISADE_TEST_ADMIN_PASSWORD), or the built server spawned on a free port with a known bootstrap password.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The bootstrap admin's password on the servers started here. */
const ADMIN_PASSWORD = 'e2e-admin-secret';

export interface ConsoleServer {
  readonly url: string;
  /** The identity admin (user `admin`, project `admin`, domain Default). */
  readonly adminPassword: string;
  /** How it was started, for the test log. */
  readonly how: string;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

async function servesConsole(url: string): Promise<boolean> {
  try {
    const res = await fetch(`${url}/security-groups`, { headers: { accept: 'text/html' } });
    return res.ok && (await res.text()).includes('<div id="root">');
  } catch {
    return false;
  }
}

async function waitUntilUp(url: string, child: ChildProcess, log: () => string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}:\n${log()}`);
    try {
      if ((await fetch(`${url}/`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not start in 10 s:\n${log()}`);
}

/** The server bootstraps its identity admin just after it starts listening: waits until admin can sign in. */
async function waitForAdmin(url: string, password: string, log: () => string): Promise<void> {
  const domain = { name: 'Default' };
  const body = JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain, password } } }, scope: { project: { name: 'admin', domain } } } });
  let last = '';
  for (let i = 0; i < 50; i++) {
    const res = await fetch(`${url}/identity/v3/auth/tokens?nocatalog`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    if (res.status === 201) return;
    last = `${res.status} ${await res.text()}`;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the identity admin cannot sign in (${last}):\n${log()}`);
}

/** `npm run build`, then `node dist/main.js` on a scratch SQLite file. */
async function spawnBuilt(): Promise<ConsoleServer & { child: ChildProcess }> {
  // keystone is the default mode; said here so a PALISADE_AUTH in the environment cannot change it.
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'palisade-e2e-'));
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, PALISADE_LISTEN: `127.0.0.1:${port}`, PALISADE_DATABASE_URL: `sqlite:${join(dir, 'p.db')}`, PALISADE_LOG_LEVEL: 'warn',
      PALISADE_AUTH: 'keystone', PALISADE_BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, child, () => output);
  if (await servesConsole(url)) await waitForAdmin(url, ADMIN_PASSWORD, () => output);
  return {
    url, child, adminPassword: ADMIN_PASSWORD, how: 'built server (node dist/main.js, PALISADE_AUTH=keystone)',
    async close() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function startConsoleServer(): Promise<ConsoleServer> {
  const given = process.env['PALISADE_TEST_URL'];
  if (given) {
    const adminPassword = process.env['PALISADE_TEST_ADMIN_PASSWORD'];
    if (!adminPassword) throw new Error('PALISADE_TEST_URL needs PALISADE_TEST_ADMIN_PASSWORD (the identity admin of a keystone-mode server)');
    return { url: given.replace(/\/$/, ''), adminPassword, how: `PALISADE_TEST_URL=${given}`, close: async () => {} };
  }
  const built = await spawnBuilt();
  if (await servesConsole(built.url)) return built;
  // No stand-in: a built server that does not serve the console is the failure this test exists to catch.
  await built.close();
  throw new Error(`the built server (node dist/main.js) does not serve the console at ${built.url}/security-groups`);
}
