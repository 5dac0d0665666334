// Group chains: one per group and direction, shared by every port using the group; rules as set lookups.
import type { AgentModel, ModelRule } from './agent-model.js';
import { formatPrefix, isHost, outermost, type Prefix } from './ip-prefix.js';
import { disjointBoxes, icmpPieces, rangeText, type Box } from './rule-boxes.js';
import { idPart, type StateBuilder } from './nft-state.js';

const FAMILY = { 4: { ip: 'ip', addr: 'ipv4_addr', icmp: 'icmp', icmpType: 'icmp_type . icmp_code', any: '0.0.0.0/0' }, 6: { ip: 'ip6', addr: 'ipv6_addr', icmp: 'icmpv6', icmpType: 'icmpv6_type . icmpv6_code', any: '::/0' } } as const;

export const groupChainName = (groupId: string, direction: 'ingress' | 'egress'): string => `g${direction === 'ingress' ? 'i' : 'e'}_${idPart(groupId)}`;
export const memberSetName = (groupId: string, version: 4 | 6, hosts: boolean): string => `${hosts ? 'm' : 'q'}${version}_${idPart(groupId)}`;

/** The rule's key range: ports, or ICMP type × 256 + code; [0, 0] for protocols with neither. */
function keyRange(r: ModelRule): [number, number] {
  if (r.protocol.range === 'ports') return r.min === null ? [0, 65535] : [r.min, r.max ?? r.min];
  if (r.protocol.range === 'icmp') {
    if (r.min === null) return [0, 65535];
    return r.max === null ? [r.min * 256, r.min * 256 + 255] : [r.min * 256 + r.max, r.min * 256 + r.max];
  }
  return [0, 0];
}

/** The protocol part of a linear rule (remote-group rules cannot be set elements: their remote is a set). */
function protocolMatch(r: ModelRule): string {
  const n = r.protocol.number;
  if (n === null) return '';
  const f = FAMILY[r.version];
  if (r.protocol.range === 'icmp' && r.min !== null) return ` ${f.icmp} type ${r.min}${r.max === null ? '' : ` ${f.icmp} code ${r.max}`}`;
  const [lo, hi] = keyRange(r);
  return ` meta l4proto ${n}${r.protocol.range === 'ports' && !(lo === 0 && hi === 65535) ? ` th dport ${rangeText(lo, hi)}` : ''}`;
}

/** Member sets of a remote group: hosts in a hash set, prefixes (from address pairs) in an interval set. */
export function addMemberSets(b: StateBuilder, model: AgentModel, groupId: string, version: 4 | 6, membersOf: (g: string) => Prefix[]): boolean {
  const all = membersOf(groupId).filter((p) => p.version === version);
  const hosts = b.set(memberSetName(groupId, version, true), FAMILY[version].addr);
  for (const p of all) if (isHost(p)) hosts.set(formatPrefix(p), '');
  const prefixes = outermost(all.filter((p) => !isHost(p)));
  if (prefixes.length === 0) return false;
  const q = b.set(memberSetName(groupId, version, false), FAMILY[version].addr, { interval: true });
  for (const p of prefixes) q.set(formatPrefix(p), '');
    return true;
}

function setLine(b: StateBuilder, name: string, type: string, selector: string, elements: string[]): string[] {
  if (elements.length === 0) return [];
  const s = b.set(name, type, { interval: true });
  for (const e of elements) s.set(e, '');
  return [`${selector} @${name} accept`];
}

function boxesOf(rules: readonly ModelRule[]): Box[] {
  return rules.map((r) => {
    const [lo, hi] = keyRange(r);
    return { prefix: r.remotePrefix!, lo, hi };
  });
}

/** Lines of one direction and family of a group chain, adding the rule sets they look up. */
function familyLines(b: StateBuilder, model: AgentModel, rules: readonly ModelRule[], base: string, version: 4 | 6, membersOf: (g: string) => Prefix[]): string[] {
  const f = FAMILY[version];
  const dir = base[1] === 'i' ? 'saddr' : 'daddr';
  const addr = `${f.ip} ${dir}`;
  const mine = rules.filter((r) => r.version === version);
  const cidr = mine.filter((r) => r.remoteGroupId === null).map((r): ModelRule & { remotePrefix: Prefix } => ({ ...r, remotePrefix: r.remotePrefix ?? { version, base: 0n, length: 0 } }));
  const name = (kind: string) => `${base}_${kind}${version}`;
  const lines = [
    ...setLine(b, name('a'), f.addr, addr, outermost(cidr.filter((r) => r.protocol.number === null).map((r) => r.remotePrefix)).map(formatPrefix)),
    ...setLine(b, name('p'), `${f.addr} . inet_proto . inet_service`, `${addr} . meta l4proto . th dport`, byProtocol(cidr, 'ports', (n, x) => `${formatPrefix(x.prefix)} . ${n} . ${rangeText(x.lo, x.hi)}`)),
    ...setLine(b, name('c'), `${f.addr} . ${f.icmpType}`, `${addr} . ${f.icmp} type . ${f.icmp} code`, byProtocol(cidr, 'icmp', (_n, x) => icmpPieces(x.lo, x.hi).map((p) => `${formatPrefix(x.prefix)} . ${p}`).join('\n'))),
    ...setLine(b, name('n'), `${f.addr} . inet_proto`, `${addr} . meta l4proto`, byProtocol(cidr, 'none', (n, x) => `${formatPrefix(x.prefix)} . ${n}`)),
  ];
  for (const r of mine.filter((x) => x.remoteGroupId !== null)) {
    const hasPrefixes = addMemberSets(b, model, r.remoteGroupId!, version, membersOf);
    lines.push(`${addr} @${memberSetName(r.remoteGroupId!, version, true)}${protocolMatch(r)} accept`);
    if (hasPrefixes) lines.push(`${addr} @${memberSetName(r.remoteGroupId!, version, false)}${protocolMatch(r)} accept`);
  }
  return [...new Set(lines)];
}

function byProtocol(rules: readonly ModelRule[], kind: 'ports' | 'icmp' | 'none', text: (n: number, b: Box) => string): string[] {
  const numbers = [...new Set(rules.filter((r) => r.protocol.number !== null && r.protocol.range === kind).map((r) => r.protocol.number!))];
  return numbers.flatMap((n) => disjointBoxes(boxesOf(rules.filter((r) => r.protocol.number === n))).flatMap((x) => text(n, x).split('\n')));
}

/** Adds the group's chain for a direction (once), with its rule sets and the member sets it references. */
export function addGroupChain(b: StateBuilder, model: AgentModel, rules: readonly ModelRule[], groupId: string, direction: 'ingress' | 'egress', membersOf: (g: string) => Prefix[]): string {
  const name = groupChainName(groupId, direction);
  if (b.hasChain(name)) return name;
  const mine = rules.filter((r) => r.direction === direction);
  b.chain(name, [...familyLines(b, model, mine, name, 4, membersOf), ...familyLines(b, model, mine, name, 6, membersOf)]);
  return name;
}
