// Group chains: one per group and direction, shared by every port using the group; rules as set lookups.
import type { ModelPort, ModelRule } from './agent-model.js';
import { formatPrefix, isHost, outermost, type Prefix } from './ip-prefix.js';
import { disjointBoxes, icmpPieces, rangeText, type Box } from './rule-boxes.js';
import { idPart, nftSet, type NftSet } from './nft-state.js';

const FAMILY = { 4: { ip: 'ip', addr: 'ipv4_addr', icmp: 'icmp', icmpType: 'icmp_type . icmp_code', any: '0.0.0.0/0' }, 6: { ip: 'ip6', addr: 'ipv6_addr', icmp: 'icmpv6', icmpType: 'icmpv6_type . icmpv6_code', any: '::/0' } } as const;

/** nft names of one address family: selector, address type, ICMP protocol. */
export const addressFamily = (version: 4 | 6) => FAMILY[version];

export const groupChainName = (groupId: string, direction: 'ingress' | 'egress'): string => `g${direction === 'ingress' ? 'i' : 'e'}_${idPart(groupId)}`;
export const memberSetName = (groupId: string, version: 4 | 6, hosts: boolean): string => `${hosts ? 'm' : 'q'}${version}_${idPart(groupId)}`;
export const addressSetName = (addressGroupId: string, version: 4 | 6): string => `a${version}_${idPart(addressGroupId)}`;

/**
 * An address group's set for one family: its CIDRs (outermost only: an interval set refuses overlaps), shared by
 * every rule naming the group, so add_addresses and remove_addresses come down to element adds and deletes.
 */
export function addressSet(addressGroupId: string, version: 4 | 6, addresses: readonly Prefix[]): NftSet {
  const mine = outermost(addresses.filter((p) => p.version === version));
  return nftSet(addressSetName(addressGroupId, version), FAMILY[version].addr, mine.map(formatPrefix), { interval: true });
}

/** The rule's key range: ports, or ICMP type × 256 + code; [0, 0] for protocols with neither. */
function keyRange(r: ModelRule): [number, number] {
  if (r.protocol.range === 'ports') return r.min === null ? [0, 65535] : [r.min, r.max ?? r.min];
  if (r.protocol.range === 'icmp') {
    if (r.min === null) return [0, 65535];
    return r.max === null ? [r.min * 256, r.min * 256 + 255] : [r.min * 256 + r.max, r.min * 256 + r.max];
  }
  return [0, 0];
}

/** The protocol part of a linear rule (remote-group and address-group rules cannot be set elements: their remote is a set). */
function protocolMatch(r: ModelRule): string {
  const n = r.protocol.number;
  if (n === null) return '';
  const f = FAMILY[r.version];
  if (r.protocol.range === 'icmp' && r.min !== null) return ` ${f.icmp} type ${r.min}${r.max === null ? '' : ` ${f.icmp} code ${r.max}`}`;
  const [lo, hi] = keyRange(r);
  return ` meta l4proto ${n}${r.protocol.range === 'ports' && !(lo === 0 && hi === 65535) ? ` th dport ${rangeText(lo, hi)}` : ''}`;
}

/** Member sets of a remote group and family: hosts in a hash set, prefixes (from address pairs) in an interval set when there are any. */
export function memberSets(groupId: string, version: 4 | 6, members: Iterable<ModelPort>): NftSet[] {
  const hosts: string[] = [];
  const others: Prefix[] = [];
  for (const port of members) {
    for (const p of port.fixedIps) if (p.version === version) (isHost(p) ? hosts.push(formatPrefix(p)) : others.push(p));
    for (const { prefix: p } of port.pairs) if (p.version === version) (isHost(p) ? hosts.push(formatPrefix(p)) : others.push(p));
  }
  const sets = [nftSet(memberSetName(groupId, version, true), FAMILY[version].addr, hosts)];
  const prefixes = outermost(others);
  if (prefixes.length > 0) sets.push(nftSet(memberSetName(groupId, version, false), FAMILY[version].addr, prefixes.map(formatPrefix), { interval: true }));
  return sets;
}

/** A group's chain for one direction, the rule sets it looks up, and the remote groups whose member sets it names. */
export interface GroupChain {
  readonly name: string;
  readonly lines: readonly string[];
  readonly sets: readonly NftSet[];
  readonly remotes: readonly { readonly groupId: string; readonly version: 4 | 6 }[];
  /** Address groups (and families) whose sets the chain names. */
  readonly addressGroups: readonly { readonly addressGroupId: string; readonly version: 4 | 6 }[];
}

/** Whether a remote group has prefix members in a family (so a `q` set exists and gets its own line). */
export type HasPrefixes = (groupId: string, version: 4 | 6) => boolean;

function setLine(sets: NftSet[], name: string, type: string, selector: string, elements: string[]): string[] {
  if (elements.length === 0) return [];
  sets.push(nftSet(name, type, elements, { interval: true }));
  return [`${selector} @${name} accept`];
}

function boxesOf(rules: readonly ModelRule[]): Box[] {
  return rules.map((r) => {
    const [lo, hi] = keyRange(r);
    return { prefix: r.remotePrefix!, lo, hi };
  });
}

/** Lines of one direction and family of a group chain, adding the rule sets they look up. */
function familyLines(out: { sets: NftSet[]; remotes: GroupChain['remotes'][number][]; addressGroups: GroupChain['addressGroups'][number][] }, rules: readonly ModelRule[], base: string, version: 4 | 6, hasPrefixes: HasPrefixes): string[] {
  const f = FAMILY[version];
  const dir = base[1] === 'i' ? 'saddr' : 'daddr';
  const addr = `${f.ip} ${dir}`;
  const mine = rules.filter((r) => r.version === version);
  const cidr = mine.filter((r) => r.remoteGroupId === null && r.remoteAddressGroupId === null).map((r): ModelRule & { remotePrefix: Prefix } => ({ ...r, remotePrefix: r.remotePrefix ?? { version, base: 0n, length: 0 } }));
  const name = (kind: string) => `${base}_${kind}${version}`;
  const lines = [
    ...setLine(out.sets, name('a'), f.addr, addr, outermost(cidr.filter((r) => r.protocol.number === null).map((r) => r.remotePrefix)).map(formatPrefix)),
    ...setLine(out.sets, name('p'), `${f.addr} . inet_proto . inet_service`, `${addr} . meta l4proto . th dport`, byProtocol(cidr, 'ports', (n, x) => `${formatPrefix(x.prefix)} . ${n} . ${rangeText(x.lo, x.hi)}`)),
    ...setLine(out.sets, name('c'), `${f.addr} . ${f.icmpType}`, `${addr} . ${f.icmp} type . ${f.icmp} code`, byProtocol(cidr, 'icmp', (_n, x) => icmpPieces(x.lo, x.hi).map((p) => `${formatPrefix(x.prefix)} . ${p}`).join('\n'))),
    ...setLine(out.sets, name('n'), `${f.addr} . inet_proto`, `${addr} . meta l4proto`, byProtocol(cidr, 'none', (n, x) => `${formatPrefix(x.prefix)} . ${n}`)),
  ];
  for (const r of mine.filter((x) => x.remoteGroupId !== null)) {
    const g = r.remoteGroupId!;
    if (!out.remotes.some((x) => x.groupId === g && x.version === version)) out.remotes.push({ groupId: g, version });
    lines.push(`${addr} @${memberSetName(g, version, true)}${protocolMatch(r)} accept`);
    if (hasPrefixes(g, version)) lines.push(`${addr} @${memberSetName(g, version, false)}${protocolMatch(r)} accept`);
  }
  for (const r of mine.filter((x) => x.remoteAddressGroupId !== null)) {
    const a = r.remoteAddressGroupId!;
    if (!out.addressGroups.some((x) => x.addressGroupId === a && x.version === version)) out.addressGroups.push({ addressGroupId: a, version });
    lines.push(`${addr} @${addressSetName(a, version)}${protocolMatch(r)} accept`);
  }
  return [...new Set(lines)];
}

function byProtocol(rules: readonly ModelRule[], kind: 'ports' | 'icmp' | 'none', text: (n: number, b: Box) => string): string[] {
  const numbers = [...new Set(rules.filter((r) => r.protocol.number !== null && r.protocol.range === kind).map((r) => r.protocol.number!))];
  return numbers.flatMap((n) => disjointBoxes(boxesOf(rules.filter((r) => r.protocol.number === n))).flatMap((x) => text(n, x).split('\n')));
}

/** The group's chain for a direction from the group's rules (all directions; this picks its own). */
export function groupChain(groupId: string, direction: 'ingress' | 'egress', rules: readonly ModelRule[], hasPrefixes: HasPrefixes): GroupChain {
  const name = groupChainName(groupId, direction);
  const mine = rules.filter((r) => r.direction === direction);
  const out = { sets: [] as NftSet[], remotes: [] as GroupChain['remotes'][number][], addressGroups: [] as GroupChain['addressGroups'][number][] };
  const lines = [...familyLines(out, mine, name, 4, hasPrefixes), ...familyLines(out, mine, name, 6, hasPrefixes)];
  return { name, lines, sets: out.sets, remotes: out.remotes, addressGroups: out.addressGroups };
}
