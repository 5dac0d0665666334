// Neutron's identity of a rule: two rules of a group are duplicates iff these keys are equal (neutron-api.md §7.4).
// The server stores it with every rule; a client computes the same key to find duplicates before it sends them.
import { protocolIdentity } from './protocol-table.js';

/** The fields of a normalised rule spec that make up its identity. */
export interface RuleIdentityFields {
  readonly direction: string;
  readonly etherType: string;
  /** Normalised protocol (`"tcp"`, `"17"`, `"0"`); null = every protocol. */
  readonly protocol: string | null;
  readonly portRangeMin: number | null;
  readonly portRangeMax: number | null;
  /** CIDR with host bits kept and a mask always present, e.g. `10.0.0.34/24`. */
  readonly remoteIpPrefix: string | null;
  readonly remoteGroupId: string | null;
  readonly remoteAddressGroupId: string | null;
}

function prefixIdentity(prefix: string | null): string {
  return prefix === null || prefix === '0.0.0.0/0' || prefix === '::/0' ? 'any' : prefix;
}

/** The identity key of a rule of a group; the key is stored, so its format never changes. */
export function ruleIdentity(securityGroupId: string, rule: RuleIdentityFields): string {
  return [
    securityGroupId,
    rule.direction,
    rule.etherType,
    protocolIdentity(rule.protocol),
    rule.portRangeMin ?? 'null',
    rule.portRangeMax ?? 'null',
    rule.remoteGroupId ?? 'null',
    rule.remoteAddressGroupId ?? 'null',
    prefixIdentity(rule.remoteIpPrefix),
  ].join('|');
}
