// What-if: the exact difference a list of changes would make (access between ports, exposure to prefixes, lint), nothing kept.
import type { AddressGroup, EtherType, Port, SecurityGroup, SecurityGroupRule } from '../domain/index.js';
import { everyAddress, normalizeRanges, prefixRange, rangesToCidrs, subtractRanges, sameRanges, type AddressRange } from './address-ranges.js';
import { compileRule, KEY_NONE, PROTOCOL_KEY_KIND, REMOTE_ANY, REMOTE_GROUP, REMOTE_PREFIX, type CompiledRule } from './compiled-rule.js';
import { reasonFor } from './decide.js';
import type { EngineState, PortEntry } from './engine-state.js';
import { newParsedFlow, type ParsedFlow } from './flow.js';
import { KEY_MAX, KEY_MIN } from './key-intervals.js';
import { findingKey, findingsFor, type Finding } from './lint.js';
import type { PolicyChange } from './policy-engine.js';
import { guardVerdict } from './port-guard.js';
import { memberOf, MODE_FILTERED, MODE_TRUSTED, profileOf } from './port-profile.js';
import { keyHi, keyLo, remoteRange } from './rule-cover.js';
import {
  ALL_KEYS, ALL_SERVICES, NO_SERVICES, differenceOf, isEmptySet, keysOf, sameSet, serviceSet, unionOf, type Keys, type ServiceSet,
} from './service-set.js';
import { isAllowing, REASON_ALWAYS_ALLOWED } from './verdict.js';
import { UNLIMITED, type WorkBudget } from './work-budget.js';

/** Services one port gains or loses towards another (`from` sends, `to` receives). */
export interface AccessChange {
  readonly from: string;
  readonly to: string;
  readonly etherType: EtherType;
  readonly gained: ServiceSet;
  readonly lost: ServiceSet;
}

/** On a key range of a protocol (null = every protocol no rule of the port names), prefixes a port admits more or less. */
export interface ExposureChange {
  readonly portId: string;
  readonly etherType: EtherType;
  readonly protocol: number | null;
  readonly keyLo: number;
  readonly keyHi: number;
  readonly gained: readonly string[];
  readonly lost: readonly string[];
}

export interface WhatIf {
  readonly access: readonly AccessChange[];
  readonly exposure: readonly ExposureChange[];
  readonly findingsAdded: readonly Finding[];
  readonly findingsCleared: readonly Finding[];
}

const ETHER: readonly EtherType[] = ['IPv4', 'IPv6'];
const INGRESS = [0, 1];
/** ICMPv6 types the guards decide whatever the rules say: their key ranges are pieces of their own. */
const GUARDED_ICMPV6_TYPES = [130, 131, 133, 134, 135, 136, 143];
const ICMPV6 = 58;

/** The ports a what-if compares: a project's instance ports (as the matrix has them) with a fixed IP. */
function instancePorts(state: EngineState, projectId: string): PortEntry[] {
  return [...state.ports.values()].filter((e) => e.profile.port.projectId === projectId && e.profile.port.deviceId !== '' && e.profile.mode !== MODE_TRUSTED);
}

function firstFixed(entry: PortEntry, version: 4 | 6): Int32Array | null {
  return entry.profile.fixed.find((a) => a.version === version)?.words ?? null;
}

/** Key cuts inside [lo, hi] where what a port decides may change: its compiled segments and the guards' ICMPv6 types. */
function cutsWithin(starts: Int32Array | null, protocol: number, lo: number, hi: number): number[] {
  if (lo === hi) return [lo];
  const cuts = [lo];
  if (starts !== null) for (const s of starts) if (s > lo && s <= hi) cuts.push(s);
  if (protocol === ICMPV6) for (const t of GUARDED_ICMPV6_TYPES) for (const c of [t * 256, (t + 1) * 256]) if (c > lo && c <= hi) cuts.push(c);
  return [...new Set(cuts)].sort((a, b) => a - b);
}

/**
 * What one side of a port (`slot`) admits from or to a remote address, within `scope`: decided by the engine's own
 * reasonFor at one key of each piece of the key space over which its compiled policy cannot change its mind.
 */
function sideSet(state: EngineState, entry: PortEntry, slot: number, remote: Int32Array, scope: ServiceSet, f: ParsedFlow): ServiceSet {
  if (isEmptySet(scope)) return NO_SERVICES;
  if (entry.profile.mode !== MODE_FILTERED) return scope;
  const policy = entry.slot.policy ?? state.policyOf(entry.slot);
  const index = policy.slots[slot]!;
  f.slot = slot;
  f.version = (slot & 1) === 1 ? 6 : 4;
  f.words.set(remote, 0);
  f.hasLocal = false;
  f.sourcePort = -1;
  const decide = (protocol: number, key: number): boolean => {
    f.protocol = protocol;
    f.key = key;
    f.port = key;
    f.icmpType = key >> 8;
    return isAllowing(reasonFor(state, entry, f));
  };
  const protocols = new Set(scope.named.keys());
  if (scope.rest) {
    index.byProtocol.forEach((b, p) => b !== null && protocols.add(p));
    // The guards decide some ICMPv6 types whatever the rules say (only IPv6 has them).
    if ((slot & 1) === 1) protocols.add(ICMPV6);
  }
  const named: [number, Keys][] = [];
  for (const p of protocols) {
    const keys = keysOf(scope, p);
    if (keys.length === 0) continue;
    if (PROTOCOL_KEY_KIND[p] === KEY_NONE) {
      named.push([p, decide(p, 0) ? ALL_KEYS : []]);
      continue;
    }
    const starts = index.byProtocol[p]?.segments.starts ?? null;
    const out: number[] = [];
    for (let i = 0; i < keys.length; i += 2) {
      const cuts = cutsWithin(starts, p, keys[i]!, keys[i + 1]!);
      cuts.forEach((c, j) => {
        if (!decide(p, c)) return;
        const end = j + 1 < cuts.length ? cuts[j + 1]! - 1 : keys[i + 1]!;
        if (out.length > 0 && out[out.length - 1] === c - 1) out[out.length - 1] = end;
        else out.push(c, end);
      });
    }
    named.push([p, out]);
  }
  // Every other protocol: no bucket of its own and no guard, so only the any-protocol rules decide; 255 is reserved and named by none.
  let rest = false;
  if (scope.rest) {
    let representative = 255;
    while (protocols.has(representative) || index.byProtocol[representative] !== null) representative--;
    rest = decide(representative, 0);
  }
  return serviceSet(named, rest);
}

/** What `from` can send `to` within the scope: from's egress towards to's address, then to's ingress from from's. */
function pairSet(state: EngineState, from: PortEntry, to: PortEntry, version: 4 | 6, scopes: readonly ServiceSet[], f: ParsedFlow): ServiceSet {
  const a = firstFixed(from, version);
  const b = firstFixed(to, version);
  if (a === null || b === null) return NO_SERVICES;
  const v = version === 6 ? 1 : 0;
  const egress = sideSet(state, from, 2 + v, b, scopes[v]!, f);
  return sideSet(state, to, v, a, egress, f);
}

/** Piecewise over keys: which addresses the port's prefix and any-remote ingress rules admit. */
interface ExposurePiece { readonly protocol: number | null; readonly lo: number; readonly hi: number; readonly ranges: readonly AddressRange[] }

function exposureOf(state: EngineState, entry: PortEntry, slot: number, scope: ServiceSet): ExposurePiece[] {
  if (isEmptySet(scope)) return [];
  const version = (slot & 1) === 1 ? 6 : 4;
  const all = [everyAddress(version)];
  const filtered = entry.profile.mode === MODE_FILTERED;
  // External exposure comes from rules whose remote is a set of addresses: any, a prefix, or an address group's CIDRs.
  const rules = filtered
    ? state.rulesOf(entry.profile).filter((r) => r.slot === slot && (r.remote === REMOTE_ANY || r.remote === REMOTE_PREFIX || r.rule.remoteAddressGroupId !== null))
    : [];
  const f = newParsedFlow();
  f.slot = slot;
  f.version = version;
  const guarded = (p: number, key: number) => {
    if (!filtered) return true;
    f.protocol = p;
    f.icmpType = key >> 8;
    return guardVerdict(entry.profile, f) === REMOTE_GUARD_ALLOWED;
  };
  const rangesAt = (active: readonly CompiledRule[]) => normalizeRanges(active.flatMap((r) => remoteRanges(state, r, version)));
  const out: ExposurePiece[] = [];
  const protocols = new Set(scope.named.keys());
  if (scope.rest) for (const r of rules) if (r.protocol >= 0) protocols.add(r.protocol);
  if (scope.rest && version === 6) protocols.add(ICMPV6);
  for (const p of [...protocols].sort((a, b) => a - b)) {
    const keys = keysOf(scope, p);
    const mine = rules.filter((r) => r.protocol < 0 || r.protocol === p);
    const starts = Int32Array.from(mine.flatMap((r) => [keyLo(r), keyHi(r) + 1]));
    for (let i = 0; i < keys.length; i += 2) {
      const hiEnd = PROTOCOL_KEY_KIND[p] === KEY_NONE ? KEY_MAX : keys[i + 1]!;
      const cuts = cutsWithin(starts, p, keys[i]!, hiEnd);
      cuts.forEach((c, j) => {
        const end = j + 1 < cuts.length ? cuts[j + 1]! - 1 : hiEnd;
        const ranges = !filtered || guarded(p, c) ? all : rangesAt(mine.filter((r) => keyLo(r) <= c && keyHi(r) >= c));
        const last = out[out.length - 1];
        if (last !== undefined && last.protocol === p && last.hi === c - 1 && sameRanges(last.ranges, ranges)) out[out.length - 1] = { ...last, hi: end };
        else out.push({ protocol: p, lo: c, hi: end, ranges });
      });
    }
  }
  if (scope.rest) out.push({ protocol: null, lo: KEY_MIN, hi: KEY_MAX, ranges: filtered ? rangesAt(rules.filter((r) => r.protocol < 0)) : all });
  return out;
}
const REMOTE_GUARD_ALLOWED = REASON_ALWAYS_ALLOWED;

/** The addresses a rule's remote admits: its prefix (or all), or the CIDRs of its address group of that version. */
function remoteRanges(state: EngineState, r: CompiledRule, version: 4 | 6): AddressRange[] {
  const addressGroupId = r.rule.remoteAddressGroupId;
  if (addressGroupId === null) return [remoteRange(r)];
  return (state.addressGroups.get(addressGroupId)?.addresses ?? []).flatMap((cidr) => {
    const m = memberOf(cidr);
    return m !== null && m.version === version ? [prefixRange(m.words, m.prefixLength)] : [];
  });
}

/** The value of a piecewise exposure at a protocol and key (a protocol it does not name takes the `null` piece). */
function exposureAt(pieces: readonly ExposurePiece[], protocol: number | null, key: number): readonly AddressRange[] {
  const named = protocol !== null && pieces.some((x) => x.protocol === protocol);
  const p = named ? protocol : null;
  return pieces.find((x) => x.protocol === p && x.lo <= key && x.hi >= key)?.ranges ?? [];
}

function exposureDiff(portId: string, etherType: EtherType, before: readonly ExposurePiece[], after: readonly ExposurePiece[]): ExposureChange[] {
  const version = etherType === 'IPv4' ? 4 : 6;
  const protocols = [...new Set([...before, ...after].map((x) => x.protocol))].sort((a, b) => (a ?? 256) - (b ?? 256));
  const out: ExposureChange[] = [];
  const rest = (pieces: readonly ExposurePiece[]) => pieces.find((x) => x.protocol === null)?.ranges ?? [];
  const restDiff = [rangesToCidrs(subtractRanges(rest(after), rest(before)), version), rangesToCidrs(subtractRanges(rest(before), rest(after)), version)] as const;
  for (const p of protocols) {
    const cuts = [...new Set([...before, ...after].filter((x) => x.protocol === p || x.protocol === null).flatMap((x) => [x.lo, x.hi + 1]))].filter((c) => c <= KEY_MAX).sort((a, b) => a - b);
    cuts.forEach((c, j) => {
      const end = j + 1 < cuts.length ? cuts[j + 1]! - 1 : KEY_MAX;
      const was = exposureAt(before, p, c);
      const now = exposureAt(after, p, c);
      const gained = rangesToCidrs(subtractRanges(now, was), version);
      const lost = rangesToCidrs(subtractRanges(was, now), version);
      // A protocol's entries cover exactly the keys where it differs from the every-other-protocol entry.
      const [g0, l0] = p === null ? [[], []] : restDiff;
      if (gained.join() === g0.join() && lost.join() === l0.join()) return;
      const last = out[out.length - 1];
      if (last !== undefined && last.protocol === p && last.keyHi === c - 1 && last.gained.join() === gained.join() && last.lost.join() === lost.join()) out[out.length - 1] = { ...last, keyHi: end };
      else out.push({ portId, etherType, protocol: p, keyLo: c, keyHi: end, gained, lost });
    });
  }
  return out;
}

/** The box of services a rule can change, by slot. */
function ruleScope(r: CompiledRule): ServiceSet {
  if (r.protocol < 0) return ALL_SERVICES;
  return serviceSet([[r.protocol, PROTOCOL_KEY_KIND[r.protocol] === KEY_NONE ? ALL_KEYS : [keyLo(r), keyHi(r)]]], false);
}

interface Plan {
  readonly changes: PolicyChange[];
  readonly scopes: ServiceSet[];
  /** Port id → whether the port's standing as a remote changes (its groups, so every rule naming them sees it anew). */
  readonly affected: Map<string, boolean>;
  readonly lintGroups: Set<string>;
  /** The remotes of the changed rules: a side can only change towards addresses they admit. Null: any address (a port or group change). */
  remotes: CompiledRule[] | null;
  /** Set when every change only moves ports between groups (same addresses, same mode): lets each pair be narrowed. */
  moves: Moves | null;
}

/**
 * Ports moving between groups, and where each side of a pair can change: a moved port's own sides within the services
 * of the rules of its groups that come or go (`own`, by slot); any port's side towards a port whose addresses change
 * standing (`standing`) within the services of its rules naming those groups as remote group (`remoteByGroup`: by the
 * group holding such rules, by slot; `remote`: all of them).
 */
interface Moves {
  readonly own: Map<string, ServiceSet[]>;
  readonly remote: ServiceSet[];
  readonly remoteByGroup: Map<string, ServiceSet[]>;
  /** A moved port's groups before and after: its rules are those of either. */
  readonly groups: Map<string, Set<string>>;
  readonly standing: Set<string>;
}

/** Expands group deletions as the store does them (its rules and every rule naming it go too) and finds what can change. */
function planOf(state: EngineState, projectId: string, changes: readonly PolicyChange[]): Plan {
  const plan: Plan = { changes: [], scopes: [NO_SERVICES, NO_SERVICES, NO_SERVICES, NO_SERVICES], affected: new Map(), lintGroups: new Set(), remotes: [], moves: null };
  const moves: Moves = { own: new Map(), remote: [NO_SERVICES, NO_SERVICES, NO_SERVICES, NO_SERVICES], remoteByGroup: new Map(), groups: new Map(), standing: new Set() };
  let onlyMoves = changes.length > 0;
  const touchGroup = (g: string, standing: boolean) => {
    plan.lintGroups.add(g);
    for (const id of state.portsByGroup.get(g) ?? []) {
      if (!plan.affected.get(id)) plan.affected.set(id, standing);
      for (const other of state.ports.get(id)?.profile.groupIds ?? []) plan.lintGroups.add(other);
    }
  };
  const widen = (r: CompiledRule) => {
    plan.scopes[r.slot] = unionOf(plan.scopes[r.slot]!, ruleScope(r));
    plan.remotes?.push(r);
    touchGroup(r.rule.securityGroupId, false);
  };
  // Rules as the changes so far leave them: a group deleted after a rule was added takes that rule too.
  const added = new Map<string, CompiledRule>();
  const gone = new Set<string>();
  const ruleChange = (c: PolicyChange) => {
    plan.changes.push(c);
    const id = c.kind === 'rule' ? c.rule.id : c.kind === 'rule-deleted' ? c.ruleId : '';
    const old = added.get(id) ?? (gone.has(id) ? undefined : state.rules.get(id));
    if (old !== undefined) widen(old);
    if (c.kind === 'rule') {
      const compiled = compileRule(c.rule, state.groupIndex);
      widen(compiled);
      added.set(id, compiled);
    } else {
      added.delete(id);
      gone.add(id);
    }
  };
  for (const c of changes) {
    if (c.kind !== 'port') onlyMoves = false;
    if (c.kind === 'rule' || c.kind === 'rule-deleted') ruleChange(c);
    else if (c.kind === 'group-deleted') {
      const current = [...[...state.rules.values()].filter((r) => !gone.has(r.rule.id) && !added.has(r.rule.id)), ...added.values()];
      const cascade = current.filter((r) => r.rule.securityGroupId === c.groupId || r.rule.remoteGroupId === c.groupId);
      for (const r of cascade) ruleChange({ kind: 'rule-deleted', ruleId: r.rule.id });
      touchGroup(c.groupId, true);
      plan.remotes = null;
      plan.changes.push(c);
    } else if (c.kind === 'port' || c.kind === 'port-deleted') {
      const id = c.kind === 'port' ? c.port.id : c.portId;
      const old = state.ports.get(id)?.profile;
      const before = new Set(old?.groupIds ?? []);
      const after = new Set(c.kind === 'port' ? c.port.securityGroupIds : []);
      const groups = new Set([...before, ...after]);
      // Only the groups that come or go change anything: the port's own sides within their rules' services, and
      // other ports' sides towards it within the services of the rules that name them as remote group.
      const moved = new Set([...groups].filter((g) => before.has(g) !== after.has(g)));
      const sameAddresses = c.kind === 'port' && old !== undefined && JSON.stringify(profileOf(c.port).members) === JSON.stringify(old.members) && profileOf(c.port).mode === old.mode;
      if (sameAddresses) {
        const own = moves.own.get(id) ?? [NO_SERVICES, NO_SERVICES, NO_SERVICES, NO_SERVICES];
        moves.own.set(id, own);
        moves.groups.set(id, new Set([...(moves.groups.get(id) ?? []), ...groups]));
        // A side admits what any of its rules admits: a rule whose twin (same match) the port has both before and
        // after decides the same, so only the rules it has on one side only can change its own sides.
        const was = matchesOf(state, before);
        const now = matchesOf(state, after);
        for (const r of state.rules.values()) {
          if (moved.has(r.rule.securityGroupId) && was.has(matchOf(r)) !== now.has(matchOf(r))) own[r.slot] = unionOf(own[r.slot]!, ruleScope(r));
          if (r.rule.remoteGroupId !== null && moved.has(r.rule.remoteGroupId)) {
            moves.remote[r.slot] = unionOf(moves.remote[r.slot]!, ruleScope(r));
            const byGroup = moves.remoteByGroup.get(r.rule.securityGroupId) ?? [NO_SERVICES, NO_SERVICES, NO_SERVICES, NO_SERVICES];
            byGroup[r.slot] = unionOf(byGroup[r.slot]!, ruleScope(r));
            moves.remoteByGroup.set(r.rule.securityGroupId, byGroup);
          }
        }
        for (let s = 0; s < 4; s++) plan.scopes[s] = unionOf(plan.scopes[s]!, unionOf(own[s]!, moves.remote[s]!));
      } else {
        onlyMoves = false;
        for (let s = 0; s < 4; s++) plan.scopes[s] = ALL_SERVICES;
      }
      plan.remotes = null;
      plan.affected.set(id, true);
      for (const g of groups) touchGroup(g, true);
      // Rules naming these groups: their empty-remote-group findings may come or go.
      for (const r of state.rules.values()) if (r.rule.remoteGroupId !== null && groups.has(r.rule.remoteGroupId)) plan.lintGroups.add(r.rule.securityGroupId);
      // Addresses inside the port's members (allowed-address pairs, or the same fixed address on another network) are
      // members through it: their ports' standing changes too.
      moves.standing.add(id);
      const members = [...(old?.members ?? []), ...(c.kind === 'port' ? profileOf(c.port).members : [])];
      for (const e of instancePorts(state, projectId)) {
        if (members.some((m) => e.profile.fixed.some((a) => a.version === m.version && inPrefix(a.words, m.words, m.prefixLength)))) {
          plan.affected.set(e.profile.port.id, true);
          moves.standing.add(e.profile.port.id);
        }
      }
      plan.changes.push(c);
    } else if (c.kind === 'address-group' || c.kind === 'address-group-deleted') {
      // Every rule naming the address group admits other addresses: its services, on any address (before or after).
      const id = c.kind === 'address-group' ? c.addressGroup.id : c.addressGroupId;
      for (const r of state.rules.values()) if (r.rule.remoteAddressGroupId === id) widen(r);
      plan.remotes = null;
      plan.changes.push(c);
    } else plan.changes.push(c);
  }
  if (onlyMoves) plan.moves = moves;
  return plan;
}

/** What a rule matches, as a key: two rules with the same key admit the same flows. */
function matchOf(r: CompiledRule): string {
  const x = r.rule;
  return JSON.stringify([x.direction, x.etherType, x.protocol, x.portRangeMin, x.portRangeMax, x.remoteIpPrefix, x.remoteGroupId, x.remoteAddressGroupId]);
}

function matchesOf(state: EngineState, groups: ReadonlySet<string>): Set<string> {
  return new Set([...groups].flatMap((g) => [...(state.rulesByGroup.get(g)?.values() ?? [])].map(matchOf)));
}

function inPrefix(a: Int32Array, p: Int32Array, length: number): boolean {
  for (let k = 0; k < 4; k++) {
    const keep = length - 32 * k;
    const mask = keep <= 0 ? 0 : keep >= 32 ? -1 : -1 << (32 - keep);
    if (((a[k]! ^ p[k]!) & mask) !== 0) return false;
  }
  return true;
}

/** Applies changes to the engine's own state and returns how to take them back, in order. */
function applyAll(state: EngineState, changes: readonly PolicyChange[]): () => void {
  const undo: (() => void)[] = [];
  const orders = new Map<string, string[]>();
  const keepOrder = (g: string) => {
    if (!orders.has(g)) orders.set(g, [...(state.rulesByGroup.get(g)?.keys() ?? [])]);
  };
  for (const c of changes) {
    if (c.kind === 'rule' || c.kind === 'rule-deleted') {
      const id = c.kind === 'rule' ? c.rule.id : c.ruleId;
      const old: SecurityGroupRule | undefined = state.rules.get(id)?.rule;
      if (old !== undefined) keepOrder(old.securityGroupId);
      if (c.kind === 'rule') {
        keepOrder(c.rule.securityGroupId);
        state.upsertRule(c.rule);
      } else state.deleteRule(id);
      undo.push(() => (old === undefined ? state.deleteRule(id) : state.upsertRule(old)));
    } else if (c.kind === 'port' || c.kind === 'port-deleted') {
      const id = c.kind === 'port' ? c.port.id : c.portId;
      const old: Port | undefined = state.ports.get(id)?.profile.port;
      if (c.kind === 'port') state.upsertPort(c.port);
      else state.deletePort(id);
      undo.push(() => (old === undefined ? state.deletePort(id) : state.upsertPort(old)));
    } else if (c.kind === 'group-deleted') {
      const old: SecurityGroup | undefined = state.groups.get(c.groupId);
      for (const r of state.rulesByGroup.get(c.groupId)?.values() ?? []) {
        const rule = r.rule;
        keepOrder(rule.securityGroupId);
        undo.push(() => state.upsertRule(rule));
      }
      state.deleteGroup(c.groupId);
      undo.push(() => old !== undefined && state.upsertGroup(old));
    } else if (c.kind === 'address-group' || c.kind === 'address-group-deleted') {
      const id = c.kind === 'address-group' ? c.addressGroup.id : c.addressGroupId;
      const old: AddressGroup | undefined = state.addressGroups.get(id);
      if (c.kind === 'address-group') state.upsertAddressGroup(c.addressGroup);
      else state.deleteAddressGroup(id);
      undo.push(() => (old === undefined ? state.deleteAddressGroup(id) : state.upsertAddressGroup(old)));
    } else {
      const old = state.groups.get(c.group.id);
      state.upsertGroup(c.group);
      undo.push(() => (old === undefined ? state.groups.delete(c.group.id) : state.upsertGroup(old)));
    }
  }
  return () => {
    for (const u of undo.reverse()) u();
    // Rules come back in their first order, so explanations and effective rules read as they did.
    for (const [g, ids] of orders) {
      const byId = state.rulesByGroup.get(g);
      if (byId === undefined) continue;
      const entries = ids.flatMap((id) => (byId.has(id) ? [[id, byId.get(id)!] as const] : []));
      byId.clear();
      for (const [id, r] of entries) byId.set(id, r);
    }
  };
}

/** Could a changed rule admit this address: else the affected ports' sides towards it cannot change. */
function mayTouch(state: EngineState, remotes: readonly CompiledRule[] | null, version: 4 | 6, words: Int32Array): boolean {
  if (remotes === null) return true;
  for (const r of remotes) {
    if (((r.slot & 1) === 1 ? 6 : 4) !== version) continue;
    if (r.remote === REMOTE_ANY) return true;
    if (r.remote === REMOTE_PREFIX && inPrefix(words, r.words, r.prefixLength)) return true;
    if (r.remote === REMOTE_GROUP && state.membership.isMember(version, words, 0, r.remoteGroup)) return true;
  }
  return false;
}

interface Snapshot {
  /** Per affected port, per other port and IP version: the affected port's egress and ingress sides. */
  readonly sides: Map<string, ServiceSet[]>;
  readonly exposure: Map<string, ExposurePiece[]>;
  readonly findings: Finding[];
}

function snapshot(state: EngineState, projectId: string, plan: Plan, xs: readonly PortEntry[], ys: readonly PortEntry[], budget: WorkBudget, f: ParsedFlow): Snapshot {
  const sides = new Map<string, ServiceSet[]>();
  const exposure = new Map<string, ExposurePiece[]>();
  for (const x of xs) {
    const id = x.profile.port.id;
    for (const slot of INGRESS) exposure.set(`${id}|${slot}`, exposureOf(state, x, slot, plan.scopes[slot]!));
    if (plan.affected.get(id)) continue;
    budget.tick();
    for (const y of ys) {
      if (y === x) continue;
      for (const version of [4, 6] as const) {
        const remote = firstFixed(y, version);
        if (remote === null || firstFixed(x, version) === null || !mayTouch(state, plan.remotes, version, remote)) continue;
        const v = version === 6 ? 1 : 0;
        sides.set(`${id}|${y.profile.port.id}|${version}`, [sideSet(state, x, 2 + v, remote, plan.scopes[2 + v]!, f), sideSet(state, x, v, remote, plan.scopes[v]!, f)]);
      }
    }
  }
  return { sides, exposure, findings: findingsFor(state, projectId, [...plan.lintGroups].sort(), budget) };
}

/** Pairs (`x|y|version`) whose value may differ: every pair of a port whose standing changes, else those whose side changed. */
function changedPairs(before: Snapshot, after: Snapshot, plan: Plan, xs: readonly PortEntry[], ys: readonly PortEntry[]): Set<string> {
  const out = new Set<string>();
  for (const x of xs) {
    const id = x.profile.port.id;
    if (!plan.affected.get(id)) continue;
    // Under moves only pairs with a port of changed standing can change: a moved port stands so, and its groups'
    // other ports decide as before towards everyone else.
    if (plan.moves !== null && !plan.moves.standing.has(id)) continue;
    for (const y of ys) if (y !== x) for (const v of [4, 6]) out.add(`${id}|${y.profile.port.id}|${v}`);
  }
  for (const [key, now] of after.sides) {
    const was = before.sides.get(key);
    if (was === undefined || !sameSet(was[0]!, now[0]!) || !sameSet(was[1]!, now[1]!)) out.add(key);
  }
  return out;
}

/** Both directions of each pair (`x|y|version` → `x>y|v` and `y>x|v`). */
function pairValues(state: EngineState, pairs: ReadonlySet<string>, plan: Plan, budget: WorkBudget, f: ParsedFlow): Map<string, ServiceSet> {
  const out = new Map<string, ServiceSet>();
  const scopes = plan.scopes;
  // A change on either side can only move services in the union of both sides' scopes (index: the version).
  const pairScopes = [unionOf(scopes[0]!, scopes[2]!), unionOf(scopes[1]!, scopes[3]!)];
  const scopesOf = plan.moves === null ? () => pairScopes : directionScopes(state, plan.moves);
  let n = 0;
  for (const key of pairs) {
    if ((n++ & 255) === 0) budget.tick();
    const [xId, yId, v] = key.split('|') as [string, string, string];
    const x = state.ports.get(xId);
    const y = state.ports.get(yId);
    if (x === undefined || y === undefined) continue;
    const version = Number(v) as 4 | 6;
    out.set(`${xId}>${yId}|${v}`, pairSet(state, x, y, version, scopesOf(xId, yId), f));
    out.set(`${yId}>${xId}|${v}`, pairSet(state, y, x, version, scopesOf(yId, xId), f));
  }
  return out;
}

/**
 * Under moves, where `from` → `to` can change (index: the version): from's egress within its own changed services and,
 * if to's standing changes, the services of from's rules naming the moved groups; to's ingress likewise.
 */
function directionScopes(state: EngineState, moves: Moves): (fromId: string, toId: string) => ServiceSet[] {
  const remotes = new Map<string, ServiceSet[]>();
  // The groups of a port that does not move are the same before and after the changes.
  const remoteOf = (id: string): ServiceSet[] => {
    let out = remotes.get(id);
    if (out === undefined) {
      out = [NO_SERVICES, NO_SERVICES, NO_SERVICES, NO_SERVICES];
      for (const g of moves.groups.get(id) ?? state.ports.get(id)?.profile.groupIds ?? []) {
        const byGroup = moves.remoteByGroup.get(g);
        if (byGroup !== undefined) out = out.map((s, slot) => orOf(s, byGroup[slot]!));
      }
      remotes.set(id, out);
    }
    return out;
  };
  return (fromId, toId) => {
    const ownFrom = moves.own.get(fromId);
    const ownTo = moves.own.get(toId);
    const standingFrom = moves.standing.has(fromId);
    const standingTo = moves.standing.has(toId);
    return [0, 1].map((v) => {
      let s = NO_SERVICES;
      if (ownFrom !== undefined) s = orOf(s, ownFrom[2 + v]!);
      if (ownTo !== undefined) s = orOf(s, ownTo[v]!);
      if (standingTo) s = orOf(s, remoteOf(fromId)[2 + v]!);
      if (standingFrom) s = orOf(s, remoteOf(toId)[v]!);
      return s;
    });
  };
}

function orOf(a: ServiceSet, b: ServiceSet): ServiceSet {
  return isEmptySet(b) ? a : isEmptySet(a) ? b : unionOf(a, b);
}

/**
 * The difference the changes would make, computed on the engine's own state: the changes are applied, the
 * answer read, and every change taken back before returning (also on an error), so no other question sees them.
 */
export function whatIfOf(state: EngineState, projectId: string, changes: readonly PolicyChange[], budget: WorkBudget = UNLIMITED): WhatIf {
  const plan = planOf(state, projectId, changes);
  const f = newParsedFlow();
  const ys = instancePorts(state, projectId);
  const xsBefore = ys.filter((e) => plan.affected.has(e.profile.port.id));
  const before = snapshot(state, projectId, plan, xsBefore, ys, budget, f);
  let after: Snapshot;
  let pairsAfter: Map<string, ServiceSet>;
  let pairs: Set<string>;
  const revert = applyAll(state, plan.changes);
  try {
    const ysAfter = instancePorts(state, projectId);
    const xsAfter = ysAfter.filter((e) => plan.affected.has(e.profile.port.id));
    after = snapshot(state, projectId, plan, xsAfter, ysAfter, budget, f);
    pairs = changedPairs(before, after, plan, xsAfter, ysAfter);
    for (const key of changedPairs(before, after, plan, xsBefore, ys)) pairs.add(key);
    pairsAfter = pairValues(state, pairs, plan, budget, f);
  } finally {
    revert();
  }
  const pairsBefore = pairValues(state, pairs, plan, budget, f);
  const access: AccessChange[] = [];
  for (const key of new Set([...pairsBefore.keys(), ...pairsAfter.keys()])) {
    const was = pairsBefore.get(key) ?? NO_SERVICES;
    const now = pairsAfter.get(key) ?? NO_SERVICES;
    const gained = differenceOf(now, was);
    const lost = differenceOf(was, now);
    if (isEmptySet(gained) && isEmptySet(lost)) continue;
    const [ends, v] = key.split('|') as [string, string];
    const [from, to] = ends.split('>') as [string, string];
    access.push({ from, to, etherType: v === '4' ? 'IPv4' : 'IPv6', gained, lost });
  }
  access.sort((a, b) => (a.from === b.from ? (a.to === b.to ? a.etherType.localeCompare(b.etherType) : a.to < b.to ? -1 : 1) : a.from < b.from ? -1 : 1));
  const exposure: ExposureChange[] = [];
  for (const key of [...new Set([...before.exposure.keys(), ...after.exposure.keys()])].sort()) {
    const [portId, slot] = key.split('|') as [string, string];
    exposure.push(...exposureDiff(portId, ETHER[Number(slot)]!, before.exposure.get(key) ?? [], after.exposure.get(key) ?? []));
  }
  const keysBefore = new Set(before.findings.map(findingKey));
  const keysAfter = new Set(after.findings.map(findingKey));
  return {
    access,
    exposure,
    findingsAdded: after.findings.filter((x) => !keysBefore.has(findingKey(x))),
    findingsCleared: before.findings.filter((x) => !keysAfter.has(findingKey(x))),
  };
}

