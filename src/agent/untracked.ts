// Which packets skip conntrack: those of stateless ports, unless a stateful port of this host is at the other end.
import type { ModelPort } from './agent-model.js';
import { addressFamily, memberSets } from './group-chains.js';
import { STATELESS_IF, nftSet, type NftSet } from './nft-state.js';

export const STATEFUL_IF = 'stateful_if';

type Kind = 'stateful' | 'stateless';

/** `sf4_h` (hosts of stateful local ports, hash), `sf4_p` (their prefixes, interval), `sl6_h`, … */
const addressSetName = (kind: Kind, version: 4 | 6, hosts: boolean): string => `${kind === 'stateful' ? 'sf' : 'sl'}${version}_${hosts ? 'h' : 'p'}`;

/**
 * The addresses (fixed IPs and allowed address pairs) of the local ports of one kind: hosts in a hash set and
 * prefixes in an interval set, both always declared (possibly empty) so the `untrack` chain can name them
 * whenever it exists.
 */
export function localAddressSets(kind: Kind, ports: readonly ModelPort[]): NftSet[] {
  return ([4, 6] as const).flatMap((version) => {
    const [hosts, prefixes] = memberSets(kind, version, ports);
    const addr = addressFamily(version).addr;
    return [
      nftSet(addressSetName(kind, version, true), addr, hosts!.elements.keys()),
      nftSet(addressSetName(kind, version, false), addr, prefixes?.elements.keys() ?? [], { interval: true }),
    ];
  });
}

/**
 * The raw-priority prerouting rules that `notrack` a packet when it comes from a stateless local port or goes
 * to one, and neither end is a stateful local port. One conntrack table serves the whole host: a stateful port
 * talking to a stateless one needs its connection tracked to admit the replies, so those packets stay tracked
 * (the stateless end still meets its rules on every packet; see the forward chains). The source port is known
 * by its interface, the destination by its address (prerouting comes before the routing decision).
 */
export function untrackRules(): string[] {
  return ([4, 6] as const).flatMap((version) => {
    const ip = addressFamily(version).ip;
    const daddr = (kind: Kind, hosts: boolean, negate: boolean) => `${ip} daddr ${negate ? '!= ' : ''}@${addressSetName(kind, version, hosts)}`;
    const toNoStatefulPort = `${daddr('stateful', true, true)} ${daddr('stateful', false, true)}`;
    return [
      `iifname @${STATELESS_IF} ${toNoStatefulPort} notrack`,
      `iifname != @${STATEFUL_IF} ${daddr('stateless', true, false)} ${toNoStatefulPort} notrack`,
      `iifname != @${STATEFUL_IF} ${daddr('stateless', false, false)} ${toNoStatefulPort} notrack`,
    ];
  });
}

/** The interface set of stateful filtered local ports, keyed like the dispatch maps (quoted names). */
export const statefulInterfaces = (ifaces: readonly string[]): NftSet => nftSet(STATEFUL_IF, 'ifname', ifaces);
