// Checks a rule given as text fields (from the form or a CSV line) and builds its Neutron create body (neutron-api.md §6.3).
// What is valid is the contract's decision (the server decides with the same functions); only the wording is the form's.
import {
  canonicalPortRange, formatCidr, FORM_PROTOCOLS, normalizeProtocol, portRangeProblem, prefixConflictsWithEtherType,
  protocolConflictsWithEtherType, protocolMeaning, ruleIdentity, tryParseCidr, type PortRangeProblem, type SecurityGroupRuleWire,
} from '../contract/index.js';
import { parseCidr } from './ip-cidr.js';

/** A rule as a person typed it: every field is text, empty means "not given". */
export interface RuleFields {
  readonly direction: string;
  readonly ethertype: string;
  readonly protocol: string;
  readonly portRangeMin: string;
  readonly portRangeMax: string;
  readonly remoteIpPrefix: string;
  /** A group id, or a group name that `resolveGroup` turns into one. */
  readonly remoteGroup: string;
  readonly description: string;
}

export type RuleField = keyof RuleFields;

export interface RuleIssue {
  readonly field: RuleField;
  readonly message: string;
}

/** The body of one rule for POST /v2.0/security-group-rules. */
export type RuleBody = Pick<
  SecurityGroupRuleWire,
  'security_group_id' | 'direction' | 'ethertype' | 'protocol' | 'port_range_min' | 'port_range_max' | 'remote_ip_prefix' | 'remote_group_id' | 'description'
> & Partial<Pick<SecurityGroupRuleWire, 'remote_address_group_id'>>;

export interface RuleCheckContext {
  readonly securityGroupId: string;
  /** Id for a group id or unique name; a string explains why it failed. */
  readonly resolveGroup: (idOrName: string) => { id: string } | { error: string };
}

export type RuleCheck = { ok: true; body: RuleBody } | { ok: false; issues: RuleIssue[] };

function checkDirection(v: string, issues: RuleIssue[]): 'ingress' | 'egress' {
  const d = v.trim().toLowerCase();
  if (d !== 'ingress' && d !== 'egress') issues.push({ field: 'direction', message: `Direction must be ingress or egress, not '${v}'.` });
  return d === 'egress' ? 'egress' : 'ingress';
}

function checkEthertype(v: string, issues: RuleIssue[]): 'IPv4' | 'IPv6' {
  const e = v.trim().toLowerCase();
  if (e !== '' && e !== 'ipv4' && e !== 'ipv6') issues.push({ field: 'ethertype', message: `Ether type must be IPv4 or IPv6, not '${v}'.` });
  return e === 'ipv6' ? 'IPv6' : 'IPv4';
}

function checkProtocol(v: string, ethertype: 'IPv4' | 'IPv6', issues: RuleIssue[]): string | null {
  const p = v.trim();
  const normal = normalizeProtocol(p === '' ? null : p, ethertype);
  if (normal === undefined) {
    issues.push({
      field: 'protocol',
      message: /^[0-9]+$/.test(p) && Number(p) > 255
        ? `Protocol ${v} is not a number from 0 to 255.`
        : `Protocol '${v}' is not supported: use a name (${FORM_PROTOCOLS.map((o) => o.name).join(', ')}), any, or a number from 0 to 255.`,
    });
    return null;
  }
  if (protocolConflictsWithEtherType(ethertype, normal)) issues.push({ field: 'protocol', message: `Protocol ${normal} needs ether type IPv6.` });
  return normal;
}

/**
 * A bound the server can read (0–65535); `shown` is the range the message names: 1–65535 for ports, as the Port
 * field's placeholder says, 0–255 for ICMP (both checked with the protocol).
 */
function checkNumber(v: string, field: RuleField, shown: string, what: string, issues: RuleIssue[]): number | null {
  const t = v.trim();
  if (t === '') return null;
  if (!/^[0-9]+$/.test(t) || Number(t) > 65535) {
    issues.push({ field, message: `${what} must be a whole number from ${shown}, not '${v}'.` });
    return null;
  }
  return Number(t);
}

const END_FIELD = { min: 'portRangeMin', max: 'portRangeMax' } as const;

/** The contract's port-range problem in the form's words. */
function portIssue(p: PortRangeProblem): RuleIssue {
  switch (p.kind) {
    case 'protocol-required':
      return { field: 'portRangeMin', message: 'Choose a protocol (TCP, UDP, ...) to give ports.' };
    case 'no-ports':
      return { field: 'portRangeMin', message: `Protocol ${p.protocol} has no ports; ports work with TCP, UDP, SCTP, DCCP and UDP-Lite.` };
    case 'port-zero':
      return { field: END_FIELD[p.end], message: 'Port 0 is not valid; ports run from 1 to 65535.' };
    case 'one-sided':
      return { field: END_FIELD[p.missing], message: 'Give both ends of the port range (or neither, for all ports).' };
    case 'reversed':
      return { field: 'portRangeMax', message: `The port range ends (${p.max}) before it starts (${p.min}).` };
    case 'icmp-out-of-range':
      return { field: END_FIELD[p.end], message: `ICMP ${p.end === 'min' ? 'type' : 'code'} must be a whole number from 0 to 255, not '${p.value}'.` };
    case 'icmp-type-missing':
      return { field: 'portRangeMin', message: `ICMP code ${p.code} is given but the ICMP type is missing.` };
  }
}

function checkPorts(fields: RuleFields, protocol: string | null, protocolOk: boolean, issues: RuleIssue[]): [number | null, number | null] {
  const [minWhat, maxWhat, limit] = protocolMeaning(protocol).hasIcmpTypeCode ? ['ICMP type', 'ICMP code', '0 to 255'] : ['Port', 'Port', '1 to 65535'];
  const min = checkNumber(fields.portRangeMin, 'portRangeMin', limit, minWhat, issues);
  const max = checkNumber(fields.portRangeMax, 'portRangeMax', limit, maxWhat, issues);
  if ((min === null && max === null) || !protocolOk) return [min, max];
  const problem = portRangeProblem(protocol, canonicalPortRange({ min, max }));
  if (problem) issues.push(portIssue(problem));
  return [min, max];
}

function checkRemote(fields: RuleFields, ethertype: 'IPv4' | 'IPv6', ctx: RuleCheckContext, issues: RuleIssue[]): [string | null, string | null] {
  const prefix = fields.remoteIpPrefix.trim();
  const group = fields.remoteGroup.trim();
  if (prefix !== '' && group !== '') {
    issues.push({ field: 'remoteGroup', message: 'Give either a remote CIDR or a remote group, not both.' });
    return [null, null];
  }
  if (group !== '') {
    const found = ctx.resolveGroup(group);
    if ('error' in found) issues.push({ field: 'remoteGroup', message: found.error });
    return [null, 'id' in found ? found.id : null];
  }
  if (prefix === '') return [null, null];
  const cidr = parseCidr(prefix);
  if (!cidr) issues.push({ field: 'remoteIpPrefix', message: `'${prefix}' is not an IP address or CIDR.` });
  else if (prefixConflictsWithEtherType(ethertype, cidr)) issues.push({ field: 'remoteIpPrefix', message: `${prefix} is an IPv${cidr.version} prefix but the ether type is ${ethertype}.` });
  return [cidr?.text ?? null, null];
}

/** Collects every issue of the rule, not just the first; the body is built only when there are none. */
export function checkRule(fields: RuleFields, ctx: RuleCheckContext): RuleCheck {
  const issues: RuleIssue[] = [];
  const direction = checkDirection(fields.direction, issues);
  const ethertype = checkEthertype(fields.ethertype, issues);
  const before = issues.length;
  const protocol = checkProtocol(fields.protocol, ethertype, issues);
  const [min, max] = checkPorts(fields, protocol, issues.length === before, issues);
  const [prefix, groupId] = checkRemote(fields, ethertype, ctx, issues);
  if (fields.description.length > 255) issues.push({ field: 'description', message: 'The description is longer than 255 characters.' });
  if (issues.length > 0) return { ok: false, issues };
  return {
    ok: true,
    body: {
      security_group_id: ctx.securityGroupId, direction, ethertype, protocol,
      port_range_min: min, port_range_max: max, remote_ip_prefix: prefix, remote_group_id: groupId, description: fields.description,
    },
  };
}

/** Neutron's identity of a rule (neutron-api.md §7.4), as the server computes it, to find duplicates inside one upload. */
export function ruleKey(b: RuleBody): string {
  const ports = canonicalPortRange({ min: b.port_range_min, max: b.port_range_max });
  const cidr = b.remote_ip_prefix === null ? null : tryParseCidr(b.remote_ip_prefix);
  return ruleIdentity(b.security_group_id, {
    direction: b.direction, etherType: b.ethertype, protocol: b.protocol, portRangeMin: ports.min, portRangeMax: ports.max,
    remoteIpPrefix: cidr ? formatCidr(cidr) : b.remote_ip_prefix, remoteGroupId: b.remote_group_id, remoteAddressGroupId: null,
  });
}
