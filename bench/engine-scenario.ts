// Engine benchmark worlds: one port with R rules over 20 remote groups of members, CIDRs and open rules; its flows.
import { parseRuleSpec, type Port, type RuleDraft, type SecurityGroup, type SecurityGroupRule } from '../src/domain/index.js';
import type { Flow } from '../src/engine/index.js';

export const REMOTE_GROUPS = 20;
const OWN_GROUPS = 5;
const AT = '2025-01-01T00:00:00Z';

/** A small deterministic PRNG (mulberry32), so every run measures the same world. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function benchGroup(id: string): SecurityGroup {
  return { id, projectId: 'bench', name: id, description: '', stateful: true, isDefault: false, tags: [], revisionNumber: 1, createdAt: AT, updatedAt: AT };
}

export function benchPort(id: string, ip: string, groups: readonly string[]): Port {
  return {
    id, projectId: 'bench', networkId: 'n', name: id, description: '', macAddress: 'fa:16:3e:00:00:01',
    fixedIps: [{ subnetId: 's', ipAddress: ip }], deviceId: `vm-${id}`, deviceOwner: 'compute:nova', hostId: 'h',
    adminStateUp: true, securityGroupIds: groups, portSecurityEnabled: true, allowedAddressPairs: [],
    revisionNumber: 1, createdAt: AT, updatedAt: AT,
  };
}

export function benchRule(id: string, groupId: string, draft: RuleDraft): SecurityGroupRule {
  return { ...parseRuleSpec(draft), id, securityGroupId: groupId, projectId: 'bench', revisionNumber: 1, createdAt: AT, updatedAt: AT };
}

/** Member i's address: 10.0.0.1, 10.0.0.2, ... */
export function memberIp(i: number): string {
  const n = i + 1;
  return `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
}

/** `members` ports spread over the 20 remote groups. */
export function memberPorts(members: number): Port[] {
  return Array.from({ length: members }, (_, i) => benchPort(`m${i}`, memberIp(i), [`rg${i % REMOTE_GROUPS}`]));
}

function randomDraft(rand: () => number): RuleDraft {
  const direction = rand() < 0.7 ? 'ingress' : 'egress';
  const pick = rand();
  const protocol = pick < 0.6 ? 'tcp' : pick < 0.9 ? 'udp' : 'icmp';
  const lo = 1 + Math.floor(rand() * 60000);
  const ports = protocol === 'icmp' ? { portRangeMin: Math.floor(rand() * 16), portRangeMax: null } : { portRangeMin: lo, portRangeMax: lo + Math.floor(rand() * (rand() < 0.8 ? 1 : 200)) };
  const kind = rand();
  const remote = kind < 0.4
    ? { remoteGroupId: `rg${Math.floor(rand() * REMOTE_GROUPS)}` }
    : kind < 0.8
      ? { remoteIpPrefix: `172.${16 + Math.floor(rand() * 16)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}/${16 + Math.floor(rand() * 17)}` }
      : {};
  return { direction, protocol, ...ports, ...remote };
}

export interface Scenario {
  readonly groups: SecurityGroup[];
  readonly rules: SecurityGroupRule[];
  readonly port: Port;
  readonly flows: Flow[];
}

/** The port under test (192.168.0.1, in five groups holding `ruleCount` rules) and 4,096 flows aimed at it. */
export function scenario(ruleCount: number, members: number, seed = 1): Scenario {
  const rand = prng(seed);
  const own = Array.from({ length: OWN_GROUPS }, (_, i) => `own${i}`);
  const groups = [...own, ...Array.from({ length: REMOTE_GROUPS }, (_, i) => `rg${i}`)].map(benchGroup);
  const rules = Array.from({ length: ruleCount }, (_, i) => benchRule(`r${i}`, own[i % OWN_GROUPS]!, randomDraft(rand)));
  const port = benchPort('target', '192.168.0.1', own);
  const flows = Array.from({ length: 4096 }, () => randomFlow(rand, rules, members));
  return { groups, rules, port, flows };
}

/** Half the flows copy a rule's protocol and port (so they may hit), the rest are random; sources are members or CIDR-ish. */
function randomFlow(rand: () => number, rules: readonly SecurityGroupRule[], members: number): Flow {
  const r = rules[Math.floor(rand() * rules.length)]!;
  const aimed = rand() < 0.5;
  const protocol = aimed ? (r.protocol === 'tcp' ? 6 : r.protocol === 'udp' ? 17 : 1) : rand() < 0.7 ? 6 : 17;
  const from = rand();
  const remoteIp = from < 0.5 && members > 0 ? memberIp(Math.floor(rand() * members)) : from < 0.8 ? `172.${16 + Math.floor(rand() * 16)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}` : `198.51.100.${Math.floor(rand() * 256)}`;
  const direction = aimed ? r.direction : rand() < 0.7 ? 'ingress' : 'egress';
  // Literals, not spreads: spread copies can each get a hidden class of their own, which slows every reader.
  if (protocol === 1) return { direction, etherType: 'IPv4', protocol, remoteIp, icmpType: aimed ? (r.portRangeMin ?? 0) : Math.floor(rand() * 16), icmpCode: 0 };
  return { direction, etherType: 'IPv4', protocol, remoteIp, port: aimed && r.portRangeMin !== null ? r.portRangeMin : 1 + Math.floor(rand() * 65535) };
}
