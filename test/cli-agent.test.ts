// `palisade agent` and `palisade lab up|down` run as processes: which credentials reach the server, and real lab namespaces.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerIdentityCommands } from '../src/cli/identity-commands.js';
import { passwordAuthBody } from '../src/cli/identity-client.js';
import { startServer, type RunningServer } from '../src/main.js';
import { deleteNetns, makeHostNetns, netnsUnavailable, scratchDir, sh, uniq, until } from './agent-support.js';
import { hasCapability } from './support/capability.js';
import { palisade, type Run } from './support/palisade-process.js';

const PASSWORD = 'cli-agent-secret';
const u = uniq();
const scratch = scratchDir('palisade-cliagent-');
let server: RunningServer;
let adminToken: string;
let webToken: string;

const adminEnv = { OS_USERNAME: 'admin', OS_PASSWORD: PASSWORD, OS_PROJECT_NAME: 'admin' };

async function signIn(user: string, password: string, project: string): Promise<string> {
  const res = await fetch(`${server.url}/identity/v3/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify(passwordAuthBody({ OS_USERNAME: user, OS_PASSWORD: password, OS_PROJECT_NAME: project })),
  });
  expect(res.status).toBe(201);
  return res.headers.get('x-subject-token')!;
}

beforeAll(async () => {
  server = await startServer({
    host: '127.0.0.1', port: 0, auth: 'keystone', changeRetention: 0, logLevel: 'silent', bootstrapAdminPassword: PASSWORD,
    database: { kind: 'sqlite', path: join(scratch.dir, 'p.db') },
  });
  const identity = async (...args: string[]) => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => undefined });
    registerIdentityCommands(program, { env: { ...adminEnv, OS_AUTH_URL: `${server.url}/identity/v3` }, print: () => undefined });
    await program.parseAsync(['node', 'palisade', ...args]);
  };
  await identity('project', 'create', 'web');
  await identity('user', 'create', 'carol', '--password', 'carol-pw');
  await identity('role', 'add', 'member', '--user', 'carol', '--project', 'web');
  // The agent's least privilege (docs/agent.md): a user holding only the agent role.
  await identity('project', 'create', 'agents');
  await identity('user', 'create', 'agent-h1', '--password', 'agent-pw');
  await identity('role', 'add', 'agent', '--user', 'agent-h1', '--project', 'agents');
  adminToken = await signIn('admin', PASSWORD, 'admin');
  webToken = await signIn('carol', 'carol-pw', 'web');
});
afterAll(async () => {
  await server?.close();
  scratch.remove();
});

/** The agent against the keystone server; `--netns` names no namespace, so no nft run can touch this machine. */
function agent(env: Record<string, string>, ...extra: string[]): Promise<Run> {
  const args = ['agent', '--host', `h-${u}`, '--server', server.url, '--state-dir', join(scratch.dir, `agent-${Math.random()}`), '--netns', `pnone${u}`, ...extra];
  return palisade(args, env, { pattern: /agent: full resync at seq \d+|ERROR agent: /, count: 1 });
}

const ACCEPTED = /agent: full resync at seq \d+/;
const FORBIDDEN = /agent: GET \/v2\.0\/palisade\/hosts\/\S*: 403 .*PolicyNotAuthorized/;

describe('palisade agent: credentials', () => {
  it('without credentials sends noauth headers, which a keystone server refuses: a 401 it reports and retries, never exiting', async () => {
    const run = await palisade(['agent', '--host', `h-${u}`, '--server', server.url, '--state-dir', join(scratch.dir, 'none'), '--netns', `pnone${u}`], {},
      { pattern: /ERROR agent: GET \/v2\.0\/palisade\/hosts\/\S*: 401 .*retrying in \d+ ms/, count: 2 });
    expect(run.stderr).not.toMatch(ACCEPTED);
  }, 60_000);

  it('refuses to start without --host, with commander\'s message and exit status 2 (bad usage)', async () => {
    const run = await palisade(['agent', '--server', server.url], adminEnv);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("required option '--host <host>' not specified");
  }, 60_000);

  it('signs in from OS_USERNAME/OS_PASSWORD/OS_PROJECT_NAME, at <server>/identity/v3 when OS_AUTH_URL is unset', async () => {
    expect((await agent(adminEnv)).stderr).toMatch(ACCEPTED);
  }, 60_000);

  it('uses --token before an OS_PASSWORD sign-in: a project member\'s token is refused though the admin password is set', async () => {
    expect((await agent(adminEnv, '--token', webToken)).stderr).toMatch(FORBIDDEN);
  }, 60_000);

  it('uses OS_TOKEN before an OS_PASSWORD sign-in', async () => {
    expect((await agent({ ...adminEnv, OS_TOKEN: webToken })).stderr).toMatch(FORBIDDEN);
  }, 60_000);

  it('signs in as a user with only the agent role, whose token reads the host feed and nothing else', async () => {
    const agentEnv = { OS_USERNAME: 'agent-h1', OS_PASSWORD: 'agent-pw', OS_PROJECT_NAME: 'agents' };
    expect((await agent(agentEnv)).stderr).toMatch(ACCEPTED);
    const token = await signIn('agent-h1', 'agent-pw', 'agents');
    const ports = await fetch(`${server.url}/v2.0/ports`, { headers: { 'X-Auth-Token': token } });
    expect([ports.status, (await ports.json() as { NeutronError: { type: string } }).NeutronError.type]).toEqual([403, 'PolicyNotAuthorized']);
  }, 60_000);

  it('uses --token before OS_TOKEN', async () => {
    expect((await agent({ OS_TOKEN: webToken }, '--token', adminToken)).stderr).toMatch(ACCEPTED);
    expect((await agent({ OS_TOKEN: adminToken }, '--token', webToken)).stderr).toMatch(FORBIDDEN);
  }, 120_000);
});

describe('palisade lab: credentials', () => {
  it('lab up without credentials stops with the server\'s 401 and exit status 1, creating nothing', async () => {
    const stateFile = join(scratch.dir, 'lab-none.json');
    const run = await palisade(['lab', 'up', '--host', `h-${u}`, '--server', server.url, '--state-file', stateFile], {});
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^palisade: GET \/v2\.0\/ports\?binding:host_id=h-\w+: 401 /m);
    expect(run.stdout).toBe('');
  }, 60_000);
});

if (hasCapability('network namespaces for lab up/down', netnsUnavailable())) {
  describe('palisade lab up/down', () => {
    const hostNs = `plh${u}`;
    const portNames: [string, string] = [`lab-a-${u}`, `lab-b-${u}`];
    const otherName = `lab-x-${u}`;
    const ports: Array<{ id: string; name: string; ip: string }> = [];
    const netnsList = () => execFileSync('ip', ['netns', 'list']).toString().split('\n').map((l) => l.split(' ')[0] ?? '');

    beforeAll(async () => {
      await makeHostNetns(hostNs);
      const api = async (path: string, body: unknown) => {
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST', headers: { 'content-type': 'application/json', 'x-auth-token': adminToken }, body: JSON.stringify(body),
        });
        expect(res.status).toBe(201);
        return (await res.json()) as Record<string, any>;
      };
      const net = (await api('/v2.0/networks', { network: { name: `net-${u}` } }))['network']['id'];
      await api('/v2.0/subnets', { subnet: { network_id: net, cidr: '10.213.0.0/24', ip_version: 4 } });
      for (const [name, host] of [[portNames[0], `lab-${u}`], [portNames[1], `lab-${u}`], [otherName, `other-${u}`]] as const) {
        const port = (await api('/v2.0/ports', { port: { name, network_id: net, 'binding:host_id': host, device_owner: 'compute:nova' } }))['port'];
        ports.push({ id: port.id, name, ip: port.fixed_ips[0].ip_address });
      }
    });
    afterAll(async () => {
      await deleteNetns(...portNames, otherName, hostNs);
    });

    it('lab up makes a namespace per port bound to the host, plugged into the host namespace; lab down removes them', async () => {
      const stateFile = join(scratch.dir, 'lab.json');
      const up = await palisade(['lab', 'up', '--host', `lab-${u}`, '--server', server.url, '--netns', hostNs, '--state-file', stateFile], adminEnv);
      expect(up.stderr).toBe('');
      expect(up.code).toBe(0);
      expect(up.stdout.split('\n').filter(Boolean).sort()).toEqual([...portNames].sort());
      expect(netnsList()).toEqual(expect.arrayContaining(portNames));
      expect(netnsList()).not.toContain(otherName);
      for (const p of ports.slice(0, 2)) {
        expect(await sh(p.name, 'ip', '-4', 'addr', 'show', 'dev', 'eth0')).toContain(`${p.ip}/32`);
        expect(await sh(hostNs, 'ip', '-4', 'route', 'show', `${p.ip}/32`)).toContain(`dev tap${p.id.slice(0, 11)}`);
      }

      const down = await palisade(['lab', 'down', '--host', `lab-${u}`, '--state-file', stateFile], {});
      expect(down.code).toBe(0);
      expect(down.stdout).toBe('removed 2 namespace(s)\n');
      expect(netnsList().filter((n) => portNames.includes(n))).toEqual([]);
      // The kernel tears a deleted namespace down in the background; its veths' host ends go with it, shortly after.
      expect(await until(async () => !(await sh(hostNs, 'ip', '-o', 'link', 'show')).includes(' tap'), 10_000)).toBe(true);
    }, 120_000);
  });
}
