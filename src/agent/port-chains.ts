// Per-port chains: anti-spoofing and the traffic Neutron always allows or denies (neutron-api.md §10.2, §10.3), then the groups.
import type { ModelPort } from './agent-model.js';
import { formatPrefix, linkLocalOf, outermost, type Prefix } from './ip-prefix.js';
import { idPart } from './nft-state.js';

export const portChainName = (portId: string, direction: 'ingress' | 'egress'): string => `p${direction === 'ingress' ? 'i' : 'e'}_${idPart(portId)}`;

/** The port's IPv6 chain of a direction: its port chain hands IPv6 packets over (goto), so IPv4 never walks IPv6 guards. */
export const portV6ChainName = (portId: string, direction: 'ingress' | 'egress'): string => `p${direction === 'ingress' ? 'i' : 'e'}6_${idPart(portId)}`;

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
  readonly egress6: string[];
  readonly ingress: string[];
  readonly ingress6: string[];
}

const GUARDS = new WeakMap<ModelPort, Guards>();

/** Port chains are rebuilt on every commit; the guard lines only change with the port object (memoised). */
function guardsOf(port: ModelPort): Guards {
  let g = GUARDS.get(port);
  if (!g) {
    const own = ownPrefixes(port);
    g = { egress: egressGuards(port, own), egress6: egressV6Guards(own), ...ingressGuards(port) };
    GUARDS.set(port, g);
  }
  return g;
}

/**
 * A port chain (`pe_`/`pi_<port>`) and its IPv6 chain (`pe6_`/`pi6_<port>`): the guards of the family, then one
 * jump per group, then drop. The port chain sends IPv6 on with `goto` right after the MAC check, so a new
 * IPv4 flow meets five guard rules on egress and one on ingress (eleven and three when the families shared a
 * chain), and IPv6 never walks the IPv4 ones. The families' rules are disjoint, so splitting them changes no
 * verdict; within a family the order is as before.
 */
export function portRules(port: ModelPort, direction: 'ingress' | 'egress', groupChains: readonly string[]): { v4: string[]; v6: string[] } {
  const g = guardsOf(port);
  const jumps = [...groupChains.map((c) => `jump ${c}`), 'drop'];
  return direction === 'egress' ? { v4: [...g.egress, ...jumps], v6: [...g.egress6, ...jumps] } : { v4: [...g.ingress, ...jumps], v6: [...g.ingress6, ...jumps] };
}

function egressGuards(port: ModelPort, own: readonly Prefix[]): string[] {
  const macs = [...new Set([port.mac, ...port.pairs.map((p) => p.mac)])];
  return [
    `ether saddr != ${list(macs)} drop`,
    `meta nfproto ipv6 goto ${portV6ChainName(port.id, 'egress')}`,
    'ip saddr 0.0.0.0 ip daddr 255.255.255.255 udp sport 68 udp dport 67 accept',
    sourceCheck(own, 4),
    // A DHCP server's reply from the port is dropped, a client's request allowed (neutron-api.md §10.2).
    'udp sport . udp dport vmap { 67 . 68 : drop, 68 . 67 : accept }',
  ];
}

function egressV6Guards(own: readonly Prefix[]): string[] {
  return [
    'ip6 saddr :: ip6 daddr ff02::/16 icmpv6 type { 131, 135, 143 } accept',
    sourceCheck(own, 6),
    'udp sport . udp dport vmap { 547 . 546 : drop, 546 . 547 : accept }',
    'icmpv6 type 134 drop',
    'icmpv6 type { 130, 133, 135, 136 } accept',
  ];
}

function ingressGuards(port: ModelPort): { ingress: string[]; ingress6: string[] } {
  const fixed4 = port.fixedIps.filter((p) => p.version === 4).map(formatPrefix);
  const fixed6 = port.fixedIps.filter((p) => p.version === 6).map(formatPrefix);
  const nd = ['130', '135', '136', ...(fixed6.length > 0 ? ['134'] : [])];
  return {
    ingress: [`meta nfproto ipv6 goto ${portV6ChainName(port.id, 'ingress')}`, `udp sport 67 udp dport 68 ip daddr ${list([...fixed4, '255.255.255.255'])} accept`],
    ingress6: [`udp sport 547 udp dport 546 ip6 daddr ${list(['fe80::/64', ...fixed6.filter((a) => !a.startsWith('fe80:'))])} accept`, `icmpv6 type ${list(nd)} accept`],
  };
}
