// Equivalence classes of ports for one IP version: same group set, same filtering, same standing as a remote.
import { formatWords } from './address-words.js';
import { REMOTE_PREFIX } from './compiled-rule.js';
import type { EngineState, PortEntry } from './engine-state.js';
import { PrefixMap } from './prefix-map.js';

/** Ports that every rule of every port treats alike, as sender and as receiver. */
export interface PortClass {
  readonly id: number;
  readonly version: 4 | 6;
  readonly ports: readonly PortEntry[];
  /** The first fixed IP of the version of the class's first port: the address the class is tested with. */
  readonly address: string;
}

/** Every prefix named by a rule of the given ports' groups, numbered, in a map for lookups by address. */
function prefixesOf(state: EngineState, entries: readonly PortEntry[], version: 4 | 6): PrefixMap<number> {
  const map = new PrefixMap<number>();
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.profile.groupKey)) continue;
    seen.add(entry.profile.groupKey);
    for (const r of state.rulesOf(entry.profile)) {
      if (r.remote !== REMOTE_PREFIX || (r.rule.etherType === 'IPv4') !== (version === 4)) continue;
      if (map.get(r.words, 0, r.prefixLength) === undefined) map.set(r.words, 0, r.prefixLength, map.size);
    }
  }
  return map;
}

/** What rules can tell about an address: the groups it is a member of and the rule prefixes that hold it. */
function addressSignature(state: EngineState, prefixes: PrefixMap<number>, version: 4 | 6, w: Int32Array): string {
  const members = state.membership.family(version);
  const groups: number[] = [];
  for (let i = 0; i < members.lengths.length; i++) groups.push(...(members.getAt(i, w[0]!, w[1]!, w[2]!, w[3]!)?.groups ?? []));
  const hits: number[] = [];
  for (let i = 0; i < prefixes.lengths.length; i++) {
    const hit = prefixes.getAt(i, w[0]!, w[1]!, w[2]!, w[3]!);
    if (hit !== undefined) hits.push(hit);
  }
  return `${[...new Set(groups)].sort((a, b) => a - b).join(',')}|${hits.sort((a, b) => a - b).join(',')}`;
}

/** Splits the ports that have an address of the version into classes; `firstId` numbers them. */
export function portClassesOf(state: EngineState, entries: readonly PortEntry[], version: 4 | 6, firstId: number): PortClass[] {
  const prefixes = prefixesOf(state, entries, version);
  const byKey = new Map<string, { address: string; ports: PortEntry[] }>();
  for (const entry of entries) {
    const fixed = entry.profile.fixed.find((a) => a.version === version);
    if (fixed === undefined) continue;
    const p = entry.profile;
    const key = `${p.groupKey}|${p.mode}|${p.hasIpv6}|${addressSignature(state, prefixes, version, fixed.words)}`;
    const found = byKey.get(key);
    if (found === undefined) byKey.set(key, { address: formatWords(version, fixed.words), ports: [entry] });
    else found.ports.push(entry);
  }
  return [...byKey.values()].map((c, i) => ({ id: firstId + i, version, ports: c.ports, address: c.address }));
}
