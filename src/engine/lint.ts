// Lint: what is wrong with a project's rules, found on the engine's compiled rules with the semantics of enforcement.
import { normalizedCidrOf, protocolLabel, type RuleSpec, type SecurityGroupRule } from '../domain/index.js';
import { rangesToCidrs } from './address-ranges.js';
import { KEY_PORT, PROTOCOL_KEY_KIND, REMOTE_ANY, REMOTE_GROUP, REMOTE_PREFIX, type CompiledRule } from './compiled-rule.js';
import type { EngineState } from './engine-state.js';
import { groupNameOf } from './explain.js';
import { admitsEveryAddress, canonicalPolicy, isCovered, RuleBuckets, keyHi, keyLo, remoteRange, versionOfSlot } from './rule-cover.js';
import { UNLIMITED, type WorkBudget } from './work-budget.js';

export type FindingCode =
  | 'redundant-rule' | 'shadowed-on-port' | 'open-admin-port' | 'all-traffic-from-anywhere'
  | 'unused-group' | 'empty-remote-group' | 'duplicate-groups' | 'mergeable-rules';

export type Severity = 'high' | 'medium' | 'low' | 'info';

/** One API change, in the change log's shape: a rule to create (with its group) or an object to delete. */
export type ProposedChange =
  | { readonly action: 'create'; readonly resource: 'security_group_rule'; readonly rule: RuleSpec & { readonly securityGroupId: string } }
  | { readonly action: 'delete'; readonly resource: 'security_group_rule' | 'security_group'; readonly id: string };

export interface Finding {
  readonly code: FindingCode;
  readonly severity: Severity;
  readonly groupIds: readonly string[];
  readonly ruleIds: readonly string[];
  /** Ports concerned (at most MAX_PORTS_LISTED, by id); `portCount` says how many there are. */
  readonly portIds: readonly string[];
  readonly portCount: number;
  readonly message: string;
  /** API changes that remove the finding, or null when no change is safe to suggest blindly. */
  readonly fix: readonly ProposedChange[] | null;
}

export interface LintScope {
  readonly projectId: string;
  readonly groupId?: string;
  readonly portId?: string;
}

export const MAX_PORTS_LISTED = 20;

/** Services that administer a host or hold its data: open to every address, they are the usual way in. */
export const ADMIN_SERVICES: readonly { readonly port: number; readonly name: string }[] = [
  { port: 22, name: 'ssh' }, { port: 23, name: 'telnet' }, { port: 135, name: 'msrpc' }, { port: 445, name: 'smb' },
  { port: 1433, name: 'mssql' }, { port: 1521, name: 'oracle' }, { port: 2375, name: 'docker' }, { port: 2379, name: 'etcd' },
  { port: 3306, name: 'mysql' }, { port: 3389, name: 'rdp' }, { port: 5432, name: 'postgresql' }, { port: 5900, name: 'vnc' },
  { port: 5984, name: 'couchdb' }, { port: 6379, name: 'redis' }, { port: 6443, name: 'kubernetes-api' }, { port: 9200, name: 'elasticsearch' },
  { port: 11211, name: 'memcached' }, { port: 27017, name: 'mongodb' },
];

const TCP = 6;

/** `ingress IPv4 tcp/22 from 0.0.0.0/0`: a rule in one line. */
export function ruleLabel(r: RuleSpec, groupName?: (id: string) => string): string {
  const proto = protocolLabel(r.protocol);
  const { portRangeMin: lo, portRangeMax: hi } = r;
  const range = lo === null ? '' : hi === null || hi === lo ? `/${lo}` : `/${lo}-${hi}`;
  const remote = r.remoteIpPrefix !== null ? (normalizedCidrOf(r) ?? r.remoteIpPrefix)
    : r.remoteGroupId !== null ? `group ${groupName?.(r.remoteGroupId) ?? r.remoteGroupId}`
    : r.remoteAddressGroupId !== null ? `address group ${r.remoteAddressGroupId}` : 'anywhere';
  return `${r.direction} ${r.etherType} ${proto}${range} ${r.direction === 'ingress' ? 'from' : 'to'} ${remote}`;
}

function specOf(r: SecurityGroupRule): RuleSpec & { securityGroupId: string } {
  const { direction, etherType, protocol, portRangeMin, portRangeMax, remoteIpPrefix, remoteGroupId, remoteAddressGroupId, description, securityGroupId } = r;
  return { direction, etherType, protocol, portRangeMin, portRangeMax, remoteIpPrefix, remoteGroupId, remoteAddressGroupId, description, securityGroupId };
}

const deleteRule = (id: string): ProposedChange => ({ action: 'delete', resource: 'security_group_rule', id });

/** Results that depend only on one group's rules, kept until the group's rules change. */
interface GroupFacts {
  readonly epoch: number;
  /** Rules covered by the rest of the group, chosen so that deleting all of them together changes nothing. */
  readonly redundant: readonly CompiledRule[];
  readonly mergeable: readonly { a: CompiledRule; b: CompiledRule; merged: RuleSpec & { securityGroupId: string } }[];
  readonly canonical: string;
  readonly buckets: RuleBuckets;
}

const factsCache = new WeakMap<EngineState, Map<string, GroupFacts>>();

function rulesOfGroup(state: EngineState, groupId: string): CompiledRule[] {
  return [...(state.rulesByGroup.get(groupId)?.values() ?? [])];
}

/**
 * Redundant rules, in the group's order: each is covered by the rules not reported before it. The last one
 * reported is covered by rules that all stay, and so on back: deleting every reported rule changes nothing.
 */
function redundantOf(rules: readonly CompiledRule[], buckets: RuleBuckets): CompiledRule[] {
  const reported = new Set<CompiledRule>();
  for (const r of rules) if (isCovered(r, buckets.candidates(r), reported)) reported.add(r);
  return [...reported];
}

/** The remote as text for grouping, or null when the rules of that remote cannot be merged. */
function remoteKey(r: CompiledRule): string | null {
  if (r.remote === REMOTE_ANY) return 'any';
  if (r.remote === REMOTE_GROUP) return `g${r.remoteGroup}`;
  if (r.remote === REMOTE_PREFIX) return `p${remoteRange(r).join('-')}`;
  return null;
}

/** Pairs one rule can express: same remote and adjacent or overlapping port ranges, or same ports and sibling prefixes. */
function mergeableOf(rules: readonly CompiledRule[], redundant: ReadonlySet<CompiledRule>): GroupFacts['mergeable'] {
  const out: { a: CompiledRule; b: CompiledRule; merged: RuleSpec & { securityGroupId: string } }[] = [];
  const live = rules.filter((r) => !redundant.has(r) && remoteKey(r) !== null);
  const byPorts = new Map<string, CompiledRule[]>();
  const byPrefix = new Map<string, CompiledRule[]>();
  for (const r of live) {
    if (r.protocol >= 0 && PROTOCOL_KEY_KIND[r.protocol] === KEY_PORT && r.rule.portRangeMin !== null) {
      const k = `${r.slot}|${r.protocol}|${remoteKey(r)}`;
      byPorts.set(k, [...(byPorts.get(k) ?? []), r]);
    }
    if (r.remote === REMOTE_PREFIX) {
      const k = `${r.slot}|${r.protocol}|${keyLo(r)}|${keyHi(r)}|${r.prefixLength}`;
      byPrefix.set(k, [...(byPrefix.get(k) ?? []), r]);
    }
  }
  for (const list of byPorts.values()) {
    list.sort((x, y) => x.keyLo - y.keyLo);
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      // Overlapping or touching, and neither inside the other (that is a redundant rule).
      if (b.keyLo <= a.keyHi + 1 && b.keyHi > a.keyHi && b.keyLo > a.keyLo) {
        out.push({ a, b, merged: { ...specOf(a.rule), portRangeMin: a.keyLo, portRangeMax: b.keyHi, description: '' } });
      }
    }
  }
  for (const list of byPrefix.values()) {
    const version = versionOfSlot(list[0]!.slot);
    list.sort((x, y) => (remoteRange(x)[0] < remoteRange(y)[0] ? -1 : 1));
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      const [as, ae] = remoteRange(a);
      const size = ae - as + 1n;
      if (remoteRange(b)[0] !== ae + 1n || as % (size * 2n) !== 0n) continue;
      const [cidr] = rangesToCidrs([[as, remoteRange(b)[1]]], version);
      out.push({ a, b, merged: { ...specOf(a.rule), remoteIpPrefix: cidr!, description: '' } });
    }
  }
  return out;
}

function factsOf(state: EngineState, groupId: string): GroupFacts {
  let perState = factsCache.get(state);
  if (perState === undefined) factsCache.set(state, (perState = new Map()));
  const epoch = state.ruleEpochs.get(groupId) ?? 0;
  const cached = perState.get(groupId);
  if (cached !== undefined && cached.epoch === epoch) return cached;
  const rules = rulesOfGroup(state, groupId);
  const buckets = new RuleBuckets(rules);
  const redundant = redundantOf(rules, buckets);
  const stateful = state.groups.get(groupId)?.stateful ?? true;
  const facts: GroupFacts = { epoch, redundant, mergeable: mergeableOf(rules, new Set(redundant)), canonical: `${stateful}#${canonicalPolicy(rules)}`, buckets };
  perState.set(groupId, facts);
  return facts;
}

/** The groups a scope looks at: the project's, one group, or the groups of one port. */
function groupsInScope(state: EngineState, scope: LintScope): string[] {
  if (scope.groupId !== undefined) return [scope.groupId];
  if (scope.portId !== undefined) return [...state.entryOf(scope.portId).profile.groupOrder];
  return [...state.groups.values()].filter((g) => g.projectId === scope.projectId).map((g) => g.id).sort();
}

function portsOf(state: EngineState, groupId: string): string[] {
  return [...(state.portsByGroup.get(groupId) ?? [])].sort();
}

function finding(f: Omit<Finding, 'portIds' | 'portCount'>, ports: readonly string[] = []): Finding {
  return { ...f, portIds: ports.slice(0, MAX_PORTS_LISTED), portCount: ports.length };
}

/** Per lint run: what several groups' findings share, computed once. */
class LintRun {
  readonly #members = new Map<string, boolean>();
  readonly #others = new Map<string, RuleBuckets[]>();

  constructor(readonly state: EngineState) {}

  /** True when some port in the group holds an address of the version: a remote group with none admits nothing of it. */
  hasMembers(groupId: string, version: 4 | 6): boolean {
    const key = `${version}|${groupId}`;
    let found = this.#members.get(key);
    if (found === undefined) {
      found = [...(this.state.portsByGroup.get(groupId) ?? [])].some((id) => this.state.ports.get(id)?.profile.members.some((m) => m.version === version));
      this.#members.set(key, found);
    }
    return found;
  }

  /** For each group set that holds the group, the rules of the set's other groups. */
  othersOf(groupId: string): RuleBuckets[] {
    let found = this.#others.get(groupId);
    if (found === undefined) {
      found = [...(this.state.slotsByGroup.get(groupId) ?? [])].map((slot) => new RuleBuckets(slot.groupIds.filter((g) => g !== groupId).flatMap((g) => rulesOfGroup(this.state, g))));
      this.#others.set(groupId, found);
    }
    return found;
  }

  /** Covered on every port that has the group, by that port's other groups (and never on no port at all). */
  isShadowed(groupId: string, r: CompiledRule): boolean {
    const others = this.othersOf(groupId);
    return others.length > 0 && others.every((b) => isCovered(r, b.candidates(r)));
  }
}

/** The ingress rules of a slot that admit tcp/port from some address (prefix or any remote). */
function openingRules(rules: readonly CompiledRule[], slot: number, port: number): CompiledRule[] {
  return rules.filter((r) => r.slot === slot && (r.protocol < 0 || r.protocol === TCP) && keyLo(r) <= port && keyHi(r) >= port && (r.remote === REMOTE_ANY || r.remote === REMOTE_PREFIX));
}

function everyAddressRule(slot: number, port: number): CompiledRule {
  return { rule: null as unknown as SecurityGroupRule, slot, protocol: TCP, keyLo: port, keyHi: port, remote: REMOTE_ANY, words: new Int32Array(4), prefixLength: 0, remoteGroup: -1 };
}

/** Findings about one group. */
function groupFindings(run: LintRun, groupId: string): Finding[] {
  const state = run.state;
  const out: Finding[] = [];
  const group = state.groups.get(groupId);
  const name = groupNameOf(state, groupId);
  const nameOf = (id: string) => groupNameOf(state, id);
  const rules = rulesOfGroup(state, groupId);
  const ports = portsOf(state, groupId);
  const facts = factsOf(state, groupId);
  const redundant = new Set(facts.redundant);

  if (ports.length === 0 && group !== undefined && !group.isDefault) {
    out.push(finding({ code: 'unused-group', severity: 'info', groupIds: [groupId], ruleIds: [], message: `Group ${name} is on no port.`, fix: [{ action: 'delete', resource: 'security_group', id: groupId }] }));
  }
  for (const r of facts.redundant) {
    out.push(finding({ code: 'redundant-rule', severity: 'low', groupIds: [groupId], ruleIds: [r.rule.id], message: `Rule ${ruleLabel(r.rule, nameOf)} of group ${name} admits nothing the group's other rules do not.`, fix: [deleteRule(r.rule.id)] }, ports));
  }
  if (ports.length > 0) {
    for (const r of rules) {
      if (redundant.has(r) || !run.isShadowed(groupId, r)) continue;
      out.push(finding({ code: 'shadowed-on-port', severity: 'low', groupIds: [groupId], ruleIds: [r.rule.id], message: `Rule ${ruleLabel(r.rule, nameOf)} of group ${name} admits nothing on any of its ${ports.length} port(s) that their other groups do not.`, fix: [deleteRule(r.rule.id)] }, ports));
    }
  }
  const allTraffic = new Set<number>();
  for (const r of rules) {
    if (r.rule.direction !== 'ingress' || r.protocol >= 0 || !admitsEveryAddress(r)) continue;
    allTraffic.add(r.slot);
    out.push(finding({ code: 'all-traffic-from-anywhere', severity: 'high', groupIds: [groupId], ruleIds: [r.rule.id], message: `Rule ${ruleLabel(r.rule, nameOf)} of group ${name} lets every protocol and port in from every ${r.rule.etherType} address.`, fix: null }, ports));
  }
  for (const slot of [0, 1]) {
    if (allTraffic.has(slot)) continue;
    for (const s of ADMIN_SERVICES) {
      const wanted = everyAddressRule(slot, s.port);
      if (!isCovered(wanted, facts.buckets.candidates(wanted))) continue;
      const ruleIds = openingRules(rules, slot, s.port).map((r) => r.rule.id);
      const any = versionOfSlot(slot) === 4 ? '0.0.0.0/0' : '::/0';
      out.push(finding({ code: 'open-admin-port', severity: 'high', groupIds: [groupId], ruleIds, message: `Group ${name} admits tcp/${s.port} (${s.name}) from ${any}.`, fix: null }, ports));
    }
  }
  for (const r of rules) {
    if (r.remote !== REMOTE_GROUP || run.hasMembers(r.rule.remoteGroupId!, versionOfSlot(r.slot))) continue;
    const remote = r.rule.remoteGroupId!;
    out.push(finding({ code: 'empty-remote-group', severity: 'low', groupIds: [groupId, remote], ruleIds: [r.rule.id], message: `Rule ${ruleLabel(r.rule, nameOf)} of group ${name} names group ${nameOf(remote)}, which has no ${r.rule.etherType} member: it admits nothing.`, fix: [deleteRule(r.rule.id)] }, ports));
  }
  for (const m of facts.mergeable) {
    out.push(finding({
      code: 'mergeable-rules', severity: 'info', groupIds: [groupId], ruleIds: [m.a.rule.id, m.b.rule.id],
      message: `Rules ${ruleLabel(m.a.rule, nameOf)} and ${ruleLabel(m.b.rule, nameOf)} of group ${name} are one rule: ${ruleLabel(m.merged, nameOf)}.`,
      fix: [deleteRule(m.a.rule.id), deleteRule(m.b.rule.id), { action: 'create', resource: 'security_group_rule', rule: m.merged }],
    }, ports));
  }
  return out;
}

/** Groups of the project that admit exactly the same flows, the scoped groups among them. */
function duplicateFindings(state: EngineState, projectId: string, scoped: readonly string[], budget: WorkBudget): Finding[] {
  const byForm = new Map<string, string[]>();
  for (const g of [...state.groups.values()].filter((x) => x.projectId === projectId).map((x) => x.id).sort()) {
    budget.tick();
    const form = factsOf(state, g).canonical;
    byForm.set(form, [...(byForm.get(form) ?? []), g]);
  }
  const wanted = new Set(scoped);
  const out: Finding[] = [];
  for (const ids of byForm.values()) {
    if (ids.length < 2 || !ids.some((g) => wanted.has(g))) continue;
    const names = ids.map((g) => groupNameOf(state, g)).join(', ');
    out.push(finding({ code: 'duplicate-groups', severity: 'info', groupIds: ids, ruleIds: [], message: `Groups ${names} admit exactly the same traffic.`, fix: null }, [...new Set(ids.flatMap((g) => portsOf(state, g)))].sort()));
  }
  return out;
}

/** Findings on some groups of a project (the groups' own findings, and duplicates that involve them). */
export function findingsFor(state: EngineState, projectId: string, groupIds: readonly string[], budget: WorkBudget = UNLIMITED): Finding[] {
  const out: Finding[] = [];
  const run = new LintRun(state);
  for (const g of groupIds) {
    budget.tick();
    if (state.groups.has(g) || state.rulesByGroup.has(g)) out.push(...groupFindings(run, g));
  }
  out.push(...duplicateFindings(state, projectId, groupIds, budget));
  return out;
}

export function lintOf(state: EngineState, scope: LintScope, budget: WorkBudget = UNLIMITED): Finding[] {
  return findingsFor(state, scope.projectId, groupsInScope(state, scope), budget);
}

/** A finding's identity across two lint runs: its code and the objects it names. */
export function findingKey(f: Finding): string {
  return `${f.code}|${[...f.groupIds].sort().join(',')}|${[...f.ruleIds].sort().join(',')}`;
}

