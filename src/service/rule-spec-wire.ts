// A rule's spec in Neutron wire form: shared by the rule endpoints (api) and the analysis answers (built in the worker).
import type { RuleSpecWire } from '../contract/index.js';
import { normalizedCidrOf, type RuleSpec } from '../domain/index.js';

/** What a rule says, in wire form (no identity or owner): shared by rules and the engine's answers. */
export function ruleSpecToWire(rule: RuleSpec): RuleSpecWire {
  return {
    direction: rule.direction,
    ethertype: rule.etherType,
    protocol: rule.protocol,
    port_range_min: rule.portRangeMin,
    port_range_max: rule.portRangeMax,
    remote_ip_prefix: rule.remoteIpPrefix,
    normalized_cidr: normalizedCidrOf(rule),
    remote_group_id: rule.remoteGroupId,
    remote_address_group_id: rule.remoteAddressGroupId,
    description: rule.description,
  };
}
