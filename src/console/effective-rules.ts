// An instance port's effective rules: the union of its groups' rules, each with the groups it comes from.
import type { EffectiveRulesWire, PortWire, SecurityGroupRuleWire, SecurityGroupWire } from '../contract/index.js';
import { ruleKey } from './rule-check.js';
import { compareRules, type RuleView } from './rule-format.js';

export interface EffectiveRule {
  readonly key: string;
  readonly rule: RuleView & { readonly description: string };
  /** Names of every group on the port holding this same rule (neutron-api.md §7.4 identity). */
  readonly origins: readonly string[];
}

export interface PortPolicy {
  /** False: port security is off (or a trusted service port), nothing is filtered (neutron-api.md §10.1). */
  readonly filtered: boolean;
  readonly rules: readonly EffectiveRule[];
  /** Group ids on the port that the caller cannot read (console merge only). */
  readonly missingGroups: readonly string[];
  /** Who merged the rules: the engine API, or the console from Neutron objects when the engine API is absent. */
  readonly source: 'engine' | 'console';
}

function keyOf(r: SecurityGroupRuleWire): string {
  return ruleKey({ ...r, security_group_id: '' });
}

/** The console's own merge from the Neutron API, for servers without /v2.0/palisade/ports/{id}/effective-rules. */
export function portPolicy(port: PortWire, groups: ReadonlyMap<string, SecurityGroupWire>): PortPolicy {
  const merged = new Map<string, { key: string; rule: SecurityGroupRuleWire; origins: string[] }>();
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
      else merged.set(key, { key, rule, origins: [group.name || group.id] });
    }
  }
  const rules = [...merged.values()].sort((a, b) => compareRules(a.rule, b.rule));
  return { filtered: port.port_security_enabled, rules, missingGroups: missing, source: 'console' };
}

/** The engine's answer in the same shape. */
export function enginePolicy(wire: EffectiveRulesWire): PortPolicy {
  const rules = wire.rules
    .map((r) => {
      const { origins, ...rule } = r;
      return { key: origins.map((o) => o.rule_id).join('+'), rule, origins: origins.map((o) => o.group_name || o.group_id) };
    })
    .sort((a, b) => compareRules(a.rule, b.rule));
  return { filtered: wire.filtering === 'filtered', rules, missingGroups: [], source: 'engine' };
}
