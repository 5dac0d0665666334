// The stock `openstack` CLI (python3-openstackclient) against a real Palisade with built-in identity.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../src/main.js';
import { hasCapability } from './support/capability.js';

const run = promisify(execFile);

async function which(command: string): Promise<string | null> {
  try {
    await run('sh', ['-c', `command -v ${command}`]);
    return null;
  } catch {
    return `'${command}' not installed (apt-get install python3-openstackclient)`;
  }
}

const missing = await which('openstack');
const PASSWORD = 'cli-secret';

if (hasCapability('openstack CLI', missing)) {
  describe('openstack CLI', { timeout: 120_000 }, () => {
    let server: RunningServer;
    let dir: string;
    let env: NodeJS.ProcessEnv;

    /** Runs `openstack …` and returns stdout; throws with stderr on a non-zero exit. */
    async function os(...args: string[]): Promise<string> {
      try {
        return (await run('openstack', args, { env, timeout: 60_000 })).stdout.trim();
      } catch (e) {
        const err = e as { stderr?: string; message: string };
        throw new Error(`openstack ${args.join(' ')}: ${err.stderr ?? err.message}`, { cause: e });
      }
    }
    const json = async (...args: string[]) => JSON.parse(await os(...args, '-f', 'json'));

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'palisade-osc-'));
      server = await startServer({
        host: '127.0.0.1', port: 0, auth: 'keystone', changeRetention: 0, logLevel: 'silent', bootstrapAdminPassword: PASSWORD,
        database: { kind: 'sqlite', path: join(dir, 'p.db') },
      });
      env = {
        PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: dir,
        OS_AUTH_URL: `${server.url}/identity/v3`, OS_USERNAME: 'admin', OS_PASSWORD: PASSWORD, OS_PROJECT_NAME: 'admin',
        OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default', OS_IDENTITY_API_VERSION: '3', OS_INTERFACE: 'public',
      };
    });
    afterAll(async () => {
      await server?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('token issue and the identity commands (user, project, role)', async () => {
      const token = await json('token', 'issue');
      expect(token['project_id']).toMatch(/^[0-9a-f]{32}$/);
      await os('user', 'create', 'bob', '--password', 'bob-pw');
      await os('project', 'create', 'proj2');
      await os('role', 'add', '--project', 'proj2', '--user', 'bob', 'member');
      const assignments = await json('role', 'assignment', 'list', '--user', 'bob');
      expect(assignments.map((a: { Role: string }) => a.Role)).toEqual(['member']);
      const bobToken = await run('openstack', ['token', 'issue', '-f', 'value', '-c', 'project_id'], {
        env: { ...env, OS_USERNAME: 'bob', OS_PASSWORD: 'bob-pw', OS_PROJECT_NAME: 'proj2' },
      });
      expect(bobToken.stdout.trim()).toMatch(/^[0-9a-f]{32}$/);
      await os('token', 'revoke', token['id']);
    });

    it('security group create/list/show/set/delete with --stateless and --tag', async () => {
      const group = await json('security', 'group', 'create', 'web', '--stateless', '--tag', 'tier-web');
      expect(group).toMatchObject({ name: 'web', stateful: false, tags: ['tier-web'], description: 'web' });
      const listed = await json('security', 'group', 'list');
      expect(listed.map((g: { Name: string }) => g.Name).sort()).toEqual(['default', 'web']);
      await os('security', 'group', 'set', 'web', '--name', 'web2', '--description', 'front end');
      expect(await json('security', 'group', 'show', 'web2')).toMatchObject({ name: 'web2', description: 'front end', tags: ['tier-web'] });
      await os('security', 'group', 'delete', 'web2');
      expect((await json('security', 'group', 'list')).map((g: { Name: string }) => g.Name)).toEqual(['default']);
    });

    it('security group rule create/list/show/delete: tcp, udp, icmp, protocol 0, remote group and ip, IPv6', async () => {
      await os('security', 'group', 'create', 'app');
      await os('security', 'group', 'create', 'db');
      const tcp = await json('security', 'group', 'rule', 'create', 'app', '--protocol', 'tcp', '--dst-port', '22:23');
      expect(tcp).toMatchObject({ protocol: 'tcp', port_range_min: 22, port_range_max: 23, ether_type: 'IPv4', direction: 'ingress', remote_ip_prefix: '0.0.0.0/0' });
      expect(await json('security', 'group', 'rule', 'create', 'app', '--protocol', 'udp', '--dst-port', '53')).toMatchObject({ protocol: 'udp', port_range_min: 53, port_range_max: 53 });
      expect(await json('security', 'group', 'rule', 'create', 'app', '--protocol', 'icmp', '--icmp-type', '8', '--icmp-code', '0'))
        .toMatchObject({ protocol: 'icmp', port_range_min: 8, port_range_max: 0 });
      // Palisade keeps protocol 0 as "0" (neutron-api.md §7.1: 0 means any); the CLI shows it back unchanged.
      expect(await json('security', 'group', 'rule', 'create', 'db', '--protocol', '0')).toMatchObject({ protocol: '0' });
      const appId = (await json('security', 'group', 'show', 'app'))['id'];
      expect(await json('security', 'group', 'rule', 'create', 'db', '--remote-group', 'app', '--protocol', 'tcp', '--dst-port', '5432'))
        .toMatchObject({ remote_group_id: appId, port_range_min: 5432 });
      expect(await json('security', 'group', 'rule', 'create', 'db', '--remote-ip', '10.0.0.0/8', '--protocol', 'tcp', '--dst-port', '443'))
        .toMatchObject({ remote_ip_prefix: '10.0.0.0/8' });
      const v6 = await json('security', 'group', 'rule', 'create', 'db', '--ethertype', 'IPv6', '--protocol', 'tcp', '--dst-port', '80');
      expect(v6).toMatchObject({ ether_type: 'IPv6', remote_ip_prefix: '::/0' });
      const rules = await json('security', 'group', 'rule', 'list', 'app');
      expect(rules.map((r: { 'IP Protocol': string | null; 'Port Range': string }) => `${r['IP Protocol']} ${r['Port Range']}`).sort())
        .toEqual(['icmp type=8', 'null ', 'null ', 'tcp 22:23', 'udp 53:53']); // client 6.0 omits code 0
      expect(await json('security', 'group', 'rule', 'show', tcp['id'])).toMatchObject({ id: tcp['id'], port_range_min: 22 });
      await os('security', 'group', 'rule', 'delete', tcp['id']);
      expect((await json('security', 'group', 'rule', 'list', 'app')).length).toBe(4);
    });

    it('port create --security-group, port set --no-security-group, port unset --security-group', async () => {
      await os('network', 'create', 'n1');
      expect(await json('subnet', 'create', 's1', '--network', 'n1', '--subnet-range', '10.5.0.0/24'))
        .toMatchObject({ cidr: '10.5.0.0/24', allocation_pools: [{ start: '10.5.0.2', end: '10.5.0.254' }], dns_nameservers: [], host_routes: [] });
      const app = (await json('security', 'group', 'show', 'app'))['id'];
      const db = (await json('security', 'group', 'show', 'db'))['id'];
      expect(await json('port', 'create', 'p1', '--network', 'n1', '--security-group', 'app')).toMatchObject({ name: 'p1', security_group_ids: [app], port_security_enabled: true });
      await os('port', 'set', 'p1', '--no-security-group');
      expect((await json('port', 'show', 'p1', '-c', 'security_group_ids'))['security_group_ids']).toEqual([]);
      await os('port', 'set', 'p1', '--security-group', 'app', '--security-group', 'db');
      expect((await json('port', 'show', 'p1', '-c', 'security_group_ids'))['security_group_ids'].sort()).toEqual([app, db].sort());
      await os('port', 'unset', 'p1', '--security-group', 'db');
      expect((await json('port', 'show', 'p1', '-c', 'security_group_ids'))['security_group_ids']).toEqual([app]);
    });

    it('network rbac create/list/show/set/delete shares a group: the target sees it and uses it on a port; in-use policies stay', async () => {
      const group = (await json('security', 'group', 'create', 'shared-sg'))['id'];
      await os('project', 'create', 'tenant2');
      await os('user', 'create', 'carl', '--password', 'carl-pw');
      await os('role', 'add', '--project', 'tenant2', '--user', 'carl', 'member');
      const tenant2 = (await json('project', 'show', 'tenant2'))['id'];
      const policy = await json('network', 'rbac', 'create', '--type', 'security_group', '--action', 'access_as_shared', '--target-project', 'tenant2', 'shared-sg');
      expect(policy).toMatchObject({ object_type: 'security_group', object_id: group, action: 'access_as_shared', target_project_id: tenant2 });
      expect((await json('network', 'rbac', 'list')).map((p: { ID: string }) => p.ID)).toContain(policy['id']);
      expect(await json('network', 'rbac', 'show', policy['id'])).toMatchObject({ id: policy['id'], target_project_id: tenant2 });
      const carl = { ...env, OS_USERNAME: 'carl', OS_PASSWORD: 'carl-pw', OS_PROJECT_NAME: 'tenant2' };
      const asCarl = async (...args: string[]) => (await run('openstack', args, { env: carl, timeout: 60_000 })).stdout;
      expect(JSON.parse(await asCarl('security', 'group', 'list', '-f', 'json')).map((g: { ID: string }) => g.ID)).toContain(group);
      await asCarl('network', 'create', 'n2');
      await asCarl('subnet', 'create', 's2', '--network', 'n2', '--subnet-range', '10.6.0.0/24');
      expect(JSON.parse(await asCarl('port', 'create', 'p2', '--network', 'n2', '--security-group', group, '-f', 'json'))['security_group_ids']).toEqual([group]);
      await expect(asCarl('security', 'group', 'set', group, '--name', 'stolen')).rejects.toThrow('403');
      await expect(os('network', 'rbac', 'delete', policy['id'])).rejects.toThrow('in use by ports of project');
      await expect(os('network', 'rbac', 'set', '--target-project', 'admin', policy['id'])).rejects.toThrow('in use by ports of project');
      await asCarl('port', 'delete', 'p2');
      await os('network', 'rbac', 'set', '--target-project', 'admin', policy['id']);
      expect((await json('network', 'rbac', 'show', policy['id']))['target_project_id']).toBe((await json('token', 'issue'))['project_id']);
      await os('network', 'rbac', 'delete', policy['id']);
      await expect(asCarl('security', 'group', 'show', group)).rejects.toThrow('No SecurityGroup found');
    });

    it('port create --host as a member is refused as Neutron refuses it (binding:host_id is admin-only); as admin it binds', async () => {
      await os('project', 'create', 'tenant3');
      await os('user', 'create', 'dora', '--password', 'dora-pw');
      await os('role', 'add', '--project', 'tenant3', '--user', 'dora', 'member');
      const dora = { ...env, OS_USERNAME: 'dora', OS_PASSWORD: 'dora-pw', OS_PROJECT_NAME: 'tenant3' };
      const asDora = async (...args: string[]) => (await run('openstack', args, { env: dora, timeout: 60_000 })).stdout;
      await asDora('network', 'create', 'n3');
      await asDora('subnet', 'create', 's3', '--network', 'n3', '--subnet-range', '10.7.0.0/24');
      await expect(asDora('port', 'create', 'p3', '--network', 'n3', '--host', 'compute-1'))
        .rejects.toThrow('(rule:create_port and rule:create_port:binding:host_id) is disallowed by policy');
      const port = JSON.parse(await asDora('port', 'create', 'p3', '--network', 'n3', '-f', 'json'));
      await expect(asDora('port', 'set', port['id'], '--host', 'compute-1')).rejects.toThrow('disallowed by policy');
      await os('port', 'set', port['id'], '--host', 'compute-1');
      expect((await json('port', 'show', port['id']))['binding_host_id']).toBe('compute-1');
    });

    it('address group create/list/show/set/unset/delete, rules with --remote-address-group, sharing with --type address_group', async () => {
      const ag = await json('address', 'group', 'create', 'admins', '--description', 'admin nets', '--address', '10.0.0.7/24', '--address', '2001:db8::1/64');
      expect(ag).toMatchObject({ name: 'admins', description: 'admin nets', addresses: ['10.0.0.0/24', '2001:db8::/64'] });
      expect((await json('address', 'group', 'list')).map((g: { Name: string }) => g.Name)).toEqual(['admins']);
      await os('address', 'group', 'set', 'admins', '--name', 'ops', '--address', '192.0.2.9');
      expect(await json('address', 'group', 'show', 'ops')).toMatchObject({ name: 'ops', addresses: ['10.0.0.0/24', '192.0.2.9/32', '2001:db8::/64'] });
      await os('address', 'group', 'unset', 'ops', '--address', '10.0.0.0/24');
      expect((await json('address', 'group', 'show', 'ops'))['addresses']).toEqual(['192.0.2.9/32', '2001:db8::/64']);
      await expect(os('address', 'group', 'set', 'ops', '--address', '192.0.2.9/32')).rejects.toThrow('already exist in the address group');
      await expect(os('address', 'group', 'unset', 'ops', '--address', '198.51.100.0/24')).rejects.toThrow('not found in the address group');
      await os('security', 'group', 'create', 'bastion');
      const rule = await json('security', 'group', 'rule', 'create', 'bastion', '--protocol', 'tcp', '--dst-port', '22', '--remote-address-group', 'ops');
      expect(rule).toMatchObject({ remote_address_group_id: ag['id'], remote_ip_prefix: null, port_range_min: 22 });
      await expect(os('address', 'group', 'delete', 'ops')).rejects.toThrow('is in use on one or more security group rules');
      await os('project', 'create', 'tenant4');
      const policy = await json('network', 'rbac', 'create', '--type', 'address_group', '--action', 'access_as_shared', '--target-project', 'tenant4', 'ops');
      expect(policy).toMatchObject({ object_type: 'address_group', object_id: ag['id'] });
      await os('network', 'rbac', 'delete', policy['id']);
      await os('security', 'group', 'rule', 'delete', rule['id']);
      await os('address', 'group', 'delete', 'ops');
      expect(await json('address', 'group', 'list')).toEqual([]);
    });

    it('quota show / set need compute and volume endpoints in client 6.0; network quotas answer through `quota list --network`', async () => {
      await expect(os('quota', 'show', 'admin')).rejects.toThrow('endpoint for compute service not found');
      await expect(os('quota', 'set', '--secgroups', '20', '--secgroup-rules', '200', 'admin')).rejects.toThrow('endpoint for compute service not found');
      const token = await json('token', 'issue');
      const res = await fetch(`${server.url}/v2.0/quotas/${token['project_id']}`, {
        method: 'PUT', headers: { 'x-auth-token': token['id'], 'content-type': 'application/json' },
        body: JSON.stringify({ quota: { security_group: 20, security_group_rule: 200 } }),
      });
      expect(res.status).toBe(200);
      const quotas = await json('quota', 'list', '--network');
      expect(quotas[0]).toMatchObject({ 'Security Groups': 20, 'Security Group Rules': 200 });
    });

    it('default rule templates shape `security group create` (client 6.0 has no `default security group rule`: set through the API); network create/list --external', async () => {
      const token = await os('token', 'issue', '-f', 'value', '-c', 'id');
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(`${server.url}/v2.0${path}`, {
          method, headers: { 'content-type': 'application/json', 'x-auth-token': token }, ...(body !== undefined && { body: JSON.stringify(body) }),
        });
        return { status: res.status, body: (res.status === 204 ? undefined : await res.json()) as any };
      };
      const made = await api('POST', '/default-security-group-rules', {
        default_security_group_rule: { direction: 'ingress', protocol: 'tcp', port_range_min: 443, port_range_max: 443, used_in_default_sg: false, used_in_non_default_sg: true },
      });
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      const tls = await json('security', 'group', 'create', 'tls');
      const rules = await json('security', 'group', 'rule', 'list', tls['id'], '--ingress');
      expect(rules.map((r: { 'Port Range': string }) => r['Port Range'])).toEqual(['443:443']);
      expect((await api('DELETE', `/default-security-group-rules/${made.body.default_security_group_rule.id}`)).status).toBe(204);
      expect(await json('security', 'group', 'rule', 'list', (await json('security', 'group', 'create', 'plain'))['id'], '--ingress')).toEqual([]);

      const ext = await json('network', 'create', '--external', 'public');
      expect(ext).toMatchObject({ 'router:external': true, mtu: 1500 });
      await os('network', 'create', 'private');
      expect((await json('network', 'list', '--external')).map((n: { Name: string }) => n.Name)).toEqual(['public']);
      const internal = (await json('network', 'list', '--internal')).map((n: { Name: string }) => n.Name);
      expect(internal).toContain('private');
      expect(internal).not.toContain('public');
      await os('network', 'set', '--no-share', '--internal', 'public');
      expect(await json('network', 'show', 'public')).toMatchObject({ 'router:external': false });
      await os('network', 'delete', 'public', 'private');
    });
  });
}
