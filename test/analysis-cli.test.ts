// `palisade lint` and `palisade what-if` against a real server (SQLite file, noauth), as tables and as JSON.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAnalysisCommands } from '../src/cli/analysis-commands.js';
import { startServer, type RunningServer } from '../src/main.js';

let server: RunningServer;
let dir: string;
let group: string;
let rule: string;

async function api(method: string, path: string, body?: unknown): Promise<Record<string, any>> {
  const res = await fetch(`${server.url}${path}`, {
    method, headers: { 'x-project-id': 'demo', 'x-roles': 'member', ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  return (await res.json()) as Record<string, any>;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'palisade-lintcli-'));
  server = await startServer({ host: '127.0.0.1', port: 0, auth: 'noauth', changeRetention: 0, logLevel: 'silent', database: { kind: 'sqlite', path: join(dir, 'p.db') } });
  group = (await api('POST', '/v2.0/security-groups', { security_group: { name: 'admin' } }))['security_group']['id'];
  rule = (await api('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: group, direction: 'ingress', protocol: 'tcp', port_range_min: 3389, port_range_max: 3389 } }))['security_group_rule']['id'];
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function cli(args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
  registerAnalysisCommands(program, { env: {}, print: (l) => void lines.push(l) });
  await program.parseAsync(['node', 'palisade', ...args, '--server', server.url, '--project', 'demo']);
  return lines;
}

describe('palisade lint and what-if', () => {
  it('prints findings as a table and as JSON', async () => {
    const lines = await cli(['lint']);
    expect(lines[0]).toMatch(/^severity\s+code\s+message\s+fix$/);
    expect(lines.some((l) => l.includes('open-admin-port') && l.includes('tcp/3389 (rdp)'))).toBe(true);
    expect(lines.some((l) => l.includes('unused-group') && l.includes(`delete security_group ${group}`))).toBe(true);
    const json = JSON.parse((await cli(['lint', '--security-group', group, '-f', 'json'])).join('\n'));
    expect(json['findings'].map((f: { code: string }) => f.code)).toContain('open-admin-port');
  });

  it('prints what a change would do, and refuses a bad one with the server’s error', async () => {
    const file = join(dir, 'changes.json');
    writeFileSync(file, JSON.stringify({ changes: [{ action: 'delete', resource: 'security_group_rule', id: rule }] }));
    const lines = await cli(['what-if', '--file', file]);
    expect(lines.some((l) => l.startsWith('cleared') && l.includes('open-admin-port'))).toBe(true);
    const json = JSON.parse((await cli(['what-if', '--file', file, '-f', 'json'])).join('\n'));
    expect(json['findings_cleared'].length).toBeGreaterThan(0);
    writeFileSync(file, JSON.stringify([{ action: 'delete', resource: 'security_group_rule', id: 'missing' }]));
    await expect(cli(['what-if', '--file', file])).rejects.toThrow(/404 SecurityGroupRuleNotFound/);
  });
});
