// `palisade history` and `palisade audit` against a real server (issue 17 item 1, docs/history.md).
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerAuditCommands, serverOf } from '../src/cli/audit-commands.js';
import type { RunningServer } from '../src/main.js';
import { scratchSqlite, startReplica } from './support/server-harness.js';

let server: RunningServer;
let groupId: string;
beforeAll(async () => {
  server = await startReplica(scratchSqlite());
  const headers = { 'content-type': 'application/json', 'x-project-id': 'cli-p', 'x-user-name': 'dana' };
  const g = await fetch(`${server.url}/v2.0/security-groups`, { method: 'POST', headers, body: JSON.stringify({ security_group: { name: 'cli-web' } }) });
  groupId = ((await g.json()) as { security_group: { id: string } }).security_group.id;
  await fetch(`${server.url}/v2.0/security-group-rules`, {
    method: 'POST', headers,
    body: JSON.stringify({ security_group_rule: { security_group_id: groupId, direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 } }),
  });
});
afterAll(() => server.close());

async function run(...args: string[]): Promise<string[]> {
  const lines: string[] = [];
  const program = new Command().exitOverride();
  registerAuditCommands(program, { env: {}, print: (line) => lines.push(line) });
  await program.parseAsync(['node', 'palisade', ...args, '--server', server.url, '--project', 'cli-p']);
  return lines;
}

describe('palisade history and audit', () => {
  it('history takes a group name and prints its records newest first, with who made them', async () => {
    const lines = await run('history', 'cli-web');
    expect(lines[0]).toMatch(/^seq\s+at\s+user\s+action\s+resource\s+id\s+project$/);
    expect(lines[1]).toMatch(/\bdana\s+update\s+security_group\b/);
    expect(lines.at(-1)).toMatch(new RegExp(`\\bcreate\\s+security_group\\s+${groupId}`));
    const json = JSON.parse((await run('history', groupId, '-f', 'json')).join('\n')) as { resource: string }[];
    expect(json).toHaveLength(lines.length - 1);
  });

  it('audit passes its filters and shows where the next page starts', async () => {
    const lines = await run('audit', '--user', 'dana', '--resource', 'security_group_rule', '--action', 'create', '--limit', '1');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/\bdana\s+create\s+security_group_rule\b/);
    expect(lines[2]).toMatch(/^\(more: --marker \d+\)$/);
  });

  it('fails with the API error message on a bad filter', async () => {
    await expect(run('audit', '--since', 'yesterday')).rejects.toThrow(/since/);
  });

  it('finds the server from PALISADE_URL or OS_AUTH_URL', () => {
    expect(serverOf({}, { PALISADE_URL: 'http://api:9696/' })).toBe('http://api:9696');
    expect(serverOf({}, { OS_AUTH_URL: 'https://cloud.example/identity/v3' })).toBe('https://cloud.example');
    expect(serverOf({ server: 'http://x:1' }, { PALISADE_URL: 'http://api:9696' })).toBe('http://x:1');
  });
});
