// Incremental desired state: over random change sequences it equals a build from scratch, and reuses exactly the unchanged pieces.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AddressGroupWire, ChangeWire, HostChangeWire, MemberWire, PortWire, SecurityGroupRuleWire, SecurityGroupWire } from '../contract/index.js';
import { AgentModel } from './agent-model.js';
import { desiredState } from './desired-state.js';
import { elementDiff, renderDiff } from './nft-render.js';
import type { NftSet, NftState } from './nft-state.js';

const AT = '2026-01-01T00:00:00Z';
const base = { project_id: 'p', tenant_id: 'p', revision_number: 1, created_at: AT, updated_at: AT, description: '' };
const GROUPS = ['g0', 'g1', 'g2', 'g3'];
const V4 = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.1.7', '192.168.5.5'];
const V6 = ['fd00::1', 'fd00::2', 'fd00::99'];
const PAIRS = ['10.0.0.0/30', '10.0.2.0/24', '10.0.0.3', 'fd00::/120', 'fd00::2'];
const PREFIXES4 = [null, '10.0.0.0/8', '10.0.0.0/24', '10.0.0.2/32', '0.0.0.0/0'];
const PREFIXES6 = [null, 'fd00::/64', '::/0'];
const ADDRESS_GROUPS = ['ag0', 'ag1'];
/** Nested and overlapping on purpose: the interval set keeps the outermost. */
const AG_ADDRESSES = ['10.0.0.0/24', '10.0.0.0/28', '10.0.0.9/32', '192.168.5.0/24', '0.0.0.0/0', 'fd00::/64', 'fd00::2/128', 'fd01::/48'];

const portArb = fc.record({
  id: fc.constantFrom('p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'),
  host: fc.constantFrom('h1', 'h1', 'h2'),
  ips: fc.subarray([...V4, ...V6], { maxLength: 3 }),
  pairs: fc.subarray(PAIRS, { maxLength: 2 }),
  groups: fc.subarray(GROUPS, { maxLength: 3 }),
  security: fc.boolean(),
  name: fc.constantFrom('a', 'b'),
});

const ruleArb = fc.record({
  id: fc.constantFrom('r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9'),
  group: fc.constantFrom(...GROUPS),
  direction: fc.constantFrom('ingress' as const, 'egress' as const),
  v6: fc.boolean(),
  protocol: fc.constantFrom(null, 'tcp', 'udp', 'icmp', '0', '47'),
  min: fc.integer({ min: 0, max: 30 }),
  span: fc.integer({ min: 0, max: 5 }),
  prefix: fc.integer({ min: 0, max: 4 }),
  remote: fc.option(fc.constantFrom(...GROUPS), { nil: null }),
  addressGroup: fc.option(fc.constantFrom(...ADDRESS_GROUPS), { nil: null, freq: 3 }),
});

type PortOp = typeof portArb extends fc.Arbitrary<infer T> ? T : never;
type RuleOp = typeof ruleArb extends fc.Arbitrary<infer T> ? T : never;
/** A member is a port bound elsewhere as the host feed sends it (ids apart from the ports'). */
type Op = { kind: 'port'; del: boolean; p: PortOp } | { kind: 'member'; del: boolean; p: Omit<PortOp, 'id'> & { id: string } } | { kind: 'rule'; del: boolean; r: RuleOp } | { kind: 'group'; del: boolean; id: string; stateful: boolean }
  | { kind: 'address-group'; del: boolean; id: string; addresses: string[] };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('port' as const), del: fc.constantFrom(false, false, false, true), p: portArb }) },
  { weight: 4, arbitrary: fc.record({ kind: fc.constant('rule' as const), del: fc.boolean(), r: ruleArb }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('member' as const), del: fc.boolean(), p: portArb.map((p) => ({ ...p, id: `m${p.id}` })) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('group' as const), del: fc.constant(false), id: fc.constantFrom(...GROUPS), stateful: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('address-group' as const), del: fc.constantFrom(false, false, true), id: fc.constantFrom(...ADDRESS_GROUPS), addresses: fc.subarray(AG_ADDRESSES, { maxLength: 4 }) }) },
);

const addressGroupWire = (id: string, addresses: string[]): AddressGroupWire => ({ ...base, id, name: id, addresses });

function portWire(p: Omit<PortOp, 'id'> & { id: string }): PortWire {
  return {
    ...base, id: p.id, name: p.name, network_id: 'n', mac_address: '02:00:00:00:00:01', fixed_ips: p.ips.map((ip_address) => ({ subnet_id: 's', ip_address })),
    device_id: 'd', device_owner: 'compute:nova', 'binding:host_id': p.host, admin_state_up: true, status: 'ACTIVE', security_groups: p.groups,
    port_security_enabled: p.security, allowed_address_pairs: p.pairs.map((ip_address) => ({ ip_address, mac_address: '02:00:00:00:00:02' })),
  };
}

function ruleWire(r: RuleOp): SecurityGroupRuleWire {
  const ethertype = r.v6 ? 'IPv6' : 'IPv4';
  const protocol = r.v6 && r.protocol === 'icmp' ? 'ipv6-icmp' : r.protocol;
  const ranged = protocol === 'tcp' || protocol === 'udp' || protocol?.endsWith('icmp');
  const prefixes = r.v6 ? PREFIXES6 : PREFIXES4;
  const addressGroup = r.remote ? null : r.addressGroup;
  const prefix = r.remote || addressGroup ? null : prefixes[r.prefix % prefixes.length]!;
  return {
    ...base, id: r.id, security_group_id: r.group, direction: r.direction, ethertype, protocol,
    port_range_min: ranged ? r.min : null, port_range_max: ranged ? r.min + r.span : null, remote_ip_prefix: prefix, normalized_cidr: prefix,
    remote_group_id: r.remote, remote_address_group_id: addressGroup, belongs_to_default_sg: false,
  };
}

const groupWire = (id: string, stateful: boolean): SecurityGroupWire => ({ ...base, id, name: id, stateful, shared: false, tags: [] });

function memberWire(p: Omit<PortOp, 'id'> & { id: string }): MemberWire {
  const w = portWire(p);
  return { id: w.id, mac_address: w.mac_address, fixed_ips: w.fixed_ips, allowed_address_pairs: w.allowed_address_pairs, security_groups: w.security_groups };
}

function changeOf(op: Op, seq: number): ChangeWire | HostChangeWire {
  if (op.kind === 'member') return { seq, resource: 'member', action: op.del ? 'delete' : 'update', id: op.p.id, object: op.del ? null : memberWire(op.p) };
  const [resource, id, object] = op.kind === 'port' ? (['port', op.p.id, portWire(op.p)] as const)
    : op.kind === 'rule' ? (['security_group_rule', op.r.id, ruleWire(op.r)] as const)
    : op.kind === 'address-group' ? (['address_group', op.id, addressGroupWire(op.id, op.addresses)] as const)
    : (['security_group', op.id, groupWire(op.id, op.stateful)] as const);
  return { seq, resource, action: op.del ? 'delete' : 'update', id, project_id: 'p', object: op.del ? null : object, at: AT };
}

const setText = (s: NftSet) => JSON.stringify([s.type, s.map, s.interval, [...s.elements].sort()]);
const sameContent = (a: NftSet | readonly string[], b: NftSet | readonly string[]) =>
  Array.isArray(a) ? JSON.stringify(a) === JSON.stringify(b) : setText(a as NftSet) === setText(b as NftSet);

function normal(state: NftState): unknown {
  return {
    sets: [...state.sets.values()].map((s) => [s.name, setText(s)]).sort(),
    chains: [...state.chains].sort((a, b) => a[0].localeCompare(b[0])),
  };
}

function fromScratch(model: AgentModel): NftState {
  const fresh = AgentModel.of([...model.wire.ports.values()], [...model.wire.groups.values()], [...model.wire.rules.values()], [...model.wire.members.values()], [...model.wire.addressGroups.values()]);
  return desiredState(fresh, { host: 'h1' });
}

/** The order of keys inside one element statement means nothing (the diff lists them as it finds them). */
const canonical = (script: string) => script.replace(/\{ ([^{}]*) \}/g, (_, keys: string) => `{ ${keys.split(', ').sort().join(', ')} }`);

function deepCopy(state: NftState): NftState {
  return {
    sets: new Map([...state.sets].map(([n, s]) => [n, { ...s, elements: new Map(s.elements) }])),
    chains: new Map([...state.chains].map(([n, lines]) => [n, [...lines]])),
  };
}

describe('desired state, incremental', () => {
  it('equals a build from scratch after every change, and a piece is a new object exactly when its content changed', () => {
    let elementChanges = 0;
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 40 }), (ops) => {
        const model = AgentModel.of([], GROUPS.map((g) => groupWire(g, true)), []);
        let prev = desiredState(model, { host: 'h1' });
        ops.forEach((op, i) => {
          model.apply(changeOf(op, i + 1));
          const next = desiredState(model, { host: 'h1' });
          expect(normal(next)).toEqual(normal(fromScratch(model)));
          for (const [kind, a, b] of [['set', prev.sets, next.sets], ['chain', prev.chains, next.chains]] as const) {
            for (const [name, old] of a as ReadonlyMap<string, NftSet | readonly string[]>) {
              const now = (b as ReadonlyMap<string, NftSet | readonly string[]>).get(name);
              if (now !== undefined) expect({ kind, name, reused: old === now }).toEqual({ kind, name, reused: sameContent(old, now) });
            }
          }
          expect(canonical(renderDiff(prev, next))).toBe(canonical(renderDiff(deepCopy(prev), next)));
          // Where the transaction is element changes alone, they say exactly what the script says.
          const elements = elementDiff(prev, next);
          if (elements) {
            elementChanges++;
            const lines = elements.map((c) => `${c.delete ? 'delete' : 'add'} element inet palisade ${c.set} { ${c.keys.join(', ')} }`);
            expect(canonical(lines.join('\n') + (lines.length ? '\n' : ''))).toBe(canonical(renderDiff(prev, next)));
          } else {
            const plain = (line: string) => {
              const set = next.sets.get(/^(?:add|delete) element inet palisade (\S+) /.exec(line)?.[1] ?? '');
              return !!set && !set.map && !set.interval && /^ipv[46]_addr$/.test(set.type);
            };
            expect(renderDiff(prev, next).split('\n').filter(Boolean).every(plain)).toBe(false);
          }
          prev = next;
        });
      }),
      { numRuns: 300 },
    );
    expect(elementChanges).toBeGreaterThan(100);
  });

  it('a member joining a 2,000-member group rebuilds only that group\'s member set', () => {
    const ports = Array.from({ length: 2000 }, (_, i) => portWire({ id: `m${i}`, host: 'h2', ips: [`10.9.${i >> 8}.${i & 255}`], pairs: [], groups: ['g1'], security: true, name: 'a' }));
    const local = Array.from({ length: 50 }, (_, i) => portWire({ id: `l${i}`, host: 'h1', ips: [`10.8.0.${i}`], pairs: [], groups: ['g0'], security: true, name: 'a' }));
    const rules = [ruleWire({ id: 'r0', group: 'g0', direction: 'ingress', v6: false, protocol: 'tcp', min: 22, span: 0, prefix: 0, remote: 'g1', addressGroup: null })];
    const model = AgentModel.of([...ports, ...local], GROUPS.map((g) => groupWire(g, true)), rules);
    const before = desiredState(model, { host: 'h1' });
    model.apply(changeOf({ kind: 'port', del: false, p: { id: 'p7', host: 'h2', ips: ['10.9.200.1'], pairs: [], groups: ['g1'], security: true, name: 'a' } }, 1));
    const after = desiredState(model, { host: 'h1' });
    expect([...after.sets].filter(([n, s]) => before.sets.get(n) !== s).map(([n]) => n)).toEqual(['m4_g1']);
    expect([...after.chains].filter(([n, c]) => before.chains.get(n) !== c)).toEqual([]);
    expect(renderDiff(before, after)).toBe('add element inet palisade m4_g1 { 10.9.200.1 }\n');
    expect(elementDiff(before, after)).toEqual([{ set: 'm4_g1', version: 4, delete: false, keys: ['10.9.200.1'] }]);
  });

  it('add_addresses and remove_addresses are element changes of the address group\'s one shared set', () => {
    const local = Array.from({ length: 20 }, (_, i) => portWire({ id: `l${i}`, host: 'h1', ips: [`10.8.0.${i}`], pairs: [], groups: [i % 2 ? 'g0' : 'g1'], security: true, name: 'a' }));
    const rule = (id: 'r0' | 'r1', group: string, min: number) => ruleWire({ id, group, direction: 'ingress', v6: false, protocol: 'tcp', min, span: 0, prefix: 0, remote: null, addressGroup: 'ag0' });
    const model = AgentModel.of(local, GROUPS.map((g) => groupWire(g, true)), [rule('r0', 'g0', 22), rule('r1', 'g1', 80)], [], [addressGroupWire('ag0', ['10.0.0.0/24'])]);
    const before = desiredState(model, { host: 'h1' });
    expect(before.chains.get('gi_g0')).toContain('ip saddr @a4_ag0 meta l4proto 6 th dport 22 accept');
    expect(before.chains.get('gi_g1')).toContain('ip saddr @a4_ag0 meta l4proto 6 th dport 80 accept');
    model.apply({ seq: 1, resource: 'address_group', action: 'update', id: 'ag0', project_id: 'p', object: addressGroupWire('ag0', ['10.0.0.0/24', '192.0.2.0/28']), at: AT });
    const added = desiredState(model, { host: 'h1' });
    expect(renderDiff(before, added)).toBe('add element inet palisade a4_ag0 { 192.0.2.0/28 }\n');
    model.apply({ seq: 2, resource: 'address_group', action: 'update', id: 'ag0', project_id: 'p', object: addressGroupWire('ag0', ['192.0.2.0/28']), at: AT });
    expect(renderDiff(added, desiredState(model, { host: 'h1' }))).toBe('delete element inet palisade a4_ag0 { 10.0.0.0/24 }\n');
  });

  it('skips the audit-only records of the log (sharing and identity): nothing a host enforces changes', () => {
    const model = AgentModel.of([], GROUPS.map((g) => groupWire(g, true)), []);
    const before = desiredState(model, { host: 'h1' });
    const records: ChangeWire['resource'][] = ['rbac_policy', 'user', 'project', 'role_assignment', 'token', 'network', 'subnet'];
    records.forEach((resource, i) => model.apply({ seq: i + 1, resource, action: 'create', id: `x${i}`, project_id: 'p', object: { id: `x${i}` }, at: AT }));
    expect(renderDiff(before, desiredState(model, { host: 'h1' }))).toBe('');
  });
});
