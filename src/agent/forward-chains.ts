// The two chains hooked into forwarding: conntrack verdicts, then O(1) dispatch to the port chains by interface.
import { EGRESS_CHAIN, EGRESS_MAP, INGRESS_CHAIN, INGRESS_MAP, STATELESS_IF } from './nft-state.js';

const memo = new Map<string, ReadonlyMap<string, readonly string[]>>();

/**
 * The rule lines of both chains (hooks in HOOKED_CHAINS: egress first, then ingress at a later priority of
 * the same hook, so an accept in egress goes on to ingress). Interfaces not of our prefix pass untouched; a
 * tap the agent does not know is dropped (fail closed). Ports of stateless groups go to their chains before the conntrack verdicts (every
 * packet meets their rules); that rule is there only while some local port is stateless, since every new flow
 * pays for each rule. The same arrays come back for the same inputs, so the diff skips them.
 */
export function forwardChains(ifacePrefix: string, anyStateless: boolean): ReadonlyMap<string, readonly string[]> {
  const key = `${ifacePrefix}|${anyStateless}`;
  let chains = memo.get(key);
  if (!chains) {
    const lines = (dir: 'iifname' | 'oifname', map: string): readonly string[] => [
      `${dir} != "${ifacePrefix}*" accept`,
      ...(anyStateless ? [`${dir} @${STATELESS_IF} ${dir} vmap @${map}`] : []),
      // One conntrack lookup for the three outcomes.
      'ct state vmap { established : accept, related : accept, invalid : drop }',
      `${dir} vmap @${map}`,
      'drop',
    ];
    chains = new Map([[EGRESS_CHAIN, lines('iifname', EGRESS_MAP)], [INGRESS_CHAIN, lines('oifname', INGRESS_MAP)]]);
    memo.set(key, chains);
  }
  return chains;
}
