// An instance's effective rules: the union of its ports' groups' rules, each with the group it comes from.
import type { PortWire, SecurityGroupRuleWire, SecurityGroupWire } from '../api/wire/neutron-wire.js';
import { ruleKey } from './rule-check.js';

export interface EffectiveRule {
  readonly rule: SecurityGroupRuleWire;
  /** Names of every group on the port holding this same rule (spec §7.4 identity); the first one is shown. */
  readonly origins: readonly string[];
}

export interface PortPolicy {
  readonly port: PortWire;
  /** False: port security is off, nothing is filtered (spec §10.1). */
  readonly filtered: boolean;
  readonly rules: readonly EffectiveRule[];
  /** Group ids on the port that the caller cannot read. */
  readonly missingGroups: readonly string[];
}

const DIRECTION_ORDER = { ingress: 0, egress: 1 } as const;

function keyOf(r: SecurityGroupRuleWire): string {
  return ruleKey({ ...r, security_group_id: '' });
}

/** Merges the rules of the port's groups; identical rules from several groups appear once with every origin. */
export function portPolicy(port: PortWire, groups: ReadonlyMap<string, SecurityGroupWire>): PortPolicy {
  const merged = new Map<string, { rule: SecurityGroupRuleWire; origins: string[] }>();
  const missing: string[] = [];
  for (const id of port.security_groups) {
    const group = groups.get(id);
    if (!group) {
      missing.push(id);
      continue;
    }
    for (const rule of group.security_group_rules ?? []) {
      const key = keyOf(rule);
      const entry = merged.get(key);
      if (entry) entry.origins.push(group.name || group.id);
      else merged.set(key, { rule, origins: [group.name || group.id] });
    }
  }
  const rules = [...merged.values()].sort(
    (a, b) => DIRECTION_ORDER[a.rule.direction] - DIRECTION_ORDER[b.rule.direction] || a.rule.ethertype.localeCompare(b.rule.ethertype) ||
      (a.rule.port_range_min ?? -1) - (b.rule.port_range_min ?? -1),
  );
  return { port, filtered: port.port_security_enabled, rules, missingGroups: missing };
}
