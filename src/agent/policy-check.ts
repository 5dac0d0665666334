// Whether a local port's current rules still admit a connection's first packet (used to cut what no longer may flow).
import type { AgentModel, ModelPort, ModelRule } from './agent-model.js';
import { containsAddress, type Prefix } from './ip-prefix.js';

export interface ConnectionKey {
  readonly version: 4 | 6;
  readonly protocol: number;
  /** The far end's address (source for ingress, destination for egress). */
  readonly remote: bigint;
  /** Destination port, or ICMP type × 256 + code; null when the protocol has neither. */
  readonly key: number | null;
}

function keyRange(r: ModelRule): [number, number] {
  if (r.protocol.range === 'ports') return r.min === null ? [0, 65535] : [r.min, r.max ?? r.min];
  if (r.protocol.range === 'icmp') {
    if (r.min === null) return [0, 65535];
    return r.max === null ? [r.min * 256, r.min * 256 + 255] : [r.min * 256 + r.max, r.min * 256 + r.max];
  }
  return [0, 65535];
}

function matches(r: ModelRule, c: ConnectionKey, membersOf: (g: string) => readonly Prefix[], addressesOf: (a: string) => readonly Prefix[]): boolean {
  if (r.version !== c.version) return false;
  if (r.protocol.number !== null) {
    if (r.protocol.number !== c.protocol) return false;
    const [lo, hi] = keyRange(r);
    if (c.key !== null && (c.key < lo || c.key > hi)) return false;
  }
  if (r.remoteGroupId !== null) return membersOf(r.remoteGroupId).some((p) => containsAddress(p, c.version, c.remote));
  if (r.remoteAddressGroupId !== null) return addressesOf(r.remoteAddressGroupId).some((p) => containsAddress(p, c.version, c.remote));
  return r.remotePrefix === null || containsAddress(r.remotePrefix, c.version, c.remote);
}

/** True when some rule of the port's groups in that direction matches the connection. */
export function isAdmitted(model: AgentModel, port: ModelPort, direction: 'ingress' | 'egress', c: ConnectionKey): boolean {
  const members = new Map<string, Prefix[]>();
  const membersOf = (g: string): Prefix[] => {
    let list = members.get(g);
    if (!list) {
      list = [...model.membersOf(g)].flatMap((p) => [...p.fixedIps, ...p.pairs.map((x) => x.prefix)]);
      members.set(g, list);
    }
    return list;
  };
  for (const g of new Set(port.groupIds)) for (const r of model.rulesOf(g)) if (r.direction === direction && matches(r, c, membersOf, (a) => model.addressesOf(a))) return true;
  return false;
}
