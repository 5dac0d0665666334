// A port's effective policy: the union of its groups' rules, duplicates merged (domain identity, group left out).
import { ruleIdentity, type RuleSpec } from '../domain/index.js';
import type { EngineState, PortEntry } from './engine-state.js';
import { groupNameOf, isStateful } from './explain.js';
import { MODE_PORT_SECURITY_DISABLED, MODE_TRUSTED } from './port-profile.js';

export interface RuleOrigin {
  readonly ruleId: string;
  readonly groupId: string;
  readonly groupName: string;
}

/** One distinct rule of the port's policy and every group rule it stands for. */
export interface EffectiveRule {
  readonly rule: RuleSpec;
  readonly origins: readonly RuleOrigin[];
}

export interface EffectivePolicy {
  readonly portId: string;
  /** `filtered`, or why nothing is filtered. */
  readonly filtering: 'filtered' | 'port-security-disabled' | 'trusted-port';
  readonly groupIds: readonly string[];
  readonly stateful: boolean;
  readonly rules: readonly EffectiveRule[];
}

function specOf(rule: RuleSpec): RuleSpec {
  const { direction, etherType, protocol, portRangeMin, portRangeMax, remoteIpPrefix, remoteGroupId, remoteAddressGroupId, description } = rule;
  return { direction, etherType, protocol, portRangeMin, portRangeMax, remoteIpPrefix, remoteGroupId, remoteAddressGroupId, description };
}

export function effectivePolicyOf(state: EngineState, entry: PortEntry): EffectivePolicy {
  const byIdentity = new Map<string, { rule: RuleSpec; origins: RuleOrigin[] }>();
  for (const compiled of state.rulesOf(entry.profile)) {
    const rule = compiled.rule;
    const identity = ruleIdentity('', rule);
    const origin = { ruleId: rule.id, groupId: rule.securityGroupId, groupName: groupNameOf(state, rule.securityGroupId) };
    const merged = byIdentity.get(identity);
    if (merged === undefined) byIdentity.set(identity, { rule: specOf(rule), origins: [origin] });
    else merged.origins.push(origin);
  }
  const sorted = [...byIdentity.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v);
  const mode = entry.profile.mode;
  return {
    portId: entry.profile.port.id,
    filtering: mode === MODE_PORT_SECURITY_DISABLED ? 'port-security-disabled' : mode === MODE_TRUSTED ? 'trusted-port' : 'filtered',
    groupIds: entry.profile.groupOrder,
    stateful: isStateful(state, entry),
    rules: sorted,
  };
}
