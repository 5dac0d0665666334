// Per-port chains: anti-spoofing and the traffic Neutron always allows or denies (spec §10.2, §10.3), then the groups.
import type { ModelPort } from './agent-model.js';
import { formatPrefix, linkLocalOf, outermost, type Prefix } from './ip-prefix.js';
import { idPart } from './nft-state.js';

export const portChainName = (portId: string, direction: 'ingress' | 'egress'): string => `p${direction === 'ingress' ? 'i' : 'e'}_${idPart(portId)}`;

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

const GUARDS = new WeakMap<ModelPort, { egress: string[]; ingress: string[] }>();

/** Port chains are rebuilt on every commit; the guard lines only change with the port object (memoised). */
function guardsOf(port: ModelPort): { egress: string[]; ingress: string[] } {
  let g = GUARDS.get(port);
  if (!g) {
    g = { egress: egressGuards(port), ingress: ingressGuards(port) };
    GUARDS.set(port, g);
  }
  return g;
}

export function egressPortRules(port: ModelPort, groupChains: readonly string[]): string[] {
  return [...guardsOf(port).egress, ...groupChains.map((c) => `jump ${c}`), 'drop'];
}

export function ingressPortRules(port: ModelPort, groupChains: readonly string[]): string[] {
  return [...guardsOf(port).ingress, ...groupChains.map((c) => `jump ${c}`), 'drop'];
}

function egressGuards(port: ModelPort): string[] {
  const own = ownPrefixes(port);
  const macs = [...new Set([port.mac, ...port.pairs.map((p) => p.mac)])];
  return [
    `ether saddr != ${list(macs)} drop`,
    'ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 accept',
    'ip6 saddr :: ip6 daddr ff02::/16 icmpv6 type { 131, 135, 143 } accept',
    sourceCheck(own, 4),
    sourceCheck(own, 6),
    'meta nfproto ipv4 udp sport 67 udp dport 68 drop',
    'meta nfproto ipv4 udp sport 68 udp dport 67 accept',
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
