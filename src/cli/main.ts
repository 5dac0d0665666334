#!/usr/bin/env node
// The palisade command line: each command family lives in its own module and is registered here in one line.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import { fetchTrusting } from '../agent/index.js';
import { registerAgentCommands } from './agent-commands.js';
import { registerAnalysisCommands } from './analysis-commands.js';
import { registerAuditCommands } from './audit-commands.js';
import { newProgram, PROCESS_IO, runCli, type CliIo } from './cli-kit.js';
import { registerCompletionCommands } from './completion-commands.js';
import { registerDbCommands } from './db-commands.js';
import { registerFlowCommands } from './flow-commands.js';
import { registerTransferCommands } from './transfer-commands.js';
import { registerGroupCommands } from './group-commands.js';
import { everyCommandHelp } from './help-text.js';
import { registerIdentityCommands } from './identity-commands.js';
import { registerNetworkCommands } from './network-commands.js';
import { registerPortCommands } from './port-commands.js';
import { registerRuleCommands } from './rule-commands.js';

/** The whole command tree, writing to `io`. */
export function buildProgram(io: CliIo = PROCESS_IO): Command {
  const program = newProgram(io).description('Palisade security groups: groups, rules, ports, flows, identity, the host agent and lab')
    .option('--cacert <file>', 'PEM file of the CA that signed the server\'s certificate (default $OS_CACERT; else the system\'s CAs)');
  // Every command's HTTP goes through one fetch that verifies servers against --cacert / OS_CACERT and names TLS
  // failures; setting it here covers each client a command builds, as the openstack client's --os-cacert does.
  program.hook('preAction', () => {
    const caFile = (program.opts() as { cacert?: string }).cacert ?? io.env['OS_CACERT'];
    globalThis.fetch = fetchTrusting(caFile === '' ? undefined : caFile);
  });
  registerGroupCommands(program, io);
  registerRuleCommands(program, io);
  registerPortCommands(program, io);
  registerNetworkCommands(program, io);
  registerFlowCommands(program, io);
  registerAnalysisCommands(program);
  registerAuditCommands(program);
  registerTransferCommands(program, io);
  registerIdentityCommands(program, io);
  registerAgentCommands(program, io);
  registerDbCommands(program);
  registerCompletionCommands(program, io);
  return everyCommandHelp(program);
}

/** Run only as the program itself (also through an `npm link` symlink), not when a test imports the tree. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  return script !== undefined && realpathSync(script) === fileURLToPath(import.meta.url);
}

if (isEntryPoint()) {
  process.exitCode = await runCli(buildProgram(), process.argv.slice(2), PROCESS_IO);
}
