// The IP protocols the rule form offers, as data: which carry ports, which carry ICMP type/code (neutron-api.md §7.1).

export interface ProtocolOption {
  readonly name: string;
  readonly number: number;
  readonly label: string;
  readonly hasPorts: boolean;
  readonly hasIcmp: boolean;
  readonly ipv6Only: boolean;
}

function option(name: string, number: number, label: string, flags: Partial<Pick<ProtocolOption, 'hasPorts' | 'hasIcmp' | 'ipv6Only'>> = {}): ProtocolOption {
  return { name, number, label, hasPorts: false, hasIcmp: false, ipv6Only: false, ...flags };
}

/** The names Neutron accepts, most used first; `ip`/`hopopt` (0) are left out: "any" covers them. */
export const PROTOCOL_OPTIONS: readonly ProtocolOption[] = [
  option('tcp', 6, 'TCP', { hasPorts: true }),
  option('udp', 17, 'UDP', { hasPorts: true }),
  option('icmp', 1, 'ICMP', { hasIcmp: true }),
  option('ipv6-icmp', 58, 'ICMPv6', { hasIcmp: true, ipv6Only: true }),
  option('sctp', 132, 'SCTP', { hasPorts: true }),
  option('dccp', 33, 'DCCP', { hasPorts: true }),
  option('udplite', 136, 'UDP-Lite', { hasPorts: true }),
  option('gre', 47, 'GRE'),
  option('esp', 50, 'ESP'),
  option('ah', 51, 'AH'),
  option('vrrp', 112, 'VRRP'),
  option('ospf', 89, 'OSPF'),
  option('igmp', 2, 'IGMP'),
  option('ipip', 4, 'IP-in-IP'),
  option('egp', 8, 'EGP'),
  option('rsvp', 46, 'RSVP'),
  option('pgm', 113, 'PGM'),
  option('ipv6-encap', 41, 'IPv6-encap', { ipv6Only: true }),
  option('ipv6-frag', 44, 'IPv6-frag', { ipv6Only: true }),
  option('ipv6-route', 43, 'IPv6-route', { ipv6Only: true }),
  option('ipv6-nonxt', 59, 'IPv6-nonxt', { ipv6Only: true }),
  option('ipv6-opts', 60, 'IPv6-opts', { ipv6Only: true }),
];

const ALIASES: Readonly<Record<string, string>> = { icmpv6: 'ipv6-icmp', ip: '0', hopopt: '0' };

/** What a protocol value means for the form: null = every protocol ("any", "0", null, ""). */
export interface ProtocolMeaning {
  readonly number: number | null;
  readonly option: ProtocolOption | undefined;
  readonly hasPorts: boolean;
  readonly hasIcmp: boolean;
}

export function protocolMeaning(value: string | null): ProtocolMeaning {
  const raw = (value ?? '').trim().toLowerCase();
  const v = ALIASES[raw] ?? raw;
  if (v === '' || v === 'any' || v === '0') return { number: null, option: undefined, hasPorts: false, hasIcmp: false };
  const byName = PROTOCOL_OPTIONS.find((p) => p.name === v);
  const number = byName ? byName.number : /^[0-9]+$/.test(v) ? Number(v) : NaN;
  const option = byName ?? PROTOCOL_OPTIONS.find((p) => p.number === number);
  return { number, option, hasPorts: option?.hasPorts ?? false, hasIcmp: option?.hasIcmp ?? false };
}
