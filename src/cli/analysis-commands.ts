// `palisade lint` and `palisade what-if --file changes.json`: the engine's findings and a change's difference, as tables or JSON.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import type { FindingWire, LintWire, WhatIfWire } from '../contract/index.js';
import { IdentityClient, type Environment } from './identity-client.js';
import { whatIfRows } from './import-what-if.js';

export interface AnalysisIo {
  readonly env: Environment;
  readonly print: (line: string) => void;
}

interface Flags {
  server: string;
  token?: string;
  project: string;
  format: string;
}

const DEFAULT_IO: AnalysisIo = { env: process.env, print: (line) => void process.stdout.write(`${line}\n`) };

/** --token or OS_TOKEN; else a password sign-in from the OS_* variables; else noauth headers (a server in `noauth` mode). */
async function headersOf(io: AnalysisIo, o: Flags): Promise<Record<string, string>> {
  const token = o.token ?? io.env['OS_TOKEN'];
  if (token) return { 'x-auth-token': token };
  if (io.env['OS_PASSWORD']) {
    const authUrl = io.env['OS_AUTH_URL'] ?? `${o.server.replace(/\/+$/, '')}/identity/v3`;
    return { 'x-auth-token': await new IdentityClient({ authUrl }, io.env).token() };
  }
  return { 'x-project-id': o.project, 'x-roles': 'member' };
}

async function call<T>(io: AnalysisIo, o: Flags, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  const headers = { ...(await headersOf(io, o)), ...(body !== undefined && { 'content-type': 'application/json' }) };
  const res = await fetch(new URL(path, o.server), { method, headers, ...(body !== undefined && { body: JSON.stringify(body) }) });
  const text = await res.text();
  if (!res.ok) {
    const error = (() => { try { return (JSON.parse(text) as { NeutronError?: { type: string; message: string } }).NeutronError; } catch { return undefined; } })();
    throw new Error(error ? `${res.status} ${error.type}: ${error.message}` : `${res.status} ${text}`);
  }
  return JSON.parse(text) as T;
}

/** Prints rows as an aligned table, or the answer as JSON with `-f json`. */
function table(io: AnalysisIo, columns: readonly string[], rows: readonly (readonly string[])[]): void {
  const cells = [columns, ...rows];
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)));
  for (const row of cells) io.print(row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
}

function fixText(f: FindingWire): string {
  if (f.fix === null) return '';
  return f.fix.map((c) => (c.action === 'delete' ? `delete ${c.resource} ${c.id}` : `create ${c.resource}`)).join('; ');
}

function withServer(command: Command): Command {
  return command
    .option('--server <url>', 'Palisade API', 'http://127.0.0.1:9696')
    .option('--token <token>', 'Keystone token (default $OS_TOKEN; else a sign-in from the OS_* variables)')
    .option('--project <id>', 'project id sent in noauth mode', 'admin')
    .option('-f, --format <format>', 'table or json', 'table');
}

export function registerAnalysisCommands(program: Command, io: AnalysisIo = DEFAULT_IO): void {
  withServer(program.command('lint').description("what is wrong with the project's security groups: findings with a suggested fix"))
    .option('--security-group <id>', 'only this group')
    .option('--port <id>', "only this port's groups")
    .action(async (o: Flags & { securityGroup?: string; port?: string }) => {
      const q = new URLSearchParams({ ...(o.securityGroup && { security_group_id: o.securityGroup }), ...(o.port && { port_id: o.port }) });
      const { lint } = await call<{ lint: LintWire }>(io, o, 'GET', `/v2.0/palisade/lint${q.size > 0 ? `?${q}` : ''}`);
      if (o.format === 'json') return io.print(JSON.stringify(lint, null, 2));
      table(io, ['severity', 'code', 'message', 'fix'], lint.findings.map((f) => [f.severity, f.code, f.message, fixText(f)]));
    });

  withServer(program.command('what-if').description('the difference changes would make (access, exposure, findings); nothing is applied'))
    .requiredOption('--file <file>', 'JSON: {"changes": [...]} or the list itself, each {action, resource, id?, object?}')
    .action(async (o: Flags & { file: string }) => {
      const parsed = JSON.parse(await readFile(o.file, 'utf8')) as unknown;
      const body = Array.isArray(parsed) ? { changes: parsed } : parsed;
      const { what_if: w } = await call<{ what_if: WhatIfWire }>(io, o, 'POST', '/v2.0/palisade/what-if', body);
      if (o.format === 'json') return io.print(JSON.stringify(w, null, 2));
      const rows = whatIfRows(w);
      if (rows.length === 0) return io.print('No difference.');
      table(io, ['change', 'what', 'ethertype', 'detail'], rows);
    });
}
