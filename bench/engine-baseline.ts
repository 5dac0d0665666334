// The linear baseline: the reference semantics as a loop over one port's pre-parsed rules, members in hash sets.
import { protocolMeaning, tryParseCidr, type Port, type SecurityGroupRule } from '../src/domain/index.js';
import type { Flow } from '../src/engine/index.js';

interface LinearRule {
  readonly direction: string;
  readonly protocol: number;
  readonly lo: number;
  readonly hi: number;
  readonly kind: 'any' | 'prefix' | 'group';
  readonly network: number;
  readonly mask: number;
  readonly members: Set<number> | undefined;
}

/** Dotted quad to a signed 32-bit number without allocating (inputs are known to be valid). */
function v4(text: string): number {
  let value = 0;
  let octet = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 46) {
      value = (value << 8) | octet;
      octet = 0;
    } else octet = octet * 10 + c - 48;
  }
  return ((value << 8) | octet) | 0;
}

function keyRange(rule: SecurityGroupRule): [number, number] {
  const m = protocolMeaning(rule.protocol);
  if (m.hasPorts) return [rule.portRangeMin ?? 0, rule.portRangeMax ?? 65535];
  if (m.hasIcmpTypeCode && rule.portRangeMin !== null) {
    const t = rule.portRangeMin * 256;
    return rule.portRangeMax === null ? [t, t + 255] : [t + rule.portRangeMax, t + rule.portRangeMax];
  }
  return [0, 65535];
}

/** IPv4 only, no guards: the plain loop an engine without an index would run, given fair hash-set membership. */
export function linearEvaluator(rules: readonly SecurityGroupRule[], port: Port, members: readonly Port[]): (flow: Flow) => boolean {
  const sets = new Map<string, Set<number>>();
  for (const m of members) for (const g of m.securityGroupIds) for (const f of m.fixedIps) (sets.get(g) ?? sets.set(g, new Set()).get(g)!).add(v4(f.ipAddress));
  const mine = rules.filter((r) => port.securityGroupIds.includes(r.securityGroupId) && r.etherType === 'IPv4');
  const compiled: LinearRule[] = mine.map((r) => {
    const [lo, hi] = keyRange(r);
    const cidr = r.remoteIpPrefix === null ? null : tryParseCidr(r.remoteIpPrefix);
    const mask = cidr === null || cidr.prefixLength === 0 ? 0 : (-1 << (32 - cidr.prefixLength)) | 0;
    return {
      direction: r.direction, protocol: protocolMeaning(r.protocol).number ?? -1, lo, hi,
      kind: cidr !== null ? 'prefix' : r.remoteGroupId !== null ? 'group' : 'any',
      network: cidr === null ? 0 : Number(cidr.address.value) & mask, mask,
      members: r.remoteGroupId === null ? undefined : sets.get(r.remoteGroupId),
    };
  });
  return (flow) => {
    const address = v4(flow.remoteIp);
    const key = flow.protocol === 1 ? (flow.icmpType ?? 0) * 256 + (flow.icmpCode ?? 0) : (flow.port ?? 0);
    for (const r of compiled) {
      if (r.direction !== flow.direction || (r.protocol !== -1 && r.protocol !== flow.protocol) || key < r.lo || key > r.hi) continue;
      if (r.kind === 'any' || (r.kind === 'prefix' && ((address ^ r.network) & r.mask) === 0) || (r.kind === 'group' && r.members?.has(address) === true)) return true;
    }
    return false;
  };
}
