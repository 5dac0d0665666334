// A Palisade server for the browser test: PALISADE_TEST_URL, or the built server spawned on a free port.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { registerConsole } from '../../src/api/console-static.js';
import { buildApp, noauthAuthenticator } from '../../src/api/index.js';
import { createServices } from '../../src/service/index.js';
import { createSqliteStore } from '../../src/store/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface ConsoleServer {
  readonly url: string;
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

/** `npm run build`, then `node dist/main.js` on a scratch SQLite file. */
async function spawnBuilt(): Promise<ConsoleServer & { child: ChildProcess }> {
  const build = spawnSync('npm', ['run', 'build'], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}\n${build.stderr}`);
  const dir = mkdtempSync(join(tmpdir(), 'palisade-e2e-'));
  const port = await freePort();
  let output = '';
  const child = spawn(process.execPath, ['dist/main.js'], {
    cwd: ROOT,
    env: { ...process.env, PALISADE_LISTEN: `127.0.0.1:${port}`, PALISADE_DATABASE_URL: `sqlite:${join(dir, 'p.db')}`, PALISADE_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const url = `http://127.0.0.1:${port}`;
  await waitUntilUp(url, child, () => output);
  return {
    url, child, how: 'built server (node dist/main.js)',
    async close() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The same app in this process with the console registered, for a main.ts that does not serve it yet. */
async function inProcess(): Promise<ConsoleServer> {
  const store = await createSqliteStore(':memory:');
  const app = await buildApp({
    services: createServices({ store }), authenticate: noauthAuthenticator,
    plugins: [(a) => registerConsole(a, join(ROOT, 'dist', 'console'))],
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, how: 'in-process app with registerConsole (dist/main.js does not serve the console)', async close() { await app.close(); await store.close(); } };
}

export async function startConsoleServer(): Promise<ConsoleServer> {
  const given = process.env['PALISADE_TEST_URL'];
  if (given) return { url: given.replace(/\/$/, ''), how: `PALISADE_TEST_URL=${given}`, close: async () => {} };
  const built = await spawnBuilt();
  if (await servesConsole(built.url)) return built;
  await built.close();
  return inProcess();
}
