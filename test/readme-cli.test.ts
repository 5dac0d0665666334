// The README's "seed's example with the CLI" block, run as written (bash, the palisade command) against a real server.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startKeystoneServer, type KeystoneServer } from './support/server-harness.js';

const ROOT = resolve(import.meta.dirname, '..');
const MARKER = '<!-- readme-cli-example:';
let running: KeystoneServer;
let dir: string;

beforeAll(async () => {
  running = await startKeystoneServer('readme-secret');
  dir = mkdtempSync(join(tmpdir(), 'palisade-readme-'));
});
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The sh block right after the marker comment. */
function exampleBlock(readme: string): string {
  const at = readme.indexOf(MARKER);
  expect(at, 'README has the CLI example marker').toBeGreaterThan(0);
  const m = /```sh\n([\s\S]*?)\n```/.exec(readme.slice(at));
  return m![1]!;
}

it("runs the README's CLI example: every command succeeds and answers as its comment says", async () => {
  // The README names the default address; the test's server listens on a port of its own.
  const script = exampleBlock(readFileSync(join(ROOT, 'README.md'), 'utf8')).replaceAll('http://127.0.0.1:9696', running.server.url);
  const prelude = `set -euo pipefail\npalisade() { "${ROOT}/node_modules/.bin/tsx" "${ROOT}/src/cli/main.ts" "$@"; }\n`;
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_') && k !== 'PALISADE_URL'));
  const { stdout } = await promisify(execFile)('bash', ['-c', prelude + script], {
    cwd: dir, env: { ...env, ADMIN_PASSWORD: 'readme-secret', NODE_OPTIONS: '' }, timeout: 170_000, maxBuffer: 1 << 24,
  });
  expect(stdout).toMatch(/ingress\s+IPv4\s+tcp\s+8080\s+any/);
  expect(stdout).toMatch(/^DENY: /m);
  expect(stdout).toMatch(/^ALLOW: client \(10\.0\.0\.\d+\) → vm1/m);
  expect(stdout).toMatch(/^name\s+WEB-staging$/m);
  expect(stdout).toMatch(/^group WEB: unchanged \(0 to create, 0 to delete, 4 unchanged\)$/m);
  expect(stdout).toMatch(/^group CONN: unchanged \(0 to create, 0 to delete, 4 unchanged\)$/m);
  expect(stdout).toMatch(/^dry run: nothing changed/m);
}, 180_000);
