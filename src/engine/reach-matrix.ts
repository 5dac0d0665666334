// Who reaches whom in a project: instances (ports sharing a device id) on each service, computed class by class.
import { OverLimitError, protocolLabel } from '../domain/index.js';
import type { EngineState, PortEntry } from './engine-state.js';
import { portClassesOf, type PortClass, type VersionClasses } from './port-classes.js';
import { MODE_TRUSTED } from './port-profile.js';
import type { ServiceSpec } from './reachability.js';
import { UNLIMITED, type WorkBudget } from './work-budget.js';

export interface MatrixService extends ServiceSpec {
  /** Label in the output; default like `tcp/22` or `icmp/8:0`. */
  readonly name?: string;
}

/** Instances whose ports fall in the same port classes: they reach and are reached alike. */
export interface InstanceClass {
  readonly id: number;
  readonly instances: readonly string[];
  readonly ports: readonly string[];
}

/** Every instance of `from` reaches every instance of `to` (another one, when from = to) on these services. */
export interface ReachEdge {
  readonly from: number;
  readonly to: number;
  readonly services: readonly string[];
}

export interface ReachMatrix {
  readonly projectId: string;
  readonly services: readonly string[];
  readonly classes: readonly InstanceClass[];
  readonly edges: readonly ReachEdge[];
  /** How many port classes (ports alike on every asked service) the pairwise work ran over, instead of ports × ports. */
  readonly portClassCount: number;
}

export function serviceLabel(s: MatrixService): string {
  if (s.name !== undefined) return s.name;
  const proto = protocolLabel(String(s.protocol).toLowerCase() === 'any' ? null : String(s.protocol));
  if (s.port !== undefined) return `${proto}/${s.port}`;
  return s.icmpType !== undefined ? `${proto}/${s.icmpType}:${s.icmpCode ?? 0}` : proto;
}

export interface MatrixOptions {
  /** Called inside the long loops; it may throw to stop the work. */
  readonly budget?: WorkBudget;
  /** Refuse (OverLimitError AnalysisTooLarge) a project with more ports than this. */
  readonly maxPorts?: number;
  /** Refuse (OverLimitError AnalysisTooLarge) an answer with more edges than this, before building the rest of it. */
  readonly maxEdges?: number;
}

export function reachMatrixOf(state: EngineState, projectId: string, services: readonly MatrixService[], options: MatrixOptions = {}): ReachMatrix {
  const budget = options.budget ?? UNLIMITED;
  if (services.length > MAX_SERVICES) throw new OverLimitError('AnalysisTooLarge', `A matrix takes at most ${MAX_SERVICES} services, not ${services.length}.`);
  const entries = [...state.ports.values()].filter((e) => e.profile.port.projectId === projectId && e.profile.port.deviceId !== '' && e.profile.mode !== MODE_TRUSTED);
  if (options.maxPorts !== undefined && entries.length > options.maxPorts) {
    throw new OverLimitError('AnalysisTooLarge', `Project ${projectId} has ${entries.length} instance ports; a matrix covers at most ${options.maxPorts} (analysis_max_ports).`);
  }
  const v4 = portClassesOf(state, entries, 4, services, 0, budget);
  const v6 = portClassesOf(state, entries, 6, services, v4.classes.length, budget);
  const portClasses = [...v4.classes, ...v6.classes];
  const classes = instanceClasses(entries, portClasses);
  const labels = services.map(serviceLabel);
  const reached = reachedClasses(classes, portClasses, [v4, v6], services.length);
  const edges: ReachEdge[] = [];
  const maxEdges = options.maxEdges ?? Infinity;
  for (const from of classes) {
    budget.tick();
    const mask = reached(from);
    for (const to of classes) {
      const bits = mask[to.id]!;
      if (bits === 0 || (from === to && from.instances.length < 2)) continue;
      if (edges.length === maxEdges) throw tooManyEdges(projectId, maxEdges);
      edges.push({ from: from.id, to: to.id, services: labels.filter((_, si) => (bits >>> si) & 1) });
    }
  }
  return { projectId, services: labels, classes: classes.map(({ id, instances, ports }) => ({ id, instances, ports })), edges, portClassCount: portClasses.length };
}

function tooManyEdges(projectId: string, max: number): OverLimitError {
  return new OverLimitError(
    'AnalysisTooLarge',
    `The matrix of project ${projectId} has more than ${max} edges (analysis_max_edges). Narrow the question: ask about one ethertype (ethertype=IPv4 or IPv6) or fewer services per request, or ask reachability between two ports.`,
  );
}

/** At most this many services per matrix: an edge's services are kept as bits of one 32-bit word. */
export const MAX_SERVICES = 32;

interface InstanceClassOf {
  readonly id: number;
  readonly portClasses: readonly PortClass[];
}

/**
 * For one instance class, a word per instance class: bit si set when some port of it reaches some port
 * of the other on service si. It follows the reach tables' set bits (behaviour → port classes →
 * instance classes), so its cost grows with the answer rather than with the square of the classes.
 */
function reachedClasses(classes: readonly InstanceClassOf[], portClasses: readonly PortClass[], versions: readonly VersionClasses[], serviceCount: number) {
  const instancesOf = new Map<PortClass, number[]>();
  for (const c of classes) for (const x of c.portClasses) instancesOf.set(x, [...(instancesOf.get(x) ?? []), c.id]);
  // Per version and service: behaviour → the port classes that have it.
  const withBehaviour = (version: 4 | 6, si: number) => {
    const out = new Map<number, PortClass[]>();
    for (const x of portClasses) {
      if (x.version !== version) continue;
      const list = out.get(x.behaviours[si]!);
      if (list === undefined) out.set(x.behaviours[si]!, [x]);
      else list.push(x);
    }
    return out;
  };
  const byBehaviour: Map<number, PortClass[]>[][] = [4, 6].map((v) => Array.from({ length: serviceCount }, (_, si) => withBehaviour(v as 4 | 6, si)));
  const mask = new Uint32Array(classes.length);
  return (from: InstanceClassOf): Uint32Array => {
    mask.fill(0);
    for (const x of from.portClasses) {
      const v = x.version === 4 ? 0 : 1;
      for (let si = 0; si < serviceCount; si++) {
        const table = versions[v]!.reach[si];
        if (table === null || table === undefined) continue;
        const behaviours = byBehaviour[v]![si]!;
        forEachBit(table.bits[x.behaviours[si]!]!, (b) => {
          for (const y of behaviours.get(b) ?? []) for (const to of instancesOf.get(y) ?? []) mask[to]! |= 1 << si;
        });
      }
    }
    return mask;
  };
}

function forEachBit(bits: Uint32Array, fn: (i: number) => void): void {
  for (let w = 0; w < bits.length; w++) {
    let word = bits[w]!;
    while (word !== 0) {
      const low = word & -word;
      fn(w * 32 + 31 - Math.clz32(low));
      word ^= low;
    }
  }
}

/** Instances (by device id, sorted) grouped by the set of port classes their ports fall in. */
function instanceClasses(entries: readonly PortEntry[], portClasses: readonly PortClass[]) {
  const classesOfPort = new Map<string, PortClass[]>();
  for (const c of portClasses) {
    for (const e of c.ports) {
      const id = e.profile.port.id;
      const list = classesOfPort.get(id);
      if (list === undefined) classesOfPort.set(id, [c]);
      else list.push(c);
    }
  }
  const instances = new Map<string, { ports: string[]; classes: Set<PortClass> }>();
  for (const e of entries) {
    const device = e.profile.port.deviceId;
    let inst = instances.get(device);
    if (inst === undefined) instances.set(device, (inst = { ports: [], classes: new Set() }));
    inst.ports.push(e.profile.port.id);
    for (const c of classesOfPort.get(e.profile.port.id) ?? []) inst.classes.add(c);
  }
  const bySig = new Map<string, { instances: string[]; ports: string[]; portClasses: PortClass[] }>();
  for (const [device, inst] of [...instances].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const sorted = [...inst.classes].sort((a, b) => a.id - b.id);
    const key = sorted.map((c) => c.id).join(',');
    let group = bySig.get(key);
    if (group === undefined) bySig.set(key, (group = { instances: [], ports: [], portClasses: sorted }));
    group.instances.push(device);
    group.ports.push(...inst.ports);
  }
  return [...bySig.values()].map((g, id) => ({ id, ...g }));
}
