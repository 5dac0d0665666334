// AWS `ec2 describe-security-groups` JSON: IpPermissions (ingress) and IpPermissionsEgress, UserIdGroupPairs as remote groups.
import { protocolLabel, protocolMeaning, type RuleSetRuleWire, type RuleSetWire, type SecurityGroupRuleWire, type SecurityGroupWire } from '../../contract/index.js';
import { FormatError, groupLabel, parseJson, prefixOrAny, ruleWords, type ExportInput, type ExportResult, type ImportResult, type Unmapped } from './transfer-model.js';

interface Range {
  CidrIp?: string;
  CidrIpv6?: string;
  Description?: string;
}

interface GroupPair {
  GroupId?: string;
  GroupName?: string;
  UserId?: string;
  VpcId?: string;
  VpcPeeringConnectionId?: string;
  PeeringStatus?: string;
  Description?: string;
}

interface IpPermission {
  IpProtocol: string;
  FromPort?: number;
  ToPort?: number;
  IpRanges?: Range[];
  Ipv6Ranges?: Range[];
  UserIdGroupPairs?: GroupPair[];
  PrefixListIds?: { PrefixListId?: string; Description?: string }[];
}

interface AwsGroup {
  GroupId?: string;
  GroupName?: string;
  Description?: string;
  OwnerId?: string;
  VpcId?: string;
  IpPermissions?: IpPermission[];
  IpPermissionsEgress?: IpPermission[];
}

// ---- import ---------------------------------------------------------------------------------------------

/** Protocol, and ports or ICMP type/code, of a permission as Neutron says them; null when Neutron cannot say it. */
function serviceOf(p: IpPermission): Pick<RuleSetRuleWire, 'protocol' | 'port_range_min' | 'port_range_max'> | string {
  const proto = String(p.IpProtocol).toLowerCase();
  if (proto === '-1' || proto === 'all') return { protocol: null, port_range_min: null, port_range_max: null };
  const name = proto === 'icmpv6' ? 'ipv6-icmp' : /^[0-9]+$/.test(proto) ? protocolLabel(proto) : proto;
  const meaning = protocolMeaning(name);
  if (Number.isNaN(meaning.number)) return `protocol '${p.IpProtocol}' is not an IP protocol Neutron knows`;
  const from = p.FromPort ?? -1;
  const to = p.ToPort ?? -1;
  if (meaning.hasIcmpTypeCode) {
    return { protocol: name, port_range_min: from < 0 ? null : from, port_range_max: from < 0 || to < 0 ? null : to };
  }
  if (name === 'tcp' || name === 'udp') {
    const all = (from <= 0 || from === 1) && (to === 65535 || to < 0);
    return { protocol: name, port_range_min: all ? null : from, port_range_max: all ? null : to };
  }
  // AWS: any other protocol number allows every port, whatever range is given.
  return { protocol: name, port_range_min: null, port_range_max: null };
}

function groupsOf(doc: unknown): AwsGroup[] {
  if (typeof doc === 'object' && doc !== null && Array.isArray((doc as { SecurityGroups?: unknown }).SecurityGroups)) return (doc as { SecurityGroups: AwsGroup[] }).SecurityGroups;
  if (Array.isArray(doc)) return doc as AwsGroup[];
  throw new FormatError('an AWS file is the output of `aws ec2 describe-security-groups`: {"SecurityGroups": [...]}');
}

export function importAws(source: string): ImportResult {
  const groups = groupsOf(parseJson(source));
  const nameOf = new Map(groups.filter((g) => g.GroupId && g.GroupName).map((g) => [g.GroupId!, g.GroupName!]));
  const unmapped: Unmapped[] = [];
  const sets = groups.map((g): RuleSetWire => {
    const label = g.GroupName ?? g.GroupId ?? '?';
    const rules: RuleSetRuleWire[] = [];
    const permissions: [RuleSetRuleWire['direction'], IpPermission[]][] = [['ingress', g.IpPermissions ?? []], ['egress', g.IpPermissionsEgress ?? []]];
    for (const [direction, list] of permissions) {
      for (const p of list) {
        const service = serviceOf(p);
        const item = `${direction} ${p.IpProtocol} ${p.FromPort ?? ''}-${p.ToPort ?? ''}`;
        if (typeof service === 'string') {
          unmapped.push({ group: label, item, reason: service });
          continue;
        }
        const v6Only = service.protocol === 'ipv6-icmp';
        const add = (ethertype: 'IPv4' | 'IPv6', remote: Partial<RuleSetRuleWire>, description: string | undefined) =>
          rules.push({ direction, ethertype, ...service, remote_ip_prefix: null, ...remote, description: description ?? '' });
        for (const r of p.IpRanges ?? []) {
          if (v6Only) unmapped.push({ group: label, item: `${item} from ${r.CidrIp}`, reason: 'ICMPv6 with an IPv4 range matches nothing' });
          else add('IPv4', { remote_ip_prefix: prefixOrAny(r.CidrIp) }, r.Description);
        }
        for (const r of p.Ipv6Ranges ?? []) {
          if (service.protocol === 'icmp') unmapped.push({ group: label, item: `${item} from ${r.CidrIpv6}`, reason: 'ICMP (IPv4) with an IPv6 range matches nothing' });
          else add('IPv6', { remote_ip_prefix: prefixOrAny(r.CidrIpv6) }, r.Description);
        }
        for (const pair of p.UserIdGroupPairs ?? []) {
          const what = `${item} group ${pair.GroupId ?? pair.GroupName}`;
          if (pair.VpcPeeringConnectionId) {
            unmapped.push({ group: label, item: what, reason: `a group in a peered VPC (${pair.VpcPeeringConnectionId}) has no counterpart in a Neutron project` });
          } else if (pair.UserId && g.OwnerId && pair.UserId !== g.OwnerId) {
            unmapped.push({ group: label, item: what, reason: `a group of another account (${pair.UserId}): cross-account pairs have no counterpart in a Neutron project` });
          } else if (!pair.GroupId || !nameOf.has(pair.GroupId)) {
            unmapped.push({ group: label, item: what, reason: 'the group is not in the file: export it too, so the import can name it' });
          } else {
            // An AWS group reference covers both address families; Neutron needs one rule per ether type.
            const remote = { remote_group_name: nameOf.get(pair.GroupId)! };
            if (service.protocol !== 'ipv6-icmp') add('IPv4', remote, pair.Description);
            if (service.protocol !== 'icmp') add('IPv6', remote, pair.Description);
          }
        }
        for (const pl of p.PrefixListIds ?? []) {
          unmapped.push({ group: label, item: `${item} prefix list ${pl.PrefixListId}`, reason: 'AWS prefix lists are account objects whose CIDRs the file does not hold: make an address group of them and name it in a rule' });
        }
      }
    }
    return { name: g.GroupName ?? '', ...(g.Description !== undefined && { description: g.Description }), security_group_rules: rules };
  });
  return { groups: sets, unmapped };
}

// ---- export ---------------------------------------------------------------------------------------------

function awsProtocol(rule: SecurityGroupRuleWire): string {
  const meaning = protocolMeaning(rule.protocol);
  if (meaning.number === null) return '-1';
  if (meaning.number === 58) return 'icmpv6';
  const name = meaning.info?.name;
  return name === 'tcp' || name === 'udp' || name === 'icmp' ? name : String(meaning.number);
}

/** What AWS cannot say about a rule, or null. */
function unexportable(rule: SecurityGroupRuleWire, pairedFamilies: ReadonlySet<string>, key: string): string | null {
  const proto = awsProtocol(rule);
  if (rule.remote_address_group_id) return 'remote address groups have no AWS counterpart';
  if (!['-1', 'tcp', 'udp', 'icmp', 'icmpv6'].includes(proto) && (rule.port_range_min !== null || rule.port_range_max !== null)) {
    return `AWS allows every port of protocol ${proto}; the rule's port range would be widened`;
  }
  if (rule.remote_group_id !== null && proto !== 'icmp' && proto !== 'icmpv6' && !pairedFamilies.has(key)) {
    return `an AWS group pair covers IPv4 and IPv6; this ${rule.ethertype}-only rule would be widened (add the ${rule.ethertype === 'IPv4' ? 'IPv6' : 'IPv4'} twin to export it)`;
  }
  return null;
}

function ports(rule: SecurityGroupRuleWire, proto: string): Pick<IpPermission, 'FromPort' | 'ToPort'> {
  if (proto === 'icmp' || proto === 'icmpv6') return { FromPort: rule.port_range_min ?? -1, ToPort: rule.port_range_max ?? -1 };
  if (proto === 'tcp' || proto === 'udp') return { FromPort: rule.port_range_min ?? 0, ToPort: rule.port_range_max ?? 65535 };
  return {};
}

export function exportAws(input: ExportInput): ExportResult {
  const unmapped: Unmapped[] = [];
  const SecurityGroups = input.groups.map((g: SecurityGroupWire): AwsGroup => {
    const rules = g.security_group_rules ?? [];
    const pairKey = (r: SecurityGroupRuleWire) => [r.direction, awsProtocol(r), r.port_range_min, r.port_range_max, r.remote_group_id, r.description].join('|');
    const families = new Map<string, Set<string>>();
    for (const r of rules) if (r.remote_group_id !== null) families.set(pairKey(r), new Set([...(families.get(pairKey(r)) ?? []), r.ethertype]));
    const paired = new Set([...families].filter(([, f]) => f.size === 2).map(([k]) => k));
    const byPermission = new Map<string, IpPermission>();
    const pairsDone = new Set<string>();
    const lists: Record<'ingress' | 'egress', IpPermission[]> = { ingress: [], egress: [] };
    for (const r of rules) {
      const why = unexportable(r, paired, pairKey(r));
      if (why) {
        unmapped.push({ group: groupLabel(g), item: ruleWords({ ...r, remote_group_name: input.names.get(r.remote_group_id ?? '') ?? null }), reason: why });
        continue;
      }
      const proto = awsProtocol(r);
      const key = [r.direction, proto, r.port_range_min, r.port_range_max].join('|');
      let perm = byPermission.get(key);
      if (!perm) {
        perm = { IpProtocol: proto, ...ports(r, proto), IpRanges: [], Ipv6Ranges: [], UserIdGroupPairs: [], PrefixListIds: [] };
        byPermission.set(key, perm);
        lists[r.direction].push(perm);
      }
      const description = r.description === '' ? {} : { Description: r.description };
      if (r.remote_group_id !== null) {
        if (pairsDone.has(pairKey(r))) continue;
        pairsDone.add(pairKey(r));
        const name = input.names.get(r.remote_group_id);
        perm.UserIdGroupPairs!.push({ GroupId: r.remote_group_id, ...(name !== undefined && { GroupName: name }), UserId: g.project_id, ...description });
      } else if (r.ethertype === 'IPv4') perm.IpRanges!.push({ CidrIp: r.remote_ip_prefix ?? '0.0.0.0/0', ...description });
      else perm.Ipv6Ranges!.push({ CidrIpv6: r.remote_ip_prefix ?? '::/0', ...description });
    }
    return { Description: g.description, GroupName: g.name, IpPermissions: lists.ingress, OwnerId: g.project_id, GroupId: g.id, IpPermissionsEgress: lists.egress };
  });
  return { text: `${JSON.stringify({ SecurityGroups }, null, 4)}\n`, unmapped };
}
