// Round trips of every import/export format, and what each cannot map (listed with the reason, never dropped).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { protocolIdentity, type RuleSetRuleWire, type RuleSetWire, type SecurityGroupRuleWire, type SecurityGroupWire } from '../../contract/index.js';
import { exportAws, importAws } from './aws-format.js';
import { exportCsv, importCsv } from './csv-format.js';
import { exportNeutron, importNeutron } from './neutron-format.js';
import { exportTerraform } from './terraform-format.js';
import { FormatError, ruleToSetRule, uniqueNames, type ExportInput } from './transfer-model.js';

const FIXTURES = join(import.meta.dirname, '..', '..', '..', 'test', 'fixtures');
const PROJECT = 'p1';
let ids = 0;

function rule(group: string, fields: Partial<SecurityGroupRuleWire>): SecurityGroupRuleWire {
  return {
    id: `r${++ids}`, security_group_id: group, direction: 'ingress', ethertype: 'IPv4', protocol: null, port_range_min: null, port_range_max: null,
    remote_ip_prefix: null, normalized_cidr: null, remote_group_id: null, remote_address_group_id: null, description: '', belongs_to_default_sg: false,
    project_id: PROJECT, tenant_id: PROJECT, revision_number: 1, created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z', ...fields,
  };
}

function group(id: string, name: string, rules: (g: string) => Partial<SecurityGroupRuleWire>[], description = ''): SecurityGroupWire {
  return {
    id, name, description, project_id: PROJECT, tenant_id: PROJECT, stateful: true, shared: false, tags: [], revision_number: 1,
    created_at: '2026-12-01T00:00:00Z', updated_at: '2026-12-01T00:00:00Z', security_group_rules: rules(id).map((f) => rule(id, f)),
  };
}

const WEB = '11111111-1111-4111-8111-111111111111';
const DB = '22222222-2222-4222-8222-222222222222';
const OUTSIDE = '33333333-3333-4333-8333-333333333333';
const egressAny = [{ direction: 'egress' as const, ethertype: 'IPv4' as const }, { direction: 'egress' as const, ethertype: 'IPv6' as const }];

/** The seed's kind of project: web open on 80/443, db reachable from web on both families, ICMP echo, one outside reference. */
function project(): SecurityGroupWire[] {
  return [
    group(WEB, 'web', () => [
      ...egressAny,
      { protocol: 'tcp', port_range_min: 80, port_range_max: 80, remote_ip_prefix: '0.0.0.0/0', description: 'http' },
      { protocol: 'tcp', port_range_min: 443, port_range_max: 443, ethertype: 'IPv6', remote_ip_prefix: '2001:db8::/32' },
      { protocol: 'icmp', port_range_min: 8, port_range_max: 0, remote_ip_prefix: '10.0.0.0/8' },
      { protocol: 'udp', port_range_min: 5000, port_range_max: 5010 },
    ], 'front "tier" ${x}'),
    group(DB, 'db', (g) => [
      ...egressAny,
      { protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_group_id: WEB, description: 'from web' },
      { protocol: 'tcp', port_range_min: 5432, port_range_max: 5432, remote_group_id: WEB, ethertype: 'IPv6', description: 'from web' },
      { remote_group_id: g },
      { remote_group_id: g, ethertype: 'IPv6' },
    ]),
  ];
}

function input(groups: SecurityGroupWire[]): ExportInput {
  return { groups, names: new Map([...groups.map((g) => [g.id, g.name] as const), [OUTSIDE, 'outside']]) };
}

/** A rule as a comparable key: what Neutron compares for duplicates, the remote by name, and the description. */
function key(r: RuleSetRuleWire): string {
  const prefix = r.remote_ip_prefix === '0.0.0.0/0' || r.remote_ip_prefix === '::/0' ? null : r.remote_ip_prefix ?? null;
  return [r.direction, r.ethertype ?? 'IPv4', protocolIdentity(r.protocol === null || r.protocol === undefined ? null : String(r.protocol)), r.port_range_min ?? null,
    r.port_range_max ?? null, prefix, r.remote_group_name ?? r.remote_group_id ?? null, r.description ?? ''].join('|');
}

function keysOf(sets: readonly RuleSetWire[]): Record<string, string[]> {
  return Object.fromEntries(sets.map((s) => [s.name ?? s.id, s.security_group_rules.map(key).sort()]));
}

/** The rule sets the groups are, as an exact import would give them. */
function expected(groups: SecurityGroupWire[]): Record<string, string[]> {
  const names = uniqueNames(groups);
  return keysOf(groups.map((g) => ({ name: g.name, security_group_rules: (g.security_group_rules ?? []).map((r) => ruleToSetRule(r, names)) })));
}

/** What a server would hold after importing: the sets as groups, ids made up, remote names resolved. */
function asGroups(sets: readonly RuleSetWire[]): SecurityGroupWire[] {
  const idOf = new Map(sets.map((s, i) => [s.name!, `sg-${i}`]));
  return sets.map((s) => group(idOf.get(s.name!)!, s.name!, () => s.security_group_rules.map((r) => ({
    direction: r.direction, ethertype: r.ethertype ?? 'IPv4', protocol: r.protocol === undefined || r.protocol === null ? null : String(r.protocol),
    port_range_min: r.port_range_min ?? null, port_range_max: r.port_range_max ?? null, remote_ip_prefix: r.remote_ip_prefix ?? null,
    remote_group_id: r.remote_group_name ? idOf.get(r.remote_group_name)! : (r.remote_group_id ?? null), description: r.description ?? '',
  })), s.description ?? ''));
}

describe('Neutron JSON', () => {
  it('round-trips every rule; remote groups of the file travel by name, others by id', () => {
    const groups = project();
    groups[0]!.security_group_rules!.push(rule(WEB, { protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_group_id: OUTSIDE }));
    const back = importNeutron(exportNeutron(input(groups)).text);
    expect(keysOf(back.groups)).toEqual(expected(groups));
    expect(back.groups[0]!.description).toBe('front "tier" ${x}');
    expect(back.groups[1]!.security_group_rules.filter((r) => r.remote_group_name === 'db')).toHaveLength(2);
    expect(back.groups[0]!.security_group_rules.find((r) => r.port_range_min === 22)!.remote_group_id).toBe(OUTSIDE);
    expect(back.unmapped).toEqual([]);
  });

  it("reads `openstack security group show -f json`, rules as objects or as the older client's strings", () => {
    const show = {
      created_at: '2026-12-01T00:00:00Z', description: 'ssh', id: WEB, name: 'ssh-only', project_id: PROJECT, revision_number: 3, stateful: true, tags: [],
      rules: [
        "created_at='2026-12-01T00:00:00Z', direction='ingress', ethertype='IPv4', id='r1', port_range_max='22', port_range_min='22', protocol='tcp', remote_ip_prefix='0.0.0.0/0'",
        { direction: 'egress', ethertype: 'IPv6', protocol: null, remote_ip_prefix: null, description: '' },
        { direction: 'ingress', ethertype: 'IPv4', remote_address_group_id: 'ag-1' },
        'nonsense',
      ],
    };
    const back = importNeutron(JSON.stringify(show));
    expect(back.groups).toHaveLength(1);
    const rules = back.groups[0]!.security_group_rules;
    expect(rules.filter((r) => !r.remote_address_group_id).map(key)).toEqual(['ingress|IPv4|6|22|22|||', 'egress|IPv6|null|||||']);
    expect(rules.filter((r) => r.remote_address_group_id).map((r) => [r.direction, r.remote_address_group_id])).toEqual([['ingress', 'ag-1']]);
    expect(back.unmapped.map((u) => u.reason)).toEqual([expect.stringContaining('not a rule')]);
    expect(importNeutron(JSON.stringify({ security_group: show })).groups[0]!.name).toBe('ssh-only');
  });

  it('refuses what is not a Neutron file', () => {
    expect(() => importNeutron('{')).toThrow(FormatError);
    expect(() => importNeutron('{"SecurityGroups": []}')).toThrow('no security group in the file');
    expect(() => importNeutron('3')).toThrow(FormatError);
  });

  it('lists groups whose names repeat: an import could not tell them apart', () => {
    const twins = [group(WEB, 'twin', () => []), group(DB, 'twin', () => [])];
    expect(exportNeutron(input(twins)).unmapped.map((u) => u.group)).toEqual(['twin', 'twin']);
  });
});

describe('AWS describe-security-groups JSON', () => {
  const fixture = readFileSync(join(FIXTURES, 'aws-describe-security-groups.json'), 'utf8');

  it('maps the documented fields; prefix lists, cross-account and peered pairs are listed with the reason', () => {
    const { groups, unmapped } = importAws(fixture);
    expect(groups.map((g) => [g.name, g.description])).toEqual([['web', 'web servers'], ['bastion', 'jump hosts']]);
    const web = keysOf(groups)['web']!;
    expect(web).toEqual([
      'egress|IPv4|null|||||', 'egress|IPv6|null|||||',
      'ingress|IPv4|1|8||10.0.0.0/8||', 'ingress|IPv4|6|22|22|203.0.113.0/24||office', 'ingress|IPv4|6|22|22||bastion|bastion',
      'ingress|IPv4|6|443|443|||HTTPS from anywhere', 'ingress|IPv6|6|22|22||bastion|bastion', 'ingress|IPv6|6|443|443|||HTTPS from anywhere',
    ].sort());
    expect(keysOf(groups)['bastion']).toEqual(['egress|IPv4|null|||||', 'ingress|IPv4|17|33434|33534|10.0.0.0/8||', 'ingress|IPv4|6|22|22|198.51.100.7/32||admin home',
      'ingress|IPv6|58|||2001:db8::/32||'].sort());
    expect(unmapped.map((u) => [u.group, u.reason.split(' ').slice(0, 3).join(' ')])).toEqual([
      ['web', 'AWS prefix lists'], ['web', 'a group of'], ['web', 'a group in'],
    ]);
    expect(unmapped[0]!.item).toContain('pl-0123456789abcdef0');
  });

  it('round-trips: AWS → rule sets → AWS → rule sets gives the same sets', () => {
    const first = importAws(fixture);
    const again = importAws(exportAws(input(asGroups(first.groups))).text);
    expect(keysOf(again.groups)).toEqual(keysOf(first.groups));
    expect(again.unmapped).toEqual([]);
  });

  it('round-trips a Palisade project; what AWS cannot say is listed, not widened', () => {
    const groups = project();
    const exported = exportAws(input(groups));
    const back = importAws(exported.text);
    expect(keysOf(back.groups)).toEqual(expected(groups));
    const lone = [group(WEB, 'lone', () => [{ protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_group_id: DB }, { protocol: 'sctp', port_range_min: 9, port_range_max: 9 }])];
    const partial = exportAws(input(lone));
    expect(partial.unmapped.map((u) => u.reason)).toEqual([expect.stringContaining('covers IPv4 and IPv6'), expect.stringContaining('every port of protocol 132')]);
    expect(importAws(partial.text).groups[0]!.security_group_rules).toEqual([]);
  });

  it('refuses what is not an AWS file', () => {
    expect(() => importAws('{"security_groups": []}')).toThrow(FormatError);
    expect(() => importAws('nope')).toThrow('not JSON');
    expect(importAws(JSON.stringify({ SecurityGroups: [{ GroupName: 'x', IpPermissions: [{ IpProtocol: 'bogus' }] }] })).unmapped[0]!.reason).toContain("'bogus'");
  });
});

describe("the console's CSV", () => {
  it('round-trips one group with --group, and several with a security_group column', () => {
    const groups = project();
    const one = importCsv(exportCsv(input([groups[0]!])).text, 'web');
    expect(keysOf(one.groups)).toEqual({ web: expected([groups[0]!])['web'] });
    const many = importCsv(exportCsv(input(groups)).text, undefined);
    expect(keysOf(many.groups)).toEqual(expected(groups));
  });

  it('refuses a file it cannot read, naming the line', () => {
    expect(() => importCsv('direction\ningress\n', undefined)).toThrow('--group');
    expect(() => importCsv('direction,colour\n', 'g')).toThrow("unknown column(s) colour");
    expect(() => importCsv('ethertype\nIPv4\n', 'g')).toThrow("no 'direction' column");
    expect(() => importCsv('direction,port_range_min\ningress,x\n', 'g')).toThrow("line 2: port_range_min 'x'");
    expect(() => importCsv('direction\nsideways\n', 'g')).toThrow('line 2: direction must be');
    expect(() => importCsv('direction,protocol\ningress\n', 'g')).toThrow('line 2: expected 2 columns');
    expect(() => importCsv('"direction\n', 'g')).toThrow(FormatError);
    expect(() => importCsv('', 'g')).toThrow('no header');
    expect(importCsv(`direction,remote_group\ningress,${WEB}\n`, WEB).groups).toEqual([{ id: WEB, security_group_rules: [expect.objectContaining({ remote_group_id: WEB })] }]);
  });
});

describe('Terraform HCL', () => {
  it('writes what the provider documents, byte for byte as the fixture', () => {
    const groups = project();
    groups[0]!.security_group_rules!.push(rule(WEB, { protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_group_id: OUTSIDE }));
    expect(exportTerraform(input(groups)).text).toBe(readFileSync(join(FIXTURES, 'terraform-export.tf'), 'utf8'));
  });

  it('round-trips through a reader of the blocks it writes', () => {
    const groups = project();
    expect(keysOf(readTerraform(exportTerraform(input(groups)).text))).toEqual(expected(groups));
  });

  it("lists the default group and address-group rules instead of writing what the provider cannot create", () => {
    const groups = [group(WEB, 'default', () => egressAny), group(DB, '9 lives', () => [{ remote_address_group_id: 'ag' }])];
    const out = exportTerraform(input(groups));
    expect(out.unmapped.map((u) => u.group)).toEqual(['default', '9 lives']);
    expect(out.text).toContain('resource "openstack_networking_secgroup_v2" "g_9_lives"');
  });
});

/** Reads back the resource blocks exportTerraform writes (a test's reader, not an HCL parser). */
function readTerraform(text: string): RuleSetWire[] {
  const blocks = [...text.matchAll(/resource "(\w+)" "([\w-]+)" \{\n([\s\S]*?)\n\}/g)].map(([, kind, name, body]) => ({
    kind, name: name!, attrs: Object.fromEntries(body!.split('\n').map((l) => /^\s+(\w+)\s+= (.*)$/.exec(l)!).map(([, k, v]) => [k!, v!])),
  }));
  const value = (v: string | undefined) => (v === undefined ? null : v.startsWith('"') ? (JSON.parse(v.replace(/\$\$\{/g, '${')) as string) : /^\d+$/.test(v) ? Number(v) : v);
  const groupsByResource = new Map(blocks.filter((b) => b.kind === 'openstack_networking_secgroup_v2').map((b) => [b.name, { name: value(b.attrs['name']) as string, security_group_rules: [] as RuleSetRuleWire[] }]));
  const ref = (v: string) => /^openstack_networking_secgroup_v2\.([\w-]+)\.id$/.exec(v)?.[1];
  for (const b of blocks.filter((x) => x.kind === 'openstack_networking_secgroup_rule_v2')) {
    const remote = b.attrs['remote_group_id'];
    const remoteRef = remote === undefined ? undefined : ref(remote);
    groupsByResource.get(ref(b.attrs['security_group_id']!)!)!.security_group_rules.push({
      direction: value(b.attrs['direction']) as 'ingress', ethertype: value(b.attrs['ethertype']) as 'IPv4', protocol: value(b.attrs['protocol']) as string | null,
      port_range_min: value(b.attrs['port_range_min']) as number | null, port_range_max: value(b.attrs['port_range_max']) as number | null,
      remote_ip_prefix: value(b.attrs['remote_ip_prefix']) as string | null,
      ...(remote === undefined ? {} : remoteRef ? { remote_group_name: groupsByResource.get(remoteRef)!.name } : { remote_group_id: value(remote) as string }),
      description: (value(b.attrs['description']) as string | null) ?? '',
    });
  }
  return [...groupsByResource.values()];
}
