// How a rule reads in the CLI's tables and plans: `ingress IPv4 tcp 22-23 from 10.0.0.0/8`.
import { protocolLabel, protocolMeaning, type SecurityGroupRuleWire } from '../contract/index.js';

export type RuleText = Pick<SecurityGroupRuleWire, 'direction' | 'ethertype' | 'protocol' | 'port_range_min' | 'port_range_max' | 'remote_ip_prefix' | 'remote_group_id'>
  & { remote_group_name?: string | null; description?: string };

/** `22`, `22-23`, `type 8 code 0`, or '' for every port. */
export function portText(rule: Pick<RuleText, 'protocol' | 'port_range_min' | 'port_range_max'>): string {
  const { port_range_min: min, port_range_max: max } = rule;
  if (protocolMeaning(rule.protocol).hasIcmpTypeCode) return min === null ? '' : max === null ? `type ${min}` : `type ${min} code ${max}`;
  if (min === null && max === null) return '';
  return min === max ? String(min) : `${min}-${max}`;
}

/** The remote: a CIDR, `group NAME` (by name when `names` knows the id), or `any`. */
export function remoteText(rule: RuleText, names: ReadonlyMap<string, string> = new Map()): string {
  if (rule.remote_group_name) return `group ${rule.remote_group_name}`;
  if (rule.remote_group_id) return `group ${names.get(rule.remote_group_id) ?? rule.remote_group_id}`;
  return rule.remote_ip_prefix ?? 'any';
}

/** One line: direction, ether type, protocol and ports, remote, description. */
export function ruleText(rule: RuleText, names?: ReadonlyMap<string, string>): string {
  const ports = portText(rule);
  const remote = remoteText(rule, names);
  const words = [rule.direction, rule.ethertype, protocolLabel(rule.protocol === null ? null : String(rule.protocol)), ports, rule.direction === 'ingress' ? `from ${remote}` : `to ${remote}`];
  const text = words.filter((w) => w !== '').join(' ');
  return rule.description ? `${text} (${rule.description})` : text;
}
