// IP protocols: the table every layer reads, and the parser that normalises rule protocols (neutron-api.md §7.1).
import type { EtherType } from './ether-type.js';
import { InvalidInputError } from './errors.js';
import { shown } from './text-attribute.js';

export interface ProtocolInfo {
  readonly name: string;
  readonly number: number;
  /** L4 protocols whose rules may carry a port range (TCP, UDP, SCTP, DCCP, UDP-Lite). */
  readonly hasPorts: boolean;
  /** ICMP or ICMPv6: port_range_min/max hold type/code. */
  readonly hasIcmpTypeCode: boolean;
  /** IPv6-only protocols are refused on IPv4 rules (S19). */
  readonly ipv6Only: boolean;
}

function proto(name: string, number: number, flags: Partial<Omit<ProtocolInfo, 'name' | 'number'>> = {}): ProtocolInfo {
  return { name, number, hasPorts: false, hasIcmpTypeCode: false, ipv6Only: false, ...flags };
}

/** IANA numbers of the names Neutron accepts. `icmpv6` is an alias Neutron stores as given on input. */
export const PROTOCOLS: readonly ProtocolInfo[] = [
  proto('ah', 51),
  proto('dccp', 33, { hasPorts: true }),
  proto('egp', 8),
  proto('esp', 50),
  proto('gre', 47),
  proto('hopopt', 0),
  proto('icmp', 1, { hasIcmpTypeCode: true }),
  proto('igmp', 2),
  proto('ip', 0),
  proto('ipip', 4),
  proto('ipv6-encap', 41, { ipv6Only: true }),
  proto('ipv6-frag', 44, { ipv6Only: true }),
  proto('ipv6-icmp', 58, { hasIcmpTypeCode: true, ipv6Only: true }),
  proto('icmpv6', 58, { hasIcmpTypeCode: true, ipv6Only: true }),
  proto('ipv6-nonxt', 59, { ipv6Only: true }),
  proto('ipv6-opts', 60, { ipv6Only: true }),
  proto('ipv6-route', 43, { ipv6Only: true }),
  proto('ospf', 89),
  proto('pgm', 113),
  proto('rsvp', 46),
  proto('sctp', 132, { hasPorts: true }),
  proto('tcp', 6, { hasPorts: true }),
  proto('udp', 17, { hasPorts: true }),
  proto('udplite', 136, { hasPorts: true }),
  proto('vrrp', 112),
];

const BY_NAME = new Map(PROTOCOLS.map((p) => [p.name, p]));
/** Canonical entry per number (first name listed wins, except 58 which is ipv6-icmp). */
const BY_NUMBER = new Map<number, ProtocolInfo>();
for (const p of PROTOCOLS) if (!BY_NUMBER.has(p.number) && p.name !== 'hopopt' && p.name !== 'ip') BY_NUMBER.set(p.number, p);

export const PROTOCOL_NAMES: readonly string[] = PROTOCOLS.map((p) => p.name);

/** What a stored protocol value means: null and "0"/"ip"/"hopopt" are every protocol. */
export interface ProtocolMeaning {
  /** IP protocol number, or null for every protocol. */
  readonly number: number | null;
  readonly hasPorts: boolean;
  readonly hasIcmpTypeCode: boolean;
  readonly ipv6Only: boolean;
}

const ANY: ProtocolMeaning = { number: null, hasPorts: false, hasIcmpTypeCode: false, ipv6Only: false };

/** The meaning of a normalised protocol string (the value stored and returned on the wire). */
export function protocolMeaning(protocol: string | null): ProtocolMeaning {
  if (protocol === null) return ANY;
  const named = BY_NAME.get(protocol);
  const number = named ? named.number : Number(protocol);
  if (number === 0) return ANY;
  const known = named ?? BY_NUMBER.get(number);
  return known
    ? { number, hasPorts: known.hasPorts, hasIcmpTypeCode: known.hasIcmpTypeCode, ipv6Only: known.ipv6Only }
    : { number, hasPorts: false, hasIcmpTypeCode: false, ipv6Only: false };
}

/** IANA name for a number when Neutron knows one, else the number as a string. */
export function protocolLabel(protocol: string | null): string {
  const m = protocolMeaning(protocol);
  if (m.number === null) return 'any';
  return BY_NUMBER.get(m.number)?.name ?? String(m.number);
}

function invalidProtocol(value: unknown): InvalidInputError {
  return InvalidInputError.of(
    'SecurityGroupRuleInvalidProtocol',
    `Security group rule protocol ${shown(value)} not supported. Only protocol values [${PROTOCOL_NAMES.map((n) => `'${n}'`).join(', ')}, 'any'] and integer representations [0 to 255] are supported.`,
    'protocol',
  );
}

/**
 * Normalise a rule's protocol as Neutron does: names lower-cased, numbers kept as decimal strings,
 * `any` (any case) and null mean every protocol (null), `"0"` is kept. IPv6 turns ICMP into ICMPv6.
 */
export function parseProtocol(value: unknown, etherType: EtherType): string | null {
  if (value === null || value === undefined) return null;
  let normalised: string;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0 || value > 255) throw invalidProtocol(value);
    normalised = String(value);
  } else if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (lower === 'any') return null;
    if (/^[0-9]{1,3}$/.test(value)) {
      const n = Number(value);
      if (n > 255) throw invalidProtocol(value);
      normalised = String(n);
    } else if (BY_NAME.has(lower)) {
      normalised = lower;
    } else {
      throw invalidProtocol(value);
    }
  } else {
    throw invalidProtocol(value);
  }
  if (etherType === 'IPv6') {
    if (normalised === 'icmp' || normalised === 'icmpv6') return 'ipv6-icmp';
    if (normalised === '1') return '58';
  }
  return normalised;
}

/** Identity used for duplicate detection (§7.4): `tcp` ≡ `6`; null ≢ `"0"`. */
export function protocolIdentity(protocol: string | null): string {
  if (protocol === null) return 'null';
  const named = BY_NAME.get(protocol);
  return named ? String(named.number) : protocol;
}
