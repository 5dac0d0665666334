// IP protocols as the agent enforces them: name → number, and whether a rule's range means ports or ICMP type/code.

/** How a protocol's rules read port_range_min/max. */
export type RangeKind = 'ports' | 'icmp' | 'none';

export interface ProtocolMatch {
  /** IP protocol number, or null for every protocol (null, "0", "ip", "hopopt", "any"). */
  readonly number: number | null;
  readonly range: RangeKind;
}

const NUMBERS: Readonly<Record<string, number>> = {
  hopopt: 0, ip: 0, icmp: 1, igmp: 2, ipip: 4, tcp: 6, egp: 8, udp: 17, dccp: 33, 'ipv6-encap': 41,
  'ipv6-route': 43, 'ipv6-frag': 44, rsvp: 46, gre: 47, esp: 50, ah: 51, 'ipv6-icmp': 58, icmpv6: 58,
  'ipv6-nonxt': 59, 'ipv6-opts': 60, ospf: 89, vrrp: 112, pgm: 113, sctp: 132, udplite: 136,
};

/** Protocols whose rules carry L4 destination ports (the domain's PROTOCOLS table, hasPorts). */
const PORT_PROTOCOLS: ReadonlySet<number> = new Set([6, 17, 33, 132, 136]);
const ICMP_PROTOCOLS: ReadonlySet<number> = new Set([1, 58]);

export function rangeKindOf(number: number): RangeKind {
  return PORT_PROTOCOLS.has(number) ? 'ports' : ICMP_PROTOCOLS.has(number) ? 'icmp' : 'none';
}

/** The match a rule's wire protocol stands for; throws on a value the API would never send. */
export function protocolMatchOf(protocol: string | null): ProtocolMatch {
  if (protocol === null || protocol.toLowerCase() === 'any') return { number: null, range: 'none' };
  const lower = protocol.toLowerCase();
  const number = /^\d{1,3}$/.test(lower) ? Number(lower) : NUMBERS[lower];
  if (number === undefined || number > 255) throw new RangeError(`unknown protocol ${JSON.stringify(protocol)}`);
  return number === 0 ? { number: null, range: 'none' } : { number, range: rangeKindOf(number) };
}
