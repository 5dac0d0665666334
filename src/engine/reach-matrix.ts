// Who reaches whom in a project: instances (ports sharing a device id) on each service, computed class by class.
import { protocolLabel, type EtherType } from '../domain/index.js';
import { reasonFor } from './decide.js';
import type { EngineState, PortEntry } from './engine-state.js';
import { newParsedFlow, parseFlowInto, type Flow } from './flow.js';
import { portClassesOf, type PortClass } from './port-classes.js';
import { MODE_TRUSTED } from './port-profile.js';
import { serviceFlow, type ServiceSpec } from './reachability.js';
import { isAllowing } from './verdict.js';

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
  /** How many port classes the pairwise work ran over (instead of ports × ports). */
  readonly portClassCount: number;
}

export function serviceLabel(s: MatrixService): string {
  if (s.name !== undefined) return s.name;
  const proto = protocolLabel(String(s.protocol).toLowerCase() === 'any' ? null : String(s.protocol));
  if (s.port !== undefined) return `${proto}/${s.port}`;
  return s.icmpType !== undefined ? `${proto}/${s.icmpType}:${s.icmpCode ?? 0}` : proto;
}

const SCRATCH = newParsedFlow();

function allows(state: EngineState, entry: PortEntry, flow: Flow): boolean {
  return isAllowing(reasonFor(state, entry, parseFlowInto(flow, SCRATCH)));
}

/** Whether class x reaches class y (a port of x sends, a different port of y receives) on the service. */
function classReaches(state: EngineState, x: PortClass, y: PortClass, service: ServiceSpec, etherType: EtherType): boolean {
  if (x === y && x.ports.length < 2) return false;
  const out = serviceFlow(service, etherType, x.address, y.address);
  return allows(state, x.ports[0]!, out) && allows(state, y.ports[0]!, { ...out, direction: 'ingress', remoteIp: x.address, localIp: y.address });
}

export function reachMatrixOf(state: EngineState, projectId: string, services: readonly MatrixService[]): ReachMatrix {
  const entries = [...state.ports.values()].filter((e) => e.profile.port.projectId === projectId && e.profile.port.deviceId !== '' && e.profile.mode !== MODE_TRUSTED);
  const v4 = portClassesOf(state, entries, 4, 0);
  const portClasses = [...v4, ...portClassesOf(state, entries, 6, v4.length)];
  const classOfPort = new Map<string, number[]>();
  for (const c of portClasses) for (const e of c.ports) classOfPort.set(e.profile.port.id, [...(classOfPort.get(e.profile.port.id) ?? []), c.id]);
  const instanceSig = new Map<string, { ports: string[]; classes: Set<number> }>();
  for (const e of entries) {
    const device = e.profile.port.deviceId;
    const inst = instanceSig.get(device) ?? { ports: [], classes: new Set<number>() };
    inst.ports.push(e.profile.port.id);
    for (const c of classOfPort.get(e.profile.port.id) ?? []) inst.classes.add(c);
    instanceSig.set(device, inst);
  }
  const bySig = new Map<string, { instances: string[]; ports: string[]; classes: number[] }>();
  for (const [device, inst] of [...instanceSig].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const classes = [...inst.classes].sort((a, b) => a - b);
    const key = classes.join(',');
    const group = bySig.get(key) ?? { instances: [], ports: [], classes };
    group.instances.push(device);
    group.ports.push(...inst.ports);
    bySig.set(key, group);
  }
  const classes = [...bySig.values()].map((g, id) => ({ id, instances: g.instances, ports: g.ports, portClasses: g.classes }));
  const labels = services.map(serviceLabel);
  const reach = services.map((s) => portReach(state, portClasses, s));
  const edges: ReachEdge[] = [];
  for (const from of classes) {
    for (const to of classes) {
      if (from === to && from.instances.length < 2) continue;
      const on = labels.filter((_, si) => from.portClasses.some((x) => to.portClasses.some((y) => reach[si]!.has(x * portClasses.length + y))));
      if (on.length > 0) edges.push({ from: from.id, to: to.id, services: on });
    }
  }
  return { projectId, services: labels, classes: classes.map(({ id, instances, ports }) => ({ id, instances, ports })), edges, portClassCount: portClasses.length };
}

/** Pairs (x × count + y) of port classes where x reaches y on the service. */
function portReach(state: EngineState, portClasses: readonly PortClass[], service: MatrixService): Set<number> {
  const out = new Set<number>();
  for (const x of portClasses) {
    for (const y of portClasses) {
      if (x.version !== y.version) continue;
      const etherType: EtherType = x.version === 4 ? 'IPv4' : 'IPv6';
      if (service.etherType !== undefined && service.etherType !== etherType) continue;
      if (classReaches(state, x, y, service, etherType)) out.add(x.id * portClasses.length + y.id);
    }
  }
  return out;
}
