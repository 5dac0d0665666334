// Equivalence classes of ports for a matrix: ports that every asked service treats alike, as sender and as receiver.
import { formatWords } from '../contract/index.js';
import type { EngineState, PortEntry } from './engine-state.js';
import { newParsedFlow, parseFlowInto, type ParsedFlow } from './flow.js';
import { guardVerdict } from './port-guard.js';
import { MODE_PORT_SECURITY_DISABLED } from './port-profile.js';
import { serviceFlow, type ServiceSpec } from './reachability.js';
import { AdmissionTable, type Admission } from './service-admission.js';
import { REASON_ALWAYS_ALLOWED, REASON_NONE } from './verdict.js';
import type { WorkBudget } from './work-budget.js';

/** Ports of one IP version that reach and are reached alike on every service of the question. */
export interface PortClass {
  readonly id: number;
  readonly version: 4 | 6;
  readonly ports: readonly PortEntry[];
  /** Per service, the class's behaviour in that service's reach table. */
  readonly behaviours: readonly number[];
}

/** Per service: bits[b1] holds b2 when a port of behaviour b1 reaches a (different) port of behaviour b2. */
export interface ReachTable {
  readonly bits: readonly Uint32Array[];
}

export interface VersionClasses {
  readonly classes: readonly PortClass[];
  /** Indexed like the services; null when a service asks for the other IP version. */
  readonly reach: readonly (ReachTable | null)[];
}

const newBits = (n: number) => new Uint32Array((n + 31) >>> 5);
const hasBit = (bits: Uint32Array, i: number) => ((bits[i >>> 5]! >>> (i & 31)) & 1) === 1;
const setBit = (bits: Uint32Array, i: number) => void (bits[i >>> 5]! |= 1 << (i & 31));

function intern(ids: Map<string, number>, key: string): number {
  let id = ids.get(key);
  if (id === undefined) ids.set(key, (id = ids.size));
  return id;
}

/** A port's sides on one service: what its egress admits as destinations and its ingress as sources. */
function sidesOf(state: EngineState, table: AdmissionTable, byGroups: Map<string, Admission>, entry: PortEntry, flows: readonly ParsedFlow[]): Admission[] {
  const p = entry.profile;
  return flows.map((f) => {
    if (p.mode === MODE_PORT_SECURITY_DISABLED) return table.anyAddress;
    const guard = guardVerdict(p, f);
    if (guard === REASON_ALWAYS_ALLOWED) return table.anyAddress;
    if (guard !== REASON_NONE) return table.noAddress;
    const key = `${f.slot}|${p.groupKey}`;
    let found = byGroups.get(key);
    if (found === undefined) {
      const parts = p.groupIds.map((g) => table.ofRules(state.rulesByGroup.get(g)?.values() ?? [], f));
      byGroups.set(key, (found = parts.length === 0 ? table.noAddress : table.union(parts)));
    }
    return found;
  });
}

/** What rules can tell about an address on this service: the named groups it belongs to, the named prefixes holding it. */
function addressKey(state: EngineState, table: AdmissionTable, version: 4 | 6, w: Int32Array): { key: string; groups: number[]; prefixes: number[] } {
  const members = state.membership.family(version);
  const groups = new Set<number>();
  for (let i = 0; i < members.lengths.length; i++) {
    for (const g of members.getAt(i, w[0]!, w[1]!, w[2]!, w[3]!)?.groups ?? []) if (table.groups.has(g)) groups.add(g);
  }
  const prefixes: number[] = [];
  for (let i = 0; i < table.prefixes.lengths.length; i++) {
    const hit = table.prefixes.getAt(i, w[0]!, w[1]!, w[2]!, w[3]!);
    if (hit !== undefined) prefixes.push(hit);
  }
  const sortedGroups = [...groups].sort((a, b) => a - b);
  prefixes.sort((a, b) => a - b);
  return { key: `${sortedGroups.join(',')}|${prefixes.join(',')}`, groups: sortedGroups, prefixes };
}

/** Addresses (by address id) each admission lets through, found from the named groups and prefixes, not pair by pair. */
function admittedSets(table: AdmissionTable, addresses: readonly { groups: number[]; prefixes: number[] }[]): Uint32Array[] {
  const byGroup = new Map<number, number[]>();
  const byPrefix = new Map<number, number[]>();
  const add = (map: Map<number, number[]>, k: number, id: number) => {
    const list = map.get(k);
    if (list === undefined) map.set(k, [id]);
    else list.push(id);
  };
  addresses.forEach((a, id) => {
    for (const g of a.groups) add(byGroup, g, id);
    for (const p of a.prefixes) add(byPrefix, p, id);
  });
  return table.all.map((adm) => {
    const bits = newBits(addresses.length);
    if (adm.any) bits.fill(-1 >>> 0);
    for (const g of adm.groups) for (const id of byGroup.get(g) ?? []) setBit(bits, id);
    for (const p of adm.prefixes) for (const id of byPrefix.get(p) ?? []) setBit(bits, id);
    return bits;
  });
}

/** Behaviours of the ports on one service (same egress, ingress and address standing), and which reaches which. */
function serviceBehaviours(state: EngineState, ported: readonly { entry: PortEntry; address: string; words: Int32Array }[], service: ServiceSpec, version: 4 | 6, budget: WorkBudget) {
  const etherType = version === 4 ? 'IPv4' : 'IPv6';
  const table = new AdmissionTable();
  const byGroups = new Map<string, Admission>();
  const sides = ported.map(({ entry, address }) => {
    const out = serviceFlow(service, etherType, address, address);
    const flows = [parseFlowInto(out, newParsedFlow()), parseFlowInto({ ...out, direction: 'ingress' }, newParsedFlow())];
    return sidesOf(state, table, byGroups, entry, flows);
  });
  const addressIds = new Map<string, number>();
  const addresses: { groups: number[]; prefixes: number[] }[] = [];
  const behaviourIds = new Map<string, number>();
  const behaviours: { egress: number; ingress: number; address: number }[] = [];
  const ofPort = ported.map(({ words }, i) => {
    const a = addressKey(state, table, version, words);
    const address = intern(addressIds, a.key);
    if (address === addresses.length) addresses.push(a);
    const [egress, ingress] = [sides[i]![0]!.id, sides[i]![1]!.id];
    const b = intern(behaviourIds, `${egress},${ingress},${address}`);
    if (b === behaviours.length) behaviours.push({ egress, ingress, address });
    return b;
  });
  const admitted = admittedSets(table, addresses);
  const bits = behaviours.map((x) => {
    budget.tick();
    const row = newBits(behaviours.length);
    const sends = admitted[x.egress]!;
    behaviours.forEach((y, b) => {
      if (hasBit(sends, y.address) && hasBit(admitted[y.ingress]!, x.address)) setBit(row, b);
    });
    return row;
  });
  return { ofPort, reach: { bits } };
}

/** Splits the ports that have an address of the version into classes; `firstId` numbers them. */
export function portClassesOf(state: EngineState, entries: readonly PortEntry[], version: 4 | 6, services: readonly ServiceSpec[], firstId: number, budget: WorkBudget): VersionClasses {
  const ported = entries.flatMap((entry) => {
    const fixed = entry.profile.fixed.find((a) => a.version === version);
    return fixed === undefined ? [] : [{ entry, address: formatWords(version, fixed.words), words: fixed.words }];
  });
  const etherType = version === 4 ? 'IPv4' : 'IPv6';
  const perService = services.map((s) => (s.etherType !== undefined && s.etherType !== etherType ? null : serviceBehaviours(state, ported, s, version, budget)));
  const classIds = new Map<string, number>();
  const classes: { id: number; version: 4 | 6; ports: PortEntry[]; behaviours: number[] }[] = [];
  ported.forEach(({ entry }, i) => {
    const behaviours = perService.map((s) => s?.ofPort[i] ?? 0);
    const id = intern(classIds, behaviours.join(','));
    if (id === classes.length) classes.push({ id: firstId + id, version, ports: [], behaviours });
    classes[id]!.ports.push(entry);
  });
  return { classes, reach: perService.map((s) => s?.reach ?? null) };
}
