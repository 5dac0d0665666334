// Per-port chains: anti-spoofing and the traffic Neutron always allows or denies (spec §10.2, §10.3), then the groups.
import type { ModelPort } from './agent-model.js';
import { formatPrefix, linkLocalOf, outermost, type Prefix } from './ip-prefix.js';
import { idPart } from './nft-state.js';

export const portChainName = (portId: string, direction: 'ingress' | 'egress'): string => `p${direction === 'ingress' ? 'i' : 'e'}_${idPart(portId)}`;

/** The port's IPv6 egress guards, jumped to from its egress chain so IPv4 packets never walk them. */
export const egressV6ChainName = (portId: string): string => `p6_${idPart(portId)}`;

/** The host-side interface of a port: Neutron's `tap` + the id's first 11 characters. */
export function interfaceOf(portId: string, prefix = 'tap'): string {
  return `${prefix}${portId.slice(0, 15 - prefix.length)}`;
}

const list = (items: readonly string[]): string => `{ ${items.join(', ')} }`;

/** Addresses egress may come from: fixed IPs, address pairs, EUI-64 link-locals of the port's MACs. */
export function ownPrefixes(port: ModelPort): Prefix[] {
  const macs = [...new Set([port.mac, ...port.pairs.map((p) => p.mac)])];
  const linkLocals = macs.map(linkLocalOf).filter((p): p is Prefix => p !== null);
  return outermost([...port.fixedIps, ...port.pairs.map((p) => p.prefix), ...linkLocals]);
}

function sourceCheck(own: readonly Prefix[], version: 4 | 6): string {
  const mine = own.filter((p) => p.version === version).map(formatPrefix);
  const ip = version === 4 ? 'ip' : 'ip6';
  return mine.length === 0 ? `meta nfproto ipv${version} drop` : `${ip} saddr != ${list(mine)} drop`;
}

interface Guards {
  readonly egress: string[];
  readonly egressV6: string[];
  readonly ingress: string[];
}

const GUARDS = new WeakMap<ModelPort, Guards>();

/** Port chains are rebuilt on every commit; the guard lines only change with the port object (memoised). */
function guardsOf(port: ModelPort): Guards {
  let g = GUARDS.get(port);
  if (!g) {
    const own = ownPrefixes(port);
    g = { egress: egressGuards(port, own), egressV6: egressV6Guards(own), ingress: ingressGuards(port) };
    GUARDS.set(port, g);
  }
  return g;
}

/** The egress guards for IPv6 (chain `p6_<port>`): they accept or drop, else return to the port's chain. */
export function egressV6Rules(port: ModelPort): string[] {
  return guardsOf(port).egressV6;
}

export function egressPortRules(port: ModelPort, groupChains: readonly string[]): string[] {
  return [...guardsOf(port).egress, ...groupChains.map((c) => `jump ${c}`), 'drop'];
}

export function ingressPortRules(port: ModelPort, groupChains: readonly string[]): string[] {
  return [...guardsOf(port).ingress, ...groupChains.map((c) => `jump ${c}`), 'drop'];
}

/**
 * MAC check, then IPv6 to its own chain, then the IPv4 guards: a new IPv4 flow meets six rules before its
 * groups instead of eleven. The families' rules are disjoint, so their order relative to each other is free;
 * within a family it is as before (the unspecified-source exceptions before the source check, the DHCP
 * server and RA drops before the client allowances).
 */
function egressGuards(port: ModelPort, own: readonly Prefix[]): string[] {
  const macs = [...new Set([port.mac, ...port.pairs.map((p) => p.mac)])];
  return [
    `ether saddr != ${list(macs)} drop`,
    `meta nfproto ipv6 jump ${egressV6ChainName(port.id)}`,
    'ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 accept',
    sourceCheck(own, 4),
    'meta nfproto ipv4 udp sport 67 udp dport 68 drop',
    'meta nfproto ipv4 udp sport 68 udp dport 67 accept',
  ];
}

function egressV6Guards(own: readonly Prefix[]): string[] {
  return [
    'ip6 saddr :: ip6 daddr ff02::/16 icmpv6 type { 131, 135, 143 } accept',
    sourceCheck(own, 6),
    'meta nfproto ipv6 udp sport 547 udp dport 546 drop',
    'icmpv6 type 134 drop',
    'meta nfproto ipv6 udp sport 546 udp dport 547 accept',
    'icmpv6 type { 130, 133, 135, 136 } accept',
  ];
}

function ingressGuards(port: ModelPort): string[] {
  const fixed4 = port.fixedIps.filter((p) => p.version === 4).map(formatPrefix);
  const fixed6 = port.fixedIps.filter((p) => p.version === 6).map(formatPrefix);
  const nd = ['130', '135', '136', ...(fixed6.length > 0 ? ['134'] : [])];
  return [
    `udp sport 67 udp dport 68 ip daddr ${list([...fixed4, '255.255.255.255'])} accept`,
    `udp sport 547 udp dport 546 ip6 daddr ${list(['fe80::/64', ...fixed6.filter((a) => !a.startsWith('fe80:'))])} accept`,
    `icmpv6 type ${list(nd)} accept`,
  ];
}
