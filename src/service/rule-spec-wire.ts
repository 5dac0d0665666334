// A rule's spec in Neutron wire form: shared by the rule endpoints (api) and the analysis answers (built in the worker).
import type { RuleSpecWire } from '../contract/index.js';
import { normalizedCidrOf, type RuleSpec } from '../domain/index.js';

/** Distinct prefixes are few (the same 10.0.0.0/8 in every group): each is parsed once, not once per rule shown. */
const normalized = new Map<string | null, string | null>();
const NORMALIZED_KEPT = 10_000;

/** The wire's normalized_cidr of a rule, remembered per prefix. */
export function wireNormalizedCidr(rule: Pick<RuleSpec, 'remoteIpPrefix'>): string | null {
  const prefix = rule.remoteIpPrefix;
  const known = normalized.get(prefix);
  if (known !== undefined) return known;
  if (normalized.size >= NORMALIZED_KEPT) normalized.clear();
  const value = normalizedCidrOf(rule);
  normalized.set(prefix, value);
  return value;
}

/** What a rule says, in wire form (no identity or owner): shared by rules and the engine's answers. */
export function ruleSpecToWire(rule: RuleSpec): RuleSpecWire {
  return {
    direction: rule.direction,
    ethertype: rule.etherType,
    protocol: rule.protocol,
    port_range_min: rule.portRangeMin,
    port_range_max: rule.portRangeMax,
    remote_ip_prefix: rule.remoteIpPrefix,
    normalized_cidr: wireNormalizedCidr(rule),
    remote_group_id: rule.remoteGroupId,
    remote_address_group_id: rule.remoteAddressGroupId,
    description: rule.description,
  };
}
