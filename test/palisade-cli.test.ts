// `palisade group|rule|port|explain|reach|matrix|completion` in process against a real server (keystone sign-in from OS_*).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli/cli-kit.js';
import { buildProgram } from '../src/cli/main.js';
import type { RunningServer } from '../src/main.js';
import { startKeystoneServer, type KeystoneServer } from './support/server-harness.js';

const PASSWORD = 'cli-product-secret';
let server: RunningServer;
let env: Record<string, string>;
let running: KeystoneServer;
let dir: string;

beforeAll(async () => {
  running = await startKeystoneServer(PASSWORD);
  ({ server, env } = running);
  dir = mkdtempSync(join(tmpdir(), 'palisade-cli-files-'));
});
afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The change log's latest sequence number (admin): a write moves it, a no-op does not. */
async function latestSeq(): Promise<number> {
  const out = await json(['group', 'list']);
  void out;
  const token = await fetch(`${server.url}/identity/v3/auth/tokens`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ auth: { identity: { methods: ['password'], password: { user: { name: 'admin', domain: { name: 'Default' }, password: PASSWORD } } }, scope: { project: { name: 'admin', domain: { name: 'Default' } } } } }),
  });
  const res = await fetch(`${server.url}/v2.0/palisade/changes?since=0&limit=1000`, { headers: { 'x-auth-token': token.headers.get('x-subject-token')! } });
  const body = (await res.json()) as { changes: { seq: number }[] };
  return body.changes.at(-1)?.seq ?? 0;
}

interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
}

/** `palisade <args>` in process: its exit code and printed lines. */
async function cli(args: string[], extraEnv: Record<string, string | undefined> = {}): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { env: { ...env, ...extraEnv }, print: (l: string) => void out.push(l), warn: (l: string) => void err.push(l) };
  const code = await runCli(buildProgram(io), args, io);
  return { code, out, err };
}

async function json(args: string[]): Promise<any> {
  const run = await cli([...args, '-f', 'json']);
  expect(run.code, run.err.join('\n')).toBe(0);
  return JSON.parse(run.out.join('\n'));
}

describe('palisade group and rule', () => {
  it("does the seed's example: CONN allows tcp 22-23, WEB tcp 80 and 8080, by name", async () => {
    expect((await cli(['group', 'create', 'CONN'])).code).toBe(0);
    expect((await cli(['group', 'create', 'WEB', '--description', 'web tier'])).code).toBe(0);
    expect((await cli(['rule', 'add', 'CONN', '--protocol', 'tcp', '--port', '22-23'])).code).toBe(0);
    expect((await cli(['rule', 'add', 'WEB', '--template', 'http'])).code).toBe(0);
    expect((await cli(['rule', 'add', 'WEB', '--protocol', 'tcp', '--port', '8080', '--description', 'alt'])).code).toBe(0);
    const rules = await json(['rule', 'list', 'WEB']);
    expect(rules.filter((r: any) => r.direction === 'ingress').map((r: any) => [r.protocol, r.port_range_min, r.port_range_max, r.description]))
      .toEqual(expect.arrayContaining([['tcp', 80, 80, ''], ['tcp', 8080, 8080, 'alt']]));
    expect(Object.keys(rules[0])).toEqual(expect.arrayContaining(['id', 'security_group_id', 'normalized_cidr', 'belongs_to_default_sg', 'revision_number']));
    const table = (await cli(['rule', 'list', 'CONN'])).out;
    expect(table[0]).toMatch(/^id\s+direction\s+ethertype\s+protocol\s+ports\s+remote\s+description$/);
    expect(table.some((l) => /ingress\s+IPv4\s+tcp\s+22-23\s+any/.test(l))).toBe(true);
  });

  it('lists, shows, updates, copies and deletes groups by name; every output format', async () => {
    const list = await cli(['group', 'list']);
    expect(list.out.some((l) => /\bWEB\s+web tier\b/.test(l))).toBe(true);
    const show = await cli(['group', 'show', 'WEB']);
    expect(show.out.some((l) => /^name\s+WEB$/.test(l))).toBe(true);
    expect(show.out.some((l) => /ingress IPv4 tcp 8080 from any \(alt\)/.test(l))).toBe(true);
    expect((await cli(['group', 'update', 'WEB', '--description', 'front'])).code).toBe(0);
    expect((await json(['group', 'show', 'WEB'])).description).toBe('front');
    const copy = await json(['group', 'copy', 'WEB', '--name', 'WEB2']);
    expect(copy.security_group_rules).toHaveLength(4);
    const csv = await cli(['group', 'list', '-f', 'csv']);
    expect(csv.out.join('\n').split(/\r?\n/)[0]).toBe('id,name,description,project_id,rules');
    const yaml = (await cli(['group', 'show', 'WEB2', '-f', 'yaml'])).out.join('\n');
    expect(yaml).toMatch(/^name: WEB2$/m);
    expect(yaml).toMatch(/^security_group_rules:\n- id: /m);
    expect((await cli(['group', 'delete', 'WEB2'])).out[0]).toMatch(/^deleted security group WEB2 \(/);
  });

  it('exit codes: 1 with the API error message, 2 for bad usage', async () => {
    const dup = await cli(['rule', 'add', 'WEB', '--template', 'http']);
    expect(dup.code).toBe(1);
    expect(dup.err.join('\n')).toMatch(/Security group rule already exists\. Rule id is [0-9a-f-]+\. \(HTTP 409\)/);
    expect((await cli(['group', 'show', 'nope'])).err.join('\n')).toContain("no security group named or with id 'nope'");
    expect((await cli(['rule', 'add', 'WEB', '--template', 'gopher'])).code).toBe(2);
    expect((await cli(['rule', 'add', 'WEB', '--template', 'ssh', '--port', '22'])).code).toBe(2);
    expect((await cli(['group', 'list', '-f', 'xml'])).code).toBe(2);
    expect((await cli(['group', 'frobnicate'])).code).toBe(2);
    expect((await cli(['group', 'update', 'WEB'])).code).toBe(2);
    expect((await cli(['--help'])).code).toBe(0);
  });

  it('two groups with one name: the name is refused with both ids, the id works', async () => {
    const a = await json(['group', 'create', 'twin']);
    await json(['group', 'create', 'twin']);
    const run = await cli(['group', 'show', 'twin']);
    expect(run.code).toBe(1);
    expect(run.err.join('\n')).toMatch(/2 security groups are named 'twin'/);
    expect((await json(['group', 'show', a.id])).id).toBe(a.id);
  });

  it('adds ICMP, remote-group and IPv6 rules; deletes rules by id', async () => {
    const icmp = await json(['rule', 'add', 'CONN', '--protocol', 'icmp', '--icmp-type', '8', '--icmp-code', '0', '--remote-ip', '10.0.0.0/8']);
    expect(icmp).toMatchObject({ protocol: 'icmp', port_range_min: 8, port_range_max: 0, remote_ip_prefix: '10.0.0.0/8' });
    const peer = await json(['rule', 'add', 'CONN', '--template', 'ssh', '--remote-group', 'WEB']);
    expect(peer.remote_group_id).toBe((await json(['group', 'show', 'WEB'])).id);
    const v6 = await json(['rule', 'add', 'CONN', '--template', 'https', '--remote-ip', '2001:db8::/32', '--direction', 'egress']);
    expect(v6).toMatchObject({ ethertype: 'IPv6', direction: 'egress' });
    expect((await cli(['rule', 'delete', icmp.id, v6.id])).out).toEqual([`deleted rule ${icmp.id}`, `deleted rule ${v6.id}`]);
  });
});

describe('palisade port, explain, reach, matrix', () => {
  it('sets groups on ports by name and asks the engine about flows between them', async () => {
    const net = await json(['network', 'create', 'n1', '--subnet', '10.9.0.0/24']);
    expect(net.subnets).toHaveLength(1);
    expect((await json(['network', 'list'])).map((n: any) => n.name)).toContain('n1');
    expect((await json(['port', 'create', 'n1', '--name', 'vm1', '--device', 'vm1', '--host', 'h1'])).security_groups).toHaveLength(1);
    expect((await json(['port', 'create', net.id, '--name', 'client', '--device', 'client', '--group', 'default'])).name).toBe('client');
    expect((await cli(['port', 'create', 'nowhere'])).err.join('\n')).toContain("no network named or with id 'nowhere'");

    const set = await cli(['port', 'set-groups', 'vm1', 'CONN', 'WEB']);
    expect(set.code, set.err.join('\n')).toBe(0);
    expect(set.out[1]).toMatch(/vm1\s+vm1\s+10\.9\.0\.\d+\s+CONN, WEB/);
    const ports = await json(['port', 'list', '--group', 'WEB']);
    expect(ports.map((p: any) => p.name)).toEqual(['vm1']);
    expect((await json(['port', 'list', '--device', 'client']))[0].name).toBe('client');

    const allowed = await cli(['explain', 'vm1', '--direction', 'ingress', '--protocol', 'tcp', '--port', '80', '--remote-ip', '203.0.113.9']);
    expect(allowed.out[0], JSON.stringify(allowed)).toMatch(/^ALLOW: /);
    const denied = await json(['explain', 'vm1', '--direction', 'ingress', '--protocol', 'tcp', '--port', '443', '--remote-ip', '203.0.113.9']);
    expect(denied.verdict).toBe('deny');
    const reach = await cli(['reach', 'client', 'vm1', '--protocol', 'tcp', '--port', '22']);
    expect(reach.out[0]).toMatch(/^ALLOW: client \(10\.9\.0\.\d+\) → vm1/);
    const blocked = await cli(['reach', 'client', 'vm1', '--protocol', 'tcp', '--port', '443']);
    expect(blocked.out[0]).toMatch(/^DENY/);
    expect(blocked.out.some((l) => /^would open with, in /.test(l))).toBe(true);
    const matrix = await cli(['matrix', '--service', 'tcp:22', 'tcp:80']);
    expect(matrix.out[0]).toMatch(/^from\s+to\s+services$/);
    expect(matrix.out.some((l) => /client\s+vm1\s+tcp:22, tcp:80/.test(l))).toBe(true);
    expect((await cli(['port', 'set-groups', 'client'])).code).toBe(0);
    expect((await json(['port', 'list', '--device', 'client']))[0].security_groups).toEqual([]);
  });
});

describe('palisade export and import', () => {
  const file = (name: string) => join(dir, name);

  it('exports groups as Neutron JSON; importing the file back changes nothing, and says so', async () => {
    const out = await cli(['export', 'WEB', 'CONN', 'default', '--format', 'neutron', '-o', file('groups.json')]);
    expect(out.code, out.err.join('\n')).toBe(0);
    expect(JSON.parse(readFileSync(file('groups.json'), 'utf8')).security_groups.map((g: any) => g.name)).toEqual(['WEB', 'CONN', 'default']);
    const seq = await latestSeq();
    const plan = await cli(['import', file('groups.json'), '--format', 'neutron', '--apply']);
    expect(plan.code, plan.err.join('\n')).toBe(0);
    expect(plan.out.filter((l) => l.startsWith('group '))).toEqual([
      expect.stringMatching(/^group WEB: unchanged \(0 to create, 0 to delete, 4 unchanged\)$/),
      expect.stringMatching(/^group CONN: unchanged/),
      expect.stringMatching(/^group default: unchanged/),
    ]);
    expect(plan.out.at(-1)).toBe('applied');
    expect(await latestSeq()).toBe(seq);
  });

  it('imports AWS JSON: a dry run first, then --apply creates the groups; what cannot be mapped is listed', async () => {
    const fixture = join('test', 'fixtures', 'aws-describe-security-groups.json');
    const dry = await cli(['import', fixture, '--format', 'aws']);
    expect(dry.code, dry.err.join('\n')).toBe(0);
    expect(dry.out).toContain('group web: create (8 to create, 0 to delete, 0 unchanged)');
    expect(dry.out).toContain('  + ingress IPv4 tcp 22 from group bastion (bastion)');
    expect(dry.out).toContain('not imported (3):');
    expect(dry.out.some((l) => /pl-0123456789abcdef0 — AWS prefix lists/.test(l))).toBe(true);
    expect(dry.out.at(-1)).toMatch(/^dry run: nothing changed/);
    expect((await cli(['group', 'show', 'bastion'])).code).toBe(1);
    expect((await cli(['import', fixture, '--format', 'aws', '--apply'])).out.at(-1)).toBe('applied');
    const web = await json(['group', 'show', 'web']);
    const bastion = await json(['group', 'show', 'bastion']);
    expect(web.security_group_rules.filter((r: any) => r.remote_group_id === bastion.id)).toHaveLength(2);
    const again = await cli(['import', fixture, '--format', 'aws', '--apply']);
    expect(again.out.filter((l) => l.startsWith('group '))).toEqual([expect.stringContaining('unchanged'), expect.stringContaining('unchanged')]);
  });

  it("exports a group as the console's CSV and imports it into another group; terraform and aws exports list what they cannot say", async () => {
    expect((await cli(['export', 'WEB', '--format', 'csv', '-o', file('web.csv')])).code).toBe(0);
    expect(readFileSync(file('web.csv'), 'utf8').split('\n')[0]).toBe('direction,ethertype,protocol,port_range_min,port_range_max,remote_ip_prefix,remote_group,description');
    const applied = await cli(['import', file('web.csv'), '--format', 'csv', '--group', 'WEB-from-csv', '--apply']);
    expect(applied.out[0]).toBe('group WEB-from-csv: create (4 to create, 0 to delete, 0 unchanged)');
    const copy = await json(['rule', 'list', 'WEB-from-csv']);
    expect(copy).toHaveLength(4);
    const json2 = await cli(['import', file('web.csv'), '--format', 'csv', '--group', 'WEB-from-csv', '-f', 'json']);
    expect(JSON.parse(json2.out.join('\n'))).toMatchObject({ dry_run: true, security_groups: [{ action: 'unchanged' }], unmapped: [] });
    const tf = await cli(['export', 'WEB', 'default', '--format', 'terraform']);
    expect(tf.out.join('\n')).toContain('resource "openstack_networking_secgroup_v2" "web" {');
    expect(tf.err).toEqual(['not exported (1):', expect.stringMatching(/^ {2}default: group [0-9a-f-]+ — a project's default group cannot be created/)]);
    const aws = await cli(['export', '--format', 'aws']);
    expect(JSON.parse(aws.out.join('\n')).SecurityGroups.map((g: any) => g.GroupName)).toEqual(expect.arrayContaining(['WEB', 'CONN', 'default', 'web', 'bastion']));
  });

  it("a dry run says what the import would do to existing ports' reachability (what-if), and applies nothing", async () => {
    const csv = readFileSync(file('web.csv'), 'utf8').split('\n').filter((l) => !l.includes(',8080,')).join('\n');
    writeFileSync(file('web-no-8080.csv'), csv);
    const seq = await latestSeq();
    const dry = await cli(['import', file('web-no-8080.csv'), '--format', 'csv', '--group', 'WEB']);
    expect(dry.code, dry.err.join('\n')).toBe(0);
    expect(dry.out).toContain('group WEB: update (0 to create, 1 to delete, 3 unchanged)');
    expect(dry.out).toContain('reachability, if applied:');
    expect(dry.out.some((l) => /^ {2}unexposed {2}\S+ tcp\/8080 {2}IPv4 {2}from 0\.0\.0\.0\/0$/.test(l)), dry.out.join('\n')).toBe(true);
    const asJson = JSON.parse((await cli(['import', file('web-no-8080.csv'), '--format', 'csv', '--group', 'WEB', '-f', 'json'])).out.join('\n'));
    expect(asJson.what_if.exposure).toEqual([expect.objectContaining({ service: 'tcp/8080', gained: [], lost: ['0.0.0.0/0'] })]);
    expect(await latestSeq()).toBe(seq);
    const same = await cli(['import', file('web.csv'), '--format', 'csv', '--group', 'WEB']);
    expect(same.out.some((l) => l.startsWith('reachability'))).toBe(false);
  });

  it('bad files and bad usage exit 2; server refusals exit 1 and change nothing', async () => {
    writeFileSync(file('bad.json'), '{');
    expect((await cli(['import', file('bad.json'), '--format', 'neutron'])).code).toBe(2);
    expect((await cli(['import', file('missing.json'), '--format', 'neutron'])).code).toBe(2);
    expect((await cli(['import', file('groups.json'), '--format', 'xml'])).code).toBe(2);
    expect((await cli(['import', file('groups.json'), '--format', 'neutron', '--group', 'x'])).err.join('\n')).toContain('--group names one group, but the file holds 3');
    expect((await cli(['export'])).code).toBe(2);
    writeFileSync(file('bad-port.csv'), 'direction,protocol,port_range_min,port_range_max\ningress,tcp,99999,99999\n');
    const refused = await cli(['import', file('bad-port.csv'), '--format', 'csv', '--group', 'never-made', '--apply']);
    expect(refused.code).toBe(1);
    expect(refused.err.join('\n')).toMatch(/Invalid value for port 99999/);
    expect((await cli(['group', 'show', 'never-made'])).code).toBe(1);
  });
});

describe('palisade: server URL and completion', () => {
  it('finds the server in the catalog of OS_AUTH_URL; PALISADE_URL and --url win', async () => {
    expect((await cli(['group', 'list'])).code).toBe(0);
    const wrong = await cli(['group', 'list'], { PALISADE_URL: 'http://127.0.0.1:9' });
    expect(wrong.code).toBe(1);
    expect(wrong.err.join('\n')).toContain('cannot reach http://127.0.0.1:9');
    expect((await cli(['group', 'list', '--url', server.url], { PALISADE_URL: 'http://127.0.0.1:9' })).code).toBe(0);
  });

  it('prints bash and zsh scripts that complete commands, subcommands, options and format values', async () => {
    const script = (await cli(['completion', 'bash'])).out.join('\n');
    const complete = (words: string) => execFileSync('bash', ['-c', `${script}\nCOMP_WORDS=(${words}); COMP_CWORD=$((\${#COMP_WORDS[@]}-1)); _palisade; echo "\${COMPREPLY[*]}"`]).toString().trim();
    expect(complete("palisade gr")).toBe('group');
    expect(complete("palisade rule ''").split(' ')).toEqual(expect.arrayContaining(['list', 'add', 'delete']));
    expect(complete('palisade rule add WEB --temp')).toBe('--template');
    expect(complete("palisade group list -f ''").split(' ')).toEqual(['table', 'json', 'csv', 'yaml']);
    expect((await cli(['completion', 'zsh'])).out.join('\n').split('\n')[0]).toBe('#compdef palisade');
    expect((await cli(['completion', 'fish'])).code).toBe(2);
  });
});
