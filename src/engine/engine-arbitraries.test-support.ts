// fast-check generators for engine property tests: small address pools so rules, members and flows collide often.
import fc from 'fast-check';
import { InvalidInputError, addressAt, cidrSize, formatIpAddress, formatNormalizedCidr, protocolMeaning, tryParseCidr, type AddressGroup, type Port, type RuleDraft, type SecurityGroup, type SecurityGroupRule } from '../domain/index.js';
import { group, port, rule } from './engine-fixtures.test-support.js';
import type { Flow } from './flow.js';
import { refProtocol } from './reference-parsing.test-support.js';

export const GROUP_IDS = ['g0', 'g1', 'g2', 'g3', 'g4'];
export const ADDRESS_GROUP_IDS = ['ag0', 'ag1', 'ag2'];
const V4_HOSTS = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.7', '10.0.0.8', '10.0.1.1', '10.0.1.200', '192.0.2.1'];
const V6_HOSTS = ['2001:db8::1', '2001:db8::2', '2001:db8::3', '2001:db8::ff', '2001:db8:0:1::1', '2001:db9::1'];
const V4_PREFIXES = ['10.0.0.0/24', '10.0.0.5/30', '10.0.0.6/30', '10.0.0.77/24', '10.0.0.0/29', '10.0.1.0/25', '0.0.0.0/0', '10.0.0.1/32', '10.0.0.0/31', '192.0.2.0/24', '10.0.0.2', '10.0.0.8/29'];
const V6_PREFIXES = ['2001:db8::/64', '2001:db8::/126', '2001:db8::4/126', '2001:db8::6/126', '2001:db8::99/64', '::/0', '2001:db8::1/128', '2001:db8::/32', 'fe80::/10', '2001:db8:0:1::/64'];
/** What address groups hold: overlapping, nested and host prefixes of both families (normalised, as the API stores them). */
const AG_PREFIXES = ['10.0.0.0/24', '10.0.0.4/30', '10.0.0.8/29', '10.0.0.1/32', '10.0.1.128/25', '192.0.2.0/28', '0.0.0.0/0', '2001:db8::/64', '2001:db8::/126', '2001:db8::9/128', '2001:db8:0:1::/64', '::/0'];
const PAIRS = ['10.0.0.4/30', '10.0.1.128/25', '10.0.0.9', '192.0.2.0/28', '2001:db8::100/120', '2001:db8::9', '2001:db8:0:1::/64'];
/** Hosts, prefix edges, broadcast and multicast, the EUI-64 link-local of MAC fa:16:3e:00:00:01. */
const V4_FLOW = [...V4_HOSTS, '10.0.0.4', '10.0.0.5', '10.0.0.6', '10.0.0.9', '10.0.1.127', '10.0.1.128', '192.0.2.15', '192.0.2.16', '255.255.255.255', '172.16.0.1'];
const V6_FLOW = [...V6_HOSTS, '2001:db8::4', '2001:db8::7', '2001:db8::100', '2001:db8::1ff', '2001:db8::200', '2001:db8::9', 'ff02::1', 'ff02::1:2', 'fe80::1', 'fe80::f816:3eff:fe00:1'];
const PORT_BOUNDS = [1, 21, 22, 23, 53, 67, 68, 80, 443, 546, 547, 1024, 65535];
const FLOW_PORTS = [0, 1, 2, 20, 21, 22, 23, 24, 52, 53, 54, 67, 68, 79, 80, 81, 442, 443, 444, 546, 547, 1023, 1024, 65534, 65535];
const ICMP_TYPES = [0, 3, 8, 255, 128, 129, 130, 131, 133, 134, 135, 136, 143];
const PROTOCOLS = [null, '0', 'ip', 'hopopt', 'tcp', 'udp', 'icmp', 'ipv6-icmp', 'icmpv6', '6', '17', '1', '58', '47', 'gre', '132', 'sctp', 'dccp', '33'];

/**
 * The rule, or without its range when the range does not fit the protocol (a range on ICMP, say). A port
 * protocol (by the reference's own table) always keeps its range: were the parser to refuse it, the world
 * would quietly lose every ranged rule of that protocol, so that is an error here.
 */
function tryRule(id: string, groupId: string, draft: RuleDraft): SecurityGroupRule | null {
  const keepsRange = refProtocol(draft.protocol as string | null).range === 'ports' && draft.portRangeMin !== null;
  for (const d of [draft, { ...draft, portRangeMin: null, portRangeMax: null }]) {
    try {
      return rule(id, groupId, d);
    } catch (e) {
      if (!(e instanceof InvalidInputError)) throw e;
      if (keepsRange) throw new Error(`a ${String(draft.protocol)} rule with a port range was refused: ${e.message}`, { cause: e });
    }
  }
  return null;
}

const remoteArb = fc.oneof(
  { weight: 3, arbitrary: fc.constant({ kind: 'none' as const }) },
  { weight: 3, arbitrary: fc.nat().map((i) => ({ kind: 'prefix' as const, i })) },
  { weight: 3, arbitrary: fc.constantFrom(...GROUP_IDS, 'gone').map((g) => ({ kind: 'group' as const, g })) },
  { weight: 2, arbitrary: fc.constantFrom(...ADDRESS_GROUP_IDS, 'gone').map((ag) => ({ kind: 'address-group' as const, ag })) },
);

const ruleDraftArb = fc.record({
  direction: fc.constantFrom('ingress', 'egress'),
  etherType: fc.constantFrom('IPv4', 'IPv6'),
  protocol: fc.constantFrom(...PROTOCOLS),
  range: fc.oneof(fc.constant(null), fc.tuple(fc.constantFrom(...PORT_BOUNDS), fc.constantFrom(...PORT_BOUNDS)).map(([a, b]) => [Math.min(a, b), Math.max(a, b)] as const)),
  icmp: fc.tuple(fc.option(fc.constantFrom(...ICMP_TYPES)), fc.option(fc.constantFrom(0, 1, 4))),
  remote: remoteArb,
  groupId: fc.constantFrom(...GROUP_IDS),
});

type DraftInput = Omit<typeof ruleDraftArb extends fc.Arbitrary<infer T> ? T : never, 'remote'> & {
  remote: (typeof remoteArb extends fc.Arbitrary<infer R> ? R : never) | { kind: 'spelled'; i: number; offset: number };
};

/** The same network written with other host bits (10.0.0.0/24 → 10.0.0.77/24), as Neutron keeps them. */
function respell(prefix: string, offset: number): string {
  const cidr = tryParseCidr(prefix);
  if (cidr === null) return prefix;
  const size = cidrSize(cidr);
  return `${formatIpAddress(addressAt(cidr, BigInt(offset) % size))}/${cidr.prefixLength}`;
}

function toRule(id: string, r: DraftInput): SecurityGroupRule | null {
  const isIcmp = r.protocol !== null && ['icmp', 'ipv6-icmp', 'icmpv6', '1', '58'].includes(r.protocol);
  const [min, max] = isIcmp ? r.icmp : (r.range ?? [null, null]);
  const prefixes = r.etherType === 'IPv4' ? V4_PREFIXES : V6_PREFIXES;
  const remote = r.remote;
  return tryRule(id, r.groupId, {
    direction: r.direction,
    etherType: r.etherType,
    protocol: r.protocol,
    portRangeMin: min,
    portRangeMax: max,
    remoteIpPrefix: remote.kind === 'prefix' ? prefixes[remote.i % prefixes.length]! : remote.kind === 'spelled' ? respell(prefixes[remote.i % prefixes.length]!, remote.offset) : null,
    remoteGroupId: remote.kind === 'group' ? remote.g : null,
    remoteAddressGroupId: remote.kind === 'address-group' ? remote.ag : null,
  });
}

const portArb = fc.record({
  v4: fc.subarray(V4_HOSTS, { maxLength: 2 }),
  v6: fc.subarray(V6_HOSTS, { maxLength: 2 }),
  groups: fc.oneof({ weight: 1, arbitrary: fc.constant([]) }, { weight: 6, arbitrary: fc.subarray(GROUP_IDS, { minLength: 1, maxLength: 3 }) }),
  pairs: fc.subarray(PAIRS, { maxLength: 2 }),
  mode: fc.oneof({ weight: 14, arbitrary: fc.constant('filtered') }, { weight: 1, arbitrary: fc.constant('off') }, { weight: 1, arbitrary: fc.constant('trusted') }),
  mac: fc.integer({ min: 1, max: 3 }),
});

/** A copy of another rule with a different remote or range: it lands in the same index bucket. */
const siblingArb = fc.record({ of: fc.nat(), remote: remoteArb, range: ruleDraftArb.map((r) => r.range), icmp: ruleDraftArb.map((r) => r.icmp), newRemote: fc.constantFrom('keep', 'other', 'respell'), newRange: fc.boolean(), offset: fc.nat() });

function siblingsOf(rules: readonly DraftInput[], siblings: readonly (typeof siblingArb extends fc.Arbitrary<infer T> ? T : never)[]): DraftInput[] {
  if (rules.length === 0) return [];
  return siblings.map((s) => {
    const base = rules[s.of % rules.length]!;
    const remote = s.newRemote === 'other' ? s.remote : s.newRemote === 'respell' && base.remote.kind === 'prefix' ? { kind: 'spelled' as const, i: base.remote.i, offset: s.offset } : base.remote;
    return { ...base, ...(s.newRange ? { range: s.range, icmp: s.icmp } : {}), remote };
  });
}

export interface World {
  readonly groups: SecurityGroup[];
  readonly rules: SecurityGroupRule[];
  readonly ports: Port[];
  readonly addressGroups: AddressGroup[];
}

const addressSetArb = fc.subarray(AG_PREFIXES, { maxLength: 4 });

export function addressGroup(id: string, addresses: readonly string[]): AddressGroup {
  const normalised = [...new Set(addresses.map((a) => formatNormalizedCidr(tryParseCidr(a)!)))].sort();
  return { id, projectId: 'p', name: id, description: '', addresses: normalised, revisionNumber: 1, createdAt: 't', updatedAt: 't' };
}

export const worldArb: fc.Arbitrary<World> = fc
  .record({
    stateful: fc.array(fc.boolean(), { minLength: GROUP_IDS.length, maxLength: GROUP_IDS.length }),
    rules: fc.array(ruleDraftArb, { minLength: 4, maxLength: 30 }),
    siblings: fc.array(siblingArb, { minLength: 2, maxLength: 14 }),
    ports: fc.array(portArb, { minLength: 1, maxLength: 6 }),
    // null: the group does not exist (deleted, or never made), so rules naming it match nothing.
    addressSets: fc.array(fc.option(addressSetArb, { freq: 5 }), { minLength: ADDRESS_GROUP_IDS.length, maxLength: ADDRESS_GROUP_IDS.length }),
  })
  .map(({ stateful, rules, siblings, ports, addressSets }) => ({
    addressGroups: ADDRESS_GROUP_IDS.flatMap((id, i) => (addressSets[i] === null ? [] : [addressGroup(id, addressSets[i] ?? [])])),
    groups: GROUP_IDS.map((g, i) => group(g, { stateful: stateful[i] ?? true })),
    rules: [...rules, ...siblingsOf(rules, siblings)].map((r, i) => toRule(`r${i}`, r)).filter((r): r is SecurityGroupRule => r !== null),
    ports: ports.map((p, i) =>
      port(`p${i}`, {
        ips: [...p.v4, ...p.v6],
        groups: p.mode === 'filtered' ? p.groups : [],
        pairs: p.pairs,
        portSecurity: p.mode !== 'off',
        deviceOwner: p.mode === 'trusted' ? 'network:router_interface' : 'compute:nova',
        mac: `fa:16:3e:00:00:0${p.mac}`,
      }),
    ),
  }));

export const flowSeedArb = fc.record({
  port: fc.nat(),
  direction: fc.constantFrom('ingress' as const, 'egress' as const),
  etherType: fc.constantFrom('IPv4' as const, 'IPv6' as const),
  protocol: fc.constantFrom(6, 17, 1, 58, 47, 132, 33, 0, 2),
  remote: fc.nat(),
  local: fc.constantFrom('none', 'none', 'own', 'own', 'own', 'own', 'own', 'own', 'pool', 'zero'),
  /** Aim the flow at one of the port's rules (its direction, ether type, protocol, range edges, remote). */
  aim: fc.option(fc.nat(), { freq: 4 }),
  edge: fc.integer({ min: -2, max: 2 }),
  remoteFromPorts: fc.constantFrom(true, true, false),
  localPick: fc.nat(),
  port_: fc.constantFrom(...FLOW_PORTS),
  sourcePort: fc.constantFrom(67, 68, 546, 547, 40000),
  icmpType: fc.constantFrom(...ICMP_TYPES),
  icmpCode: fc.constantFrom(0, 1, 4, 255),
});

export type FlowSeed = typeof flowSeedArb extends fc.Arbitrary<infer T> ? T : never;

function addressesOf(ports: readonly Port[], v6: boolean): string[] {
  const all = ports.flatMap((p) => [...p.fixedIps.map((f) => f.ipAddress), ...p.allowedAddressPairs.map((a) => a.ipAddress.split('/')[0]!)]);
  return all.filter((a) => a.includes(':') === v6);
}

type Shape = Pick<Flow, 'direction' | 'etherType' | 'protocol' | 'port' | 'icmpType' | 'icmpCode'> & { remotes?: string[] };

/** Addresses around a prefix's edges: just before, first, last, just after. */
function prefixEdges(prefix: string): string[] {
  const cidr = tryParseCidr(prefix);
  if (cidr === null) return [];
  const top = (1n << (cidr.version === 4 ? 32n : 128n)) - 1n;
  const first = addressAt(cidr, 0n).value;
  const last = addressAt(cidr, cidrSize(cidr) - 1n).value;
  return [first - 1n, first, last, last + 1n].filter((v) => v >= 0n && v <= top).map((value) => formatIpAddress({ version: cidr.version, value }));
}

/** A flow aimed at the rule: its direction, ether type, protocol, a key at or just past a range end, its remote. */
function aimAt(world: World, r: SecurityGroupRule, s: FlowSeed, formerPorts: readonly Port[]): Shape {
  const m = protocolMeaning(r.protocol);
  const lo = r.portRangeMin;
  const hi = r.portRangeMax;
  const nudge = [-1, 0, 0, 0, 1][s.edge + 2]!;
  const end = s.edge < 0 ? lo : hi;
  const port = m.hasPorts && end !== null ? Math.min(65535, Math.max(0, end + nudge)) : s.port_;
  const icmpType = m.hasIcmpTypeCode && lo !== null ? Math.max(0, lo + (s.edge === -2 ? -1 : 0)) : s.icmpType;
  const icmpCode = m.hasIcmpTypeCode && hi !== null ? Math.max(0, hi + (s.edge === 2 ? 1 : 0)) : s.icmpCode;
  const groupId = r.remoteGroupId;
  const members = groupId === null ? [] : addressesOf([...world.ports, ...formerPorts].filter((q) => q.securityGroupIds.includes(groupId)), r.etherType === 'IPv6');
  // An address-group rule aims at the edges of every prefix a group may hold, so addresses that left are tried too.
  const agEdges = r.remoteAddressGroupId === null ? [] : AG_PREFIXES.filter((a) => a.includes(':') === (r.etherType === 'IPv6')).flatMap(prefixEdges);
  const remotes = r.remoteIpPrefix !== null ? prefixEdges(r.remoteIpPrefix) : r.remoteAddressGroupId !== null ? agEdges : members;
  return { direction: r.direction, etherType: r.etherType, protocol: m.number ?? s.protocol, port, icmpType, icmpCode, ...(remotes.length > 0 ? { remotes } : {}) };
}

/**
 * A concrete flow at one of the world's ports; `own` picks one of the port's addresses as the local end.
 * A flow aimed at a remote-group rule comes from a member, or from a port that was one in `formerPorts`.
 */
export function flowOf(world: World, s: FlowSeed, formerPorts: readonly Port[] = []): { portId: string; flow: Flow } {
  const p = world.ports[s.port % world.ports.length]!;
  const rules = world.rules.filter((r) => p.securityGroupIds.includes(r.securityGroupId));
  const aimed = s.aim === null || rules.length === 0 ? null : aimAt(world, rules[s.aim % rules.length]!, s, formerPorts);
  const shape: Shape = aimed ?? { direction: s.direction, etherType: s.etherType, protocol: s.protocol, port: s.port_, icmpType: s.icmpType, icmpCode: s.icmpCode };
  const v6 = shape.etherType === 'IPv6';
  const others = addressesOf(world.ports, v6);
  const pool = shape.remotes !== undefined && s.remoteFromPorts ? shape.remotes : s.remoteFromPorts && others.length > 0 ? others : v6 ? V6_FLOW : V4_FLOW;
  const own = addressesOf([p], v6);
  const localPool = v6 ? V6_FLOW : V4_FLOW;
  const localIp = s.local === 'none' ? undefined : s.local === 'zero' ? (v6 ? '::' : '0.0.0.0') : s.local === 'own' && own.length > 0 ? own[s.localPick % own.length]! : localPool[s.localPick % localPool.length]!;
  const { remotes: _remotes, ...fields } = shape;
  const flow: Flow = { ...fields, remoteIp: pool[s.remote % pool.length]!, sourcePort: s.sourcePort, ...(localIp === undefined ? {} : { localIp }) };
  return { portId: p.id, flow };
}

/** One port's move over a fixed address pool: other groups, no groups (it leaves), deleted, or back as it began. */
const moveArb = fc.record({
  port: fc.nat(),
  kind: fc.constantFrom('groups' as const, 'leave' as const, 'leave' as const, 'delete' as const, 'rejoin' as const, 'rejoin' as const, 'addresses' as const, 'addresses' as const),
  groups: fc.subarray(GROUP_IDS, { minLength: 1, maxLength: 3 }),
  /** For `addresses`: an address group takes another set (addresses added and removed at once). */
  addresses: addressSetArb,
});

/** A world, then steps of a few moves each: the rules and port addresses stay, memberships and address groups' addresses come and go. */
export const churnArb = fc.record({
  world: worldArb,
  steps: fc.array(fc.array(moveArb, { minLength: 1, maxLength: 3 }), { minLength: 3, maxLength: 6 }),
});

export type Churn = typeof churnArb extends fc.Arbitrary<infer T> ? T : never;

/** The worlds a churn passes through, the first one included; ports keep their ids, addresses and order. */
export function churnWorlds({ world, steps }: Churn): World[] {
  const worlds = [world];
  let current = new Map(world.ports.map((p) => [p.id, p]));
  let addressGroups = world.addressGroups;
  for (const moves of steps) {
    current = new Map(current);
    for (const m of moves) {
      if (m.kind === 'addresses') {
        const id = ADDRESS_GROUP_IDS[m.port % ADDRESS_GROUP_IDS.length]!;
        addressGroups = addressGroups.map((g) => (g.id === id ? addressGroup(id, m.addresses) : g));
        continue;
      }
      const original = world.ports[m.port % world.ports.length]!;
      const now = current.get(original.id) ?? original;
      if (m.kind === 'groups') current.set(original.id, { ...now, securityGroupIds: m.groups });
      else if (m.kind === 'leave') current.set(original.id, { ...now, securityGroupIds: [] });
      else if (m.kind === 'delete') current.delete(original.id);
      else current.set(original.id, original);
    }
    worlds.push({ ...world, addressGroups, ports: world.ports.flatMap((p) => current.get(p.id) ?? []) });
  }
  return worlds;
}
