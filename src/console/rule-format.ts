// How a rule reads in tables and exports: protocol, ports or ICMP type/code, remote.
import type { SecurityGroupRuleWire } from '../contract/index.js';
import { protocolMeaning } from '../contract/index.js';

export type RuleView = Pick<
  SecurityGroupRuleWire,
  'direction' | 'ethertype' | 'protocol' | 'port_range_min' | 'port_range_max' | 'remote_ip_prefix' | 'remote_group_id'
> & Partial<Pick<SecurityGroupRuleWire, 'remote_address_group_id'>>;

/** `null` → "All protocols"; `"0"` is shown the same way, since Palisade enforces protocol 0 as any (neutron-api.md §7.1). */
export function protocolLabel(protocol: string | null): string {
  if (protocol === null) return 'All protocols';
  if (protocol === '0') return 'All protocols (0)';
  const meaning = protocolMeaning(protocol);
  if (!meaning.info) return `Protocol ${protocol}`;
  return /^[0-9]+$/.test(protocol) ? `${meaning.info.label} (${protocol})` : meaning.info.label;
}

function rangeLabel(min: number | null, max: number | null): string {
  if (min === null && max === null) return 'All';
  if (min === max || max === null) return String(min);
  return `${min ?? '?'}–${max}`;
}

function icmpLabel(type: number | null, code: number | null): string {
  if (type === null) return 'All types';
  return code === null ? `Type ${type}, any code` : `Type ${type}, code ${code}`;
}

/** Ports for TCP-like protocols, type/code for ICMP, "All" when the protocol has neither. */
export function portLabel(rule: Pick<RuleView, 'protocol' | 'port_range_min' | 'port_range_max'>): string {
  const meaning = protocolMeaning(rule.protocol);
  if (meaning.hasIcmpTypeCode) return icmpLabel(rule.port_range_min, rule.port_range_max);
  if (meaning.hasPorts) return rangeLabel(rule.port_range_min, rule.port_range_max);
  return rule.port_range_min === null && rule.port_range_max === null ? 'All' : rangeLabel(rule.port_range_min, rule.port_range_max);
}

/** The remote: a CIDR, a group by name, or "Anywhere" when the rule names none. */
export function remoteLabel(rule: RuleView, groupName: (id: string) => string | undefined): string {
  if (rule.remote_group_id) return `Group ${groupName(rule.remote_group_id) ?? rule.remote_group_id}`;
  if (rule.remote_address_group_id) return `Address group ${rule.remote_address_group_id}`;
  if (rule.remote_ip_prefix === null) return rule.ethertype === 'IPv4' ? 'Anywhere (0.0.0.0/0)' : 'Anywhere (::/0)';
  if (rule.remote_ip_prefix === '0.0.0.0/0' || rule.remote_ip_prefix === '::/0') return `Anywhere (${rule.remote_ip_prefix})`;
  return rule.remote_ip_prefix;
}

export function directionLabel(direction: 'ingress' | 'egress'): string {
  return direction === 'ingress' ? 'Ingress' : 'Egress';
}

/** One line a person can read: "Ingress IPv4 TCP 22 from Anywhere (0.0.0.0/0)". */
export function ruleSummary(rule: RuleView, groupName: (id: string) => string | undefined): string {
  const ports = portLabel(rule);
  const where = rule.direction === 'ingress' ? 'from' : 'to';
  const portPart = ports === 'All' ? '' : ` ${ports}`;
  return `${directionLabel(rule.direction)} ${rule.ethertype} ${protocolLabel(rule.protocol)}${portPart} ${where} ${remoteLabel(rule, groupName)}`;
}

/** Free-text filter over every visible column of a rule. */
export function ruleMatchesText(rule: RuleView & { description?: string }, text: string, groupName: (id: string) => string | undefined): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  const hay = [ruleSummary(rule, groupName), rule.protocol ?? 'any', rule.remote_ip_prefix ?? '', rule.description ?? ''].join(' ').toLowerCase();
  return needle.split(/\s+/).every((word) => hay.includes(word));
}

const DIRECTION_ORDER = { ingress: 0, egress: 1 } as const;

/** Table order: ingress first, then IPv4 before IPv6, then protocol and lowest port. */
export function compareRules(a: RuleView, b: RuleView): number {
  return (
    DIRECTION_ORDER[a.direction] - DIRECTION_ORDER[b.direction] ||
    a.ethertype.localeCompare(b.ethertype) ||
    (a.protocol ?? '').localeCompare(b.protocol ?? '') ||
    (a.port_range_min ?? -1) - (b.port_range_min ?? -1) ||
    (a.remote_ip_prefix ?? '').localeCompare(b.remote_ip_prefix ?? '')
  );
}
