// IP protocols: the one table the server, the agent and the console read (names, numbers, labels, what a rule's range means).

export interface ProtocolInfo {
  readonly name: string;
  readonly number: number;
  /** How people read the name in tables and forms. */
  readonly label: string;
  /** L4 protocols whose rules may carry a port range (TCP, UDP, SCTP, DCCP, UDP-Lite). */
  readonly hasPorts: boolean;
  /** ICMP or ICMPv6: port_range_min/max hold type/code. */
  readonly hasIcmpTypeCode: boolean;
  /** IPv6-only protocols are refused on IPv4 rules. */
  readonly ipv6Only: boolean;
}

function proto(name: string, number: number, label: string, flags: Partial<Pick<ProtocolInfo, 'hasPorts' | 'hasIcmpTypeCode' | 'ipv6Only'>> = {}): ProtocolInfo {
  return { name, number, label, hasPorts: false, hasIcmpTypeCode: false, ipv6Only: false, ...flags };
}

/** IANA numbers of the names Neutron accepts, in the order its error message lists them. `icmpv6` is an alias. */
export const PROTOCOLS: readonly ProtocolInfo[] = [
  proto('ah', 51, 'AH'),
  proto('dccp', 33, 'DCCP', { hasPorts: true }),
  proto('egp', 8, 'EGP'),
  proto('esp', 50, 'ESP'),
  proto('gre', 47, 'GRE'),
  proto('hopopt', 0, 'HOPOPT'),
  proto('icmp', 1, 'ICMP', { hasIcmpTypeCode: true }),
  proto('igmp', 2, 'IGMP'),
  proto('ip', 0, 'IP'),
  proto('ipip', 4, 'IP-in-IP'),
  proto('ipv6-encap', 41, 'IPv6-encap', { ipv6Only: true }),
  proto('ipv6-frag', 44, 'IPv6-frag', { ipv6Only: true }),
  proto('ipv6-icmp', 58, 'ICMPv6', { hasIcmpTypeCode: true, ipv6Only: true }),
  proto('icmpv6', 58, 'ICMPv6', { hasIcmpTypeCode: true, ipv6Only: true }),
  proto('ipv6-nonxt', 59, 'IPv6-nonxt', { ipv6Only: true }),
  proto('ipv6-opts', 60, 'IPv6-opts', { ipv6Only: true }),
  proto('ipv6-route', 43, 'IPv6-route', { ipv6Only: true }),
  proto('ospf', 89, 'OSPF'),
  proto('pgm', 113, 'PGM'),
  proto('rsvp', 46, 'RSVP'),
  proto('sctp', 132, 'SCTP', { hasPorts: true }),
  proto('tcp', 6, 'TCP', { hasPorts: true }),
  proto('udp', 17, 'UDP', { hasPorts: true }),
  proto('udplite', 136, 'UDP-Lite', { hasPorts: true }),
  proto('vrrp', 112, 'VRRP'),
];

export const PROTOCOL_NAMES: readonly string[] = PROTOCOLS.map((p) => p.name);

const BY_NAME = new Map(PROTOCOLS.map((p) => [p.name, p]));
/** Canonical entry per number: the first name listed (58 is ipv6-icmp); 0 has none, it means every protocol. */
const BY_NUMBER = new Map<number, ProtocolInfo>();
for (const p of PROTOCOLS) if (!BY_NUMBER.has(p.number) && p.number !== 0) BY_NUMBER.set(p.number, p);

/** The names a form offers, most used first; `ip`/`hopopt` (0) and the `icmpv6` alias are left out. */
export const FORM_PROTOCOLS: readonly ProtocolInfo[] = [
  'tcp', 'udp', 'icmp', 'ipv6-icmp', 'sctp', 'dccp', 'udplite', 'gre', 'esp', 'ah', 'vrrp', 'ospf', 'igmp', 'ipip', 'egp',
  'rsvp', 'pgm', 'ipv6-encap', 'ipv6-frag', 'ipv6-route', 'ipv6-nonxt', 'ipv6-opts',
].map((name) => BY_NAME.get(name)!);

/** What a protocol value means: null, "", "any", "0", "ip" and "hopopt" are every protocol. */
export interface ProtocolMeaning {
  /** IP protocol number, null for every protocol, NaN for a name nobody knows. */
  readonly number: number | null;
  /** The table's entry, when the value is a known name or a number that has one. */
  readonly info: ProtocolInfo | undefined;
  readonly hasPorts: boolean;
  readonly hasIcmpTypeCode: boolean;
  readonly ipv6Only: boolean;
}

const ANY: ProtocolMeaning = { number: null, info: undefined, hasPorts: false, hasIcmpTypeCode: false, ipv6Only: false };

/** The meaning of a protocol value, as stored, sent on the wire or typed (case and surrounding blanks ignored). */
export function protocolMeaning(protocol: string | null): ProtocolMeaning {
  const v = (protocol ?? '').trim().toLowerCase();
  if (v === '' || v === 'any') return ANY;
  const named = BY_NAME.get(v);
  const number = named ? named.number : /^[0-9]+$/.test(v) ? Number(v) : NaN;
  if (number === 0) return ANY;
  const info = named ?? BY_NUMBER.get(number);
  return { number, info, hasPorts: info?.hasPorts ?? false, hasIcmpTypeCode: info?.hasIcmpTypeCode ?? false, ipv6Only: info?.ipv6Only ?? false };
}

/** How a protocol's rules read port_range_min/max. */
export type RangeKind = 'ports' | 'icmp' | 'none';

export function rangeKindOf(meaning: ProtocolMeaning): RangeKind {
  return meaning.hasIcmpTypeCode ? 'icmp' : meaning.hasPorts ? 'ports' : 'none';
}

/** IANA name for a number when Neutron knows one, else the number as a string; "any" for every protocol. */
export function protocolLabel(protocol: string | null): string {
  const m = protocolMeaning(protocol);
  if (m.number === null) return 'any';
  return BY_NUMBER.get(m.number)?.name ?? String(m.number);
}

/** Identity used for duplicate detection: `tcp` ≡ `6`; null ≢ `"0"`. */
export function protocolIdentity(protocol: string | null): string {
  if (protocol === null) return 'null';
  const named = BY_NAME.get(protocol);
  return named ? String(named.number) : protocol;
}

function normalForm(value: unknown): string | null | undefined {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isInteger(value) && value >= 0 && value <= 255 ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const lower = value.toLowerCase();
  if (lower === 'any') return null;
  if (/^[0-9]{1,3}$/.test(value)) return Number(value) <= 255 ? String(Number(value)) : undefined;
  return BY_NAME.has(lower) ? lower : undefined;
}

/**
 * A rule's protocol as Neutron normalises it: names lower-cased, numbers kept as decimal strings,
 * `any` (any case) and null mean every protocol (null), `"0"` is kept, IPv6 turns ICMP into ICMPv6.
 * Undefined when Neutron refuses the value.
 */
export function normalizeProtocol(value: unknown, etherType: 'IPv4' | 'IPv6'): string | null | undefined {
  const normal = normalForm(value);
  if (etherType !== 'IPv6' || normal === null || normal === undefined) return normal;
  return normal === 'icmp' || normal === 'icmpv6' ? 'ipv6-icmp' : normal === '1' ? '58' : normal;
}
