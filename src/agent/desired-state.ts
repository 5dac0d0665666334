// The whole desired table for one host, from the model: dispatch maps, port and group chains, member sets.
import type { AgentModel, ModelPort } from './agent-model.js';
import { formatPrefix, isHost } from './ip-prefix.js';
import { forwardChains } from './forward-chains.js';
import { addressSet, groupChain, groupChainName, memberSets, type GroupChain } from './group-chains.js';
import { EGRESS_MAP, INGRESS_MAP, LayeredElements, STATELESS_IF, UNTRACK_CHAIN, isSameLines, isSameSet, nftSet, type NftSet, type NftState } from './nft-state.js';
import { interfaceOf, portChainName, portRules, portV6ChainName } from './port-chains.js';
import { localAddressSets, statefulInterfaces, untrackRules } from './untracked.js';

export interface HostOptions {
  readonly host: string;
  /** Host-side interface names are this prefix + the port id's start (default `tap`). */
  readonly ifacePrefix?: string;
}

export function localPorts(model: AgentModel, host: string): ModelPort[] {
  return [...model.portsOn(host)].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** A port is stateless when one of its groups is (the API refuses a mix). */
export function isStatelessPort(model: AgentModel, port: ModelPort): boolean {
  return port.groupIds.some((g) => model.groups.get(g)?.stateful === false);
}

/** One object for every state: the diff skips it by identity. Present only while some local port is stateless (a hooked chain costs every packet). */
const UNTRACK_LINES: readonly string[] = untrackRules();

/** Per local port: its dispatch verdicts, and its interface and addresses filed by statefulness (filtered ports only). */
interface Dispatch {
  readonly egress: Array<[string, string]>;
  readonly ingress: Array<[string, string]>;
  readonly statelessIfs: string[];
  readonly statefulIfs: string[];
  readonly stateless: ModelPort[];
  readonly stateful: ModelPort[];
}

interface MemberEntry {
  readonly rev: number;
  readonly sets: readonly NftSet[];
  /** Host elements each member port gives and how many ports give each (two ports may share an address); null with prefix members. */
  readonly hosts: { readonly byPort: Map<string, readonly string[]>; readonly count: Map<string, number> } | null;
}

interface ChainEntry {
  readonly rev: number;
  /** hasPrefixes of each of chain.remotes when the chain was built (its `q` lines depend on them). */
  readonly prefixed: readonly boolean[];
  readonly chain: GroupChain;
}

interface PortEntry {
  readonly port: ModelPort;
  readonly iface: string;
  readonly egressDispatch: [string, string];
  readonly ingressDispatch: [string, string];
  /** Its chains by name (none with port security off): per direction, the port chain and its IPv6 chain. */
  readonly chains: readonly (readonly [string, readonly string[]])[];
}

/**
 * Builds desired states for one model and host, reusing every piece whose inputs did not change since the
 * last build: member sets by the group's member revision, group chains by the group's rule revision (and
 * whether their remote groups have prefix members), port chains by the port object, local ports by the
 * host's revision. Unchanged pieces are the same objects as in the previous state, which lets the diff skip them.
 */
export class DesiredStateBuilder {
  #members = new Map<string, MemberEntry>();
  /** Address-group sets by `version|id`, with the address group's revision they were built at. */
  #addressSets = new Map<string, { readonly rev: number; readonly set: NftSet }>();
  #chains = new Map<string, ChainEntry>();
  #ports = new Map<string, PortEntry>();
  #local: { rev: number; ports: ModelPort[] } = { rev: -1, ports: [] };
  #dispatch: readonly NftSet[] = [];
  /** What the dispatch sets were built from: the local ports (array identity) and the revision of group flags. */
  #dispatchFrom: { ports: readonly ModelPort[]; flags: number } = { ports: [], flags: -1 };

  constructor(readonly model: AgentModel, readonly options: HostOptions) {}

  build(): NftState {
    const members = new Map<string, MemberEntry>();
    const chains = new Map<string, ChainEntry>();
    const ports = new Map<string, PortEntry>();
    const outSets = new Map<string, NftSet>();
    const outChains = new Map<string, readonly string[]>();
    const memberSetsOf = (g: string, version: 4 | 6): readonly NftSet[] => {
      const key = `${version}|${g}`;
      let e = members.get(key);
      if (!e) {
        e = this.#memberEntry(key, g, version);
        members.set(key, e);
      }
      return e.sets;
    };
    const hasPrefixes = (g: string, version: 4 | 6) => memberSetsOf(g, version).length > 1;
    const addressSets = new Map<string, { readonly rev: number; readonly set: NftSet }>();
    const addressSetOf = (a: string, version: 4 | 6): NftSet => {
      const key = `${version}|${a}`;
      const rev = this.model.changedAt('addresses', a);
      const old = addressSets.get(key) ?? this.#addressSets.get(key);
      const e = old?.rev === rev ? old : { rev, set: reuseSets(old ? [old.set] : [], [addressSet(a, version, this.model.addressesOf(a))])[0]! };
      addressSets.set(key, e);
      return e.set;
    };
    const addGroup = (g: string, direction: 'ingress' | 'egress'): void => {
      const key = groupChainName(g, direction);
      if (chains.has(key)) return;
      const e = this.#chainEntry(key, g, direction, hasPrefixes);
      chains.set(key, e);
      for (const r of e.chain.remotes) for (const s of memberSetsOf(r.groupId, r.version)) outSets.set(s.name, s);
      for (const a of e.chain.addressGroups) outSets.set(addressSetOf(a.addressGroupId, a.version).name, addressSetOf(a.addressGroupId, a.version));
      for (const s of e.chain.sets) outSets.set(s.name, s);
      outChains.set(key, e.chain.lines);
    };
    const local = this.#localPorts();
    const flags = this.model.changedAt('group', '*');
    // Dispatch maps and conntrack sets depend on the local ports and their groups' flags alone: a member joining elsewhere skips them.
    const dispatch: Dispatch | null = this.#dispatchFrom.ports === local && this.#dispatchFrom.flags === flags ? null
      : { egress: [], ingress: [], statelessIfs: [], statefulIfs: [], stateless: [], stateful: [] };
    for (const port of local) {
      const cached = this.#ports.get(port.id);
      const e = cached?.port === port ? cached : portEntry(port, this.options.ifacePrefix, cached);
      ports.set(port.id, e);
      dispatch?.egress.push(e.egressDispatch);
      dispatch?.ingress.push(e.ingressDispatch);
      if (!port.filtered) continue;
      for (const g of port.groupIds) {
        addGroup(g, 'egress');
        addGroup(g, 'ingress');
      }
      for (const [name, lines] of e.chains) outChains.set(name, lines);
      if (!dispatch) continue;
      const stateless = isStatelessPort(this.model, port);
      (stateless ? dispatch.statelessIfs : dispatch.statefulIfs).push(e.iface);
      (stateless ? dispatch.stateless : dispatch.stateful).push(port);
    }
    if (dispatch) {
      this.#dispatch = this.#dispatchSets(dispatch);
      this.#dispatchFrom = { ports: local, flags };
    }
    [this.#members, this.#chains, this.#ports, this.#addressSets] = [members, chains, ports, addressSets];
    const sets = new Map<string, NftSet>();
    for (const s of this.#dispatch) sets.set(s.name, s);
    const anyStateless = this.#dispatch.some((s) => s.name === STATELESS_IF && s.elements.size > 0);
    if (anyStateless) outChains.set(UNTRACK_CHAIN, UNTRACK_LINES);
    for (const [name, lines] of forwardChains(this.options.ifacePrefix ?? 'tap', anyStateless)) outChains.set(name, lines);
    for (const [name, s] of outSets) sets.set(name, s);
    return { sets, chains: outChains };
  }

  #localPorts(): ModelPort[] {
    const rev = this.model.changedAt('host', this.options.host);
    if (this.#local.rev !== rev) this.#local = { rev, ports: localPorts(this.model, this.options.host) };
    return this.#local.ports;
  }

  #memberEntry(key: string, g: string, version: 4 | 6): MemberEntry {
    const rev = this.model.changedAt('members', g);
    const old = this.#members.get(key);
    if (old?.rev === rev) return old;
    const changed = old?.hosts ? this.model.memberChangesSince(g, old.rev) : null;
    return (changed && old && advanceMembers(old, rev, changed, (id) => this.model.memberPort(id), g, version)) ?? fullMembers(old, rev, g, version, this.model.membersOf(g));
  }

  #chainEntry(key: string, g: string, direction: 'ingress' | 'egress', hasPrefixes: (g: string, v: 4 | 6) => boolean): ChainEntry {
    const rev = this.model.changedAt('rules', g);
    const old = this.#chains.get(key);
    if (old?.rev === rev && old.chain.remotes.every((r, i) => hasPrefixes(r.groupId, r.version) === old.prefixed[i])) return old;
    // Rules in id order: the index's order depends on history, and the chain must not.
    const built = groupChain(g, direction, [...this.model.rulesOf(g)].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)), hasPrefixes);
    const chain = old ? reuseUnchanged(old.chain, built) : built;
    return { rev, prefixed: chain.remotes.map((r) => hasPrefixes(r.groupId, r.version)), chain };
  }

  /**
   * The dispatch maps and the sets that decide what skips conntrack (see untracked.ts) are rebuilt each time
   * (a few entries per local port) but kept as the previous objects when equal.
   */
  #dispatchSets(d: Dispatch): readonly NftSet[] {
    const next = [
      nftSet(EGRESS_MAP, 'ifname : verdict', d.egress, { map: true }),
      nftSet(INGRESS_MAP, 'ifname : verdict', d.ingress, { map: true }),
      nftSet(STATELESS_IF, 'ifname', d.statelessIfs),
      statefulInterfaces(d.statefulIfs),
      ...localAddressSets('stateless', d.stateless),
      ...localAddressSets('stateful', d.stateful),
    ];
    return next.map((s, i) => (this.#dispatch[i] && isSameSet(this.#dispatch[i]!, s) ? this.#dispatch[i]! : s));
  }
}

/** The addresses a member port gives the group's sets in a family; null when one is a prefix (interval set: rebuild). */
function hostsOf(port: ModelPort | undefined, g: string, version: 4 | 6): string[] | null {
  if (!port?.groupIds.includes(g)) return [];
  const out: string[] = [];
  for (const p of [...port.fixedIps, ...port.pairs.map((x) => x.prefix)]) {
    if (p.version !== version) continue;
    if (!isHost(p)) return null;
    out.push(formatPrefix(p));
  }
  return out;
}

function fullMembers(old: MemberEntry | undefined, rev: number, g: string, version: 4 | 6, members: Iterable<ModelPort>): MemberEntry {
  const list = [...members];
  const sets = reuseSets(old?.sets ?? [], memberSets(g, version, list));
  if (sets.length > 1) return { rev, sets, hosts: null };
  const byPort = new Map<string, readonly string[]>();
  const count = new Map<string, number>();
  for (const p of list) {
    const hosts = hostsOf(p, g, version)!;
    byPort.set(p.id, hosts);
    for (const h of hosts) count.set(h, (count.get(h) ?? 0) + 1);
  }
  return { rev, sets, hosts: { byPort, count } };
}

/**
 * The member set after the given ports changed, from the previous one: reference counts per address, and a
 * layered element map sharing the unchanged elements. Null (rebuild) when a prefix member appears.
 */
function advanceMembers(old: MemberEntry, rev: number, changed: readonly string[], portOf: (id: string) => ModelPort | undefined, g: string, version: 4 | 6): MemberEntry | null {
  const next = new Map<string, string[]>();
  for (const id of new Set(changed)) {
    const hosts = hostsOf(portOf(id), g, version);
    if (hosts === null) return null;
    next.set(id, hosts);
  }
  const { byPort, count } = old.hosts!;
  const add: string[] = [];
  const remove: string[] = [];
  for (const [id, hosts] of next) {
    for (const h of byPort.get(id) ?? []) {
      if (count.set(h, count.get(h)! - 1).get(h) === 0) {
        count.delete(h);
        remove.push(h);
      }
    }
    for (const h of hosts) if (count.set(h, (count.get(h) ?? 0) + 1).get(h) === 1) add.push(h);
    if (hosts.length > 0) byPort.set(id, hosts);
    else byPort.delete(id);
  }
  const [adds, removes] = [add.filter((h) => !remove.includes(h)), remove.filter((h) => !add.includes(h))];
  const set = old.sets[0]!;
  const sets = adds.length + removes.length === 0 ? old.sets : [{ ...set, elements: LayeredElements.derive(set.elements, adds, removes) }];
  return { rev, sets, hosts: { byPort, count } };
}

const kept = (old: readonly string[] | undefined, built: readonly string[]): readonly string[] => (old && isSameLines(old, built) ? old : built);

/** A rule change rebuilds the group's chains; keep the old lines and sets where their content did not change. */
function reuseUnchanged(old: GroupChain, built: GroupChain): GroupChain {
  const lines = kept(old.lines, built.lines);
  return { ...built, lines, sets: reuseSets(old.sets, built.sets) };
}

/** Each new set, or the old one of the same name when equal (isSameSet compares sizes first, so a join costs no scan). */
function reuseSets(old: readonly NftSet[], built: readonly NftSet[]): readonly NftSet[] {
  return built.map((s) => old.find((o) => o.name === s.name && isSameSet(o, s)) ?? s);
}

/**
 * Everything about a local port that depends on the port object alone (port security off: dispatch to accept).
 * Chains whose lines did not change (an update of the port's name, say) stay the previous objects.
 */
function portEntry(port: ModelPort, ifacePrefix: string | undefined, old: PortEntry | undefined): PortEntry {
  const iface = `"${interfaceOf(port.id, ifacePrefix)}"`;
  const filtered = port.filtered;
  const chains: (readonly [string, readonly string[]])[] = [];
  const previous = (name: string) => old?.chains.find(([n]) => n === name)?.[1];
  for (const dir of filtered ? (['egress', 'ingress'] as const) : []) {
    const { v4, v6 } = portRules(port, dir, port.groupIds.map((g) => groupChainName(g, dir)));
    for (const [name, lines] of [[portChainName(port.id, dir), v4], [portV6ChainName(port.id, dir), v6]] as const) chains.push([name, kept(previous(name), lines)]);
  }
  return {
    port, iface, chains,
    egressDispatch: [iface, filtered ? `jump ${portChainName(port.id, 'egress')}` : 'accept'],
    ingressDispatch: [iface, filtered ? `jump ${portChainName(port.id, 'ingress')}` : 'accept'],
  };
}

const BUILDERS = new WeakMap<AgentModel, DesiredStateBuilder>();

/**
 * The table the model calls for. Memoised per model: after `model.apply`, only the pieces the change
 * touched are rebuilt (see DesiredStateBuilder); the result equals a build from scratch.
 */
export function desiredState(model: AgentModel, options: HostOptions): NftState {
  let b = BUILDERS.get(model);
  if (!b || b.options.host !== options.host || b.options.ifacePrefix !== options.ifacePrefix) {
    b = new DesiredStateBuilder(model, options);
    BUILDERS.set(model, b);
  }
  return b.build();
}
