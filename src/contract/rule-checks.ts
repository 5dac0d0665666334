// What makes a rule spec meaningless whatever the store holds: protocol per ether type, ports, ICMP type/code, prefix family.
// The server words each problem as Neutron does; a client words it for people. Both decide with these functions.
import type { Cidr } from './ip-address.js';
import { protocolMeaning } from './protocol-table.js';

export type RuleEtherType = 'IPv4' | 'IPv6';

export interface PortRange {
  readonly min: number | null;
  readonly max: number | null;
}

/** Neutron turns 1–65535 into "all ports" before validating, whatever the protocol. */
export function canonicalPortRange(range: PortRange): PortRange {
  return range.min === 1 && range.max === 65535 ? { min: null, max: null } : range;
}

/** Why a port range does not fit its protocol; `end` names the bound at fault. */
export type PortRangeProblem =
  | { readonly kind: 'protocol-required' }
  | { readonly kind: 'no-ports'; readonly protocol: string }
  | { readonly kind: 'port-zero'; readonly end: 'min' | 'max' }
  | { readonly kind: 'one-sided'; readonly missing: 'min' | 'max' }
  | { readonly kind: 'reversed'; readonly min: number; readonly max: number }
  | { readonly kind: 'icmp-out-of-range'; readonly end: 'min' | 'max'; readonly value: number }
  | { readonly kind: 'icmp-type-missing'; readonly code: number };

/** The first problem of a (canonical) port range for a normalised protocol, in Neutron's order; null when it fits. */
export function portRangeProblem(protocol: string | null, range: PortRange): PortRangeProblem | null {
  const { min, max } = range;
  if (min === null && max === null) return null;
  if (protocol === null) return { kind: 'protocol-required' };
  const meaning = protocolMeaning(protocol);
  if (meaning.hasPorts) {
    if (min === 0 || max === 0) return { kind: 'port-zero', end: min === 0 ? 'min' : 'max' };
    if (min === null || max === null) return { kind: 'one-sided', missing: min === null ? 'min' : 'max' };
    return min <= max ? null : { kind: 'reversed', min, max };
  }
  if (meaning.hasIcmpTypeCode) return icmpProblem(min, max);
  return { kind: 'no-ports', protocol };
}

function icmpProblem(type: number | null, code: number | null): PortRangeProblem | null {
  for (const [end, value] of [['min', type], ['max', code]] as const) {
    if (value !== null && (value < 0 || value > 255)) return { kind: 'icmp-out-of-range', end, value };
  }
  return type === null && code !== null ? { kind: 'icmp-type-missing', code } : null;
}

/** IPv6-only protocols (ICMPv6, the IPv6 extension headers) on an IPv4 rule. */
export function protocolConflictsWithEtherType(etherType: RuleEtherType, protocol: string | null): boolean {
  return etherType === 'IPv4' && protocolMeaning(protocol).ipv6Only;
}

/** A remote prefix of the other address family than the rule's ether type. */
export function prefixConflictsWithEtherType(etherType: RuleEtherType, cidr: Pick<Cidr, 'version'> | null): boolean {
  return cidr !== null && `IPv${cidr.version}` !== etherType;
}
