#!/usr/bin/env node
// The palisade command line: `agent` enforces a host's security groups, `lab up|down` builds a namespace per port, `db` backs up.
import { Command } from 'commander';
import { join } from 'node:path';
import {
  AgentStateStore, HostAgent, NftTable, ServerClient, createAgentMetrics, labDown, labUp, listenForAgentMetrics, nftRunner, parseListenAddress,
} from '../agent/index.js';
import { registerAuditCommands } from './audit-commands.js';
import { registerDbCommands } from './db-commands.js';
import { IdentityClient } from './identity-client.js';
import { registerIdentityCommands } from './identity-commands.js';

const log = {
  info: (m: string) => process.stderr.write(`${new Date().toISOString()} ${m}\n`),
  error: (m: string) => process.stderr.write(`${new Date().toISOString()} ERROR ${m}\n`),
};

interface ServerFlags {
  server: string;
  token?: string;
  project: string;
}

/**
 * --token or OS_TOKEN as given; else, with OS_PASSWORD set, a password sign-in from the OS_* variables,
 * repeated whenever the token runs out; else noauth headers (a server in `noauth` mode).
 */
function clientOf(o: ServerFlags): ServerClient {
  const env = process.env;
  const token = o.token ?? env['OS_TOKEN'];
  const authUrl = env['OS_AUTH_URL'] ?? `${o.server.replace(/\/+$/, '')}/identity/v3`;
  const signIn = token === undefined && env['OS_PASSWORD'] ? () => new IdentityClient({ authUrl }, env).token() : undefined;
  return new ServerClient(o.server, { token, project: o.project, signIn });
}

const program = new Command().name('palisade').description('Palisade security groups: host agent and lab');

program
  .command('agent')
  .description('follow the change log and enforce the security groups of the ports bound to a host with nftables')
  .requiredOption('--host <host>', 'binding:host_id of this host')
  .option('--server <url>', 'Palisade API', 'http://127.0.0.1:9696')
  .option('--token <token>', 'Keystone token (default $OS_TOKEN); without one, signs in from OS_USERNAME/OS_PASSWORD/OS_PROJECT_NAME (again when it expires), else noauth admin headers')
  .option('--project <id>', 'project id sent in noauth mode', 'admin')
  .option('--state-dir <dir>', 'where the agent keeps its sequence and model (default ./data/agent-<host>)')
  .option('--netns <name>', 'program the table inside this network namespace instead of the host one')
  .option('--iface-prefix <prefix>', 'host-side interface prefix of ports', 'tap')
  .option('--metrics-listen <address>', 'serve /metrics and /healthz on host:port (a bare port binds to 127.0.0.1)')
  .action(async (o: ServerFlags & { host: string; stateDir?: string; netns?: string; ifacePrefix: string; metricsListen?: string }) => {
    const metrics = createAgentMetrics();
    const at = o.metricsListen === undefined ? null : parseListenAddress(o.metricsListen);
    const listener = at ? await listenForAgentMetrics(metrics, at.host, at.port) : null;
    if (listener) log.info(`metrics and health on ${listener.url}/metrics and /healthz`);
    const agent = new HostAgent({
      metrics,
      host: o.host,
      client: clientOf(o),
      table: new NftTable(nftRunner(o.netns)),
      store: new AgentStateStore(o.stateDir ?? join('data', `agent-${o.host}`)),
      netns: o.netns,
      ifacePrefix: o.ifacePrefix,
      log,
      onCommit: (seq) => log.info(`committed through seq ${seq}`),
    });
    for (const sig of ['SIGINT', 'SIGTERM'] as const) process.on(sig, () => agent.stop());
    await agent.run();
    await listener?.close();
  });

const lab = program.command('lab').description('a network namespace per port bound to a host, to try policies with real traffic');

lab
  .command('up')
  .requiredOption('--host <host>', 'binding:host_id whose ports get a namespace')
  .option('--server <url>', 'Palisade API', 'http://127.0.0.1:9696')
  .option('--token <token>', 'Keystone token (default $OS_TOKEN; else a sign-in from OS_* variables)')
  .option('--project <id>', 'project id sent in noauth mode', 'admin')
  .option('--state-file <file>', 'record of what was created (default ./data/lab-<host>.json)')
  .option('--netns <name>', 'the namespace playing the host (default: the host namespace)')
  .action(async (o: ServerFlags & { host: string; stateFile?: string; netns?: string }) => {
    const ports = await clientOf(o).portsOfHost(o.host);
    const record = await labUp(ports, o.stateFile ?? join('data', `lab-${o.host}.json`), { hostNetns: o.netns });
    for (const ns of record.namespaces) process.stdout.write(`${ns}\n`);
  });

lab
  .command('down')
  .requiredOption('--host <host>', 'the host given to lab up')
  .option('--state-file <file>', 'record written by lab up (default ./data/lab-<host>.json)')
  .action(async (o: { host: string; stateFile?: string }) => {
    const record = await labDown(o.stateFile ?? join('data', `lab-${o.host}.json`));
    process.stdout.write(record ? `removed ${record.namespaces.length} namespace(s)\n` : 'nothing recorded\n');
  });

registerIdentityCommands(program);
registerDbCommands(program);
registerAuditCommands(program);

program.parseAsync().catch((e: unknown) => {
  log.error((e as Error).message);
  process.exit(1);
});
