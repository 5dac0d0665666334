// `palisade agent` enforces a host's security groups with nftables; `palisade lab up|down` builds a namespace per port.
import type { Command } from 'commander';
import { join } from 'node:path';
import {
  AgentStateStore, HostAgent, NftTable, ServerClient, createAgentMetrics, labDown, labUp, listenForAgentMetrics, nftRunner, parseListenAddress,
} from '../agent/index.js';
import { DEFAULT_SERVER_URL, PROCESS_IO, resolveServerUrl, type CliIo } from './cli-kit.js';
import { IdentityClient } from './identity-client.js';

interface ServerFlags {
  server?: string;
  token?: string;
  project: string;
}

const SERVER_HELP = `Palisade API (default $PALISADE_URL, else the network endpoint of the OS_* catalog, else ${DEFAULT_SERVER_URL})`;

function logOf(io: CliIo) {
  return {
    info: (m: string) => io.warn?.(`${new Date().toISOString()} ${m}`),
    error: (m: string) => io.warn?.(`${new Date().toISOString()} ERROR ${m}`),
  };
}

/**
 * --token or OS_TOKEN as given; else, with OS_PASSWORD set, a password sign-in from the OS_* variables,
 * repeated whenever the token runs out; else noauth headers (a server in `noauth` mode).
 */
async function clientOf(io: CliIo, o: ServerFlags, roles?: string): Promise<ServerClient> {
  const env = io.env;
  const token = o.token ?? env['OS_TOKEN'];
  const server = await resolveServerUrl(env, { ...(o.server && { url: o.server }), ...(token && { osToken: token }) });
  const authUrl = env['OS_AUTH_URL'] ?? `${server}/identity/v3`;
  const signIn = token === undefined && env['OS_PASSWORD'] ? () => new IdentityClient({ authUrl }, env).token() : undefined;
  return new ServerClient(server, { token, project: o.project, signIn, roles });
}

export function registerAgentCommands(program: Command, io: CliIo = PROCESS_IO): void {
  const log = logOf(io);
  program
    .command('agent')
    .description("follow the host's feed and enforce the security groups of the ports bound to it with nftables")
    .requiredOption('--host <host>', 'binding:host_id of this host')
    .option('--server <url>', SERVER_HELP)
    .option('--token <token>', 'Keystone token (default $OS_TOKEN), best of a user with the agent role; without one, signs in from OS_USERNAME/OS_PASSWORD/OS_PROJECT_NAME (again when it expires), else noauth agent headers')
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
        client: await clientOf(io, o, 'agent'),
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
    .description('a namespace per port bound to the host, with its addresses')
    .requiredOption('--host <host>', 'binding:host_id whose ports get a namespace')
    .option('--server <url>', SERVER_HELP)
    .option('--token <token>', 'Keystone token (default $OS_TOKEN; else a sign-in from OS_* variables)')
    .option('--project <id>', 'project id sent in noauth mode', 'admin')
    .option('--state-file <file>', 'record of what was created (default ./data/lab-<host>.json)')
    .option('--netns <name>', 'the namespace playing the host (default: the host namespace)')
    .action(async (o: ServerFlags & { host: string; stateFile?: string; netns?: string }) => {
      const ports = await (await clientOf(io, o)).portsOfHost(o.host);
      const record = await labUp(ports, o.stateFile ?? join('data', `lab-${o.host}.json`), { hostNetns: o.netns });
      for (const ns of record.namespaces) io.print(ns);
    });

  lab
    .command('down')
    .description('remove what lab up made')
    .requiredOption('--host <host>', 'the host given to lab up')
    .option('--state-file <file>', 'record written by lab up (default ./data/lab-<host>.json)')
    .action(async (o: { host: string; stateFile?: string }) => {
      const record = await labDown(o.stateFile ?? join('data', `lab-${o.host}.json`));
      io.print(record ? `removed ${record.namespaces.length} namespace(s)` : 'nothing recorded');
    });
}
