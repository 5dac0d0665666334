// The whole desired table for one host, from the model: dispatch maps, port and group chains, member sets.
import type { AgentModel, ModelPort, ModelRule } from './agent-model.js';
import { addGroupChain } from './group-chains.js';
import type { Prefix } from './ip-prefix.js';
import { EGRESS_MAP, INGRESS_MAP, STATELESS_IF, StateBuilder, type NftState } from './nft-state.js';
import { egressPortRules, ingressPortRules, interfaceOf, portChainName } from './port-chains.js';

export interface HostOptions {
  readonly host: string;
  /** Host-side interface names are this prefix + the port id's start (default `tap`). */
  readonly ifacePrefix?: string;
}

function indexBy<T>(items: Iterable<T>, keys: (t: T) => readonly string[]): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) for (const k of keys(item)) (out.get(k) ?? out.set(k, []).get(k)!).push(item);
  return out;
}

/** Fixed IPs and address pairs of every port in the group, on any host. */
function membersFn(model: AgentModel): (g: string) => Prefix[] {
  const byGroup = indexBy(model.ports.values(), (p) => p.groupIds);
  return (g) => (byGroup.get(g) ?? []).flatMap((p) => [...p.fixedIps, ...p.pairs.map((x) => x.prefix)]);
}

export function localPorts(model: AgentModel, host: string): ModelPort[] {
  return [...model.ports.values()].filter((p) => p.hostId === host).sort((a, b) => a.id.localeCompare(b.id));
}

/** A port is stateless when one of its groups is (the API refuses a mix). */
export function isStatelessPort(model: AgentModel, port: ModelPort): boolean {
  return port.groupIds.some((g) => model.groups.get(g)?.stateful === false);
}

export function desiredState(model: AgentModel, options: HostOptions): NftState {
  const b = new StateBuilder();
  const egress = b.set(EGRESS_MAP, 'ifname : verdict', { map: true });
  const ingress = b.set(INGRESS_MAP, 'ifname : verdict', { map: true });
  const statelessIf = b.set(STATELESS_IF, 'ifname');
  const rulesByGroup = indexBy<ModelRule>(model.rules.values(), (r) => [r.groupId]);
  const membersOf = membersFn(model);
  for (const port of localPorts(model, options.host)) {
    const iface = interfaceOf(port.id, options.ifacePrefix);
    if (!port.filtered) {
      egress.set(`"${iface}"`, 'accept');
      ingress.set(`"${iface}"`, 'accept');
      continue;
    }
    const groups = port.groupIds;
    const chains = (d: 'ingress' | 'egress') => groups.map((g) => addGroupChain(b, model, rulesByGroup.get(g) ?? [], g, d, membersOf));
    const pe = portChainName(port.id, 'egress');
    const pi = portChainName(port.id, 'ingress');
    b.chain(pe, egressPortRules(port, chains('egress')));
    b.chain(pi, ingressPortRules(port, chains('ingress')));
    egress.set(`"${iface}"`, `jump ${pe}`);
    ingress.set(`"${iface}"`, `jump ${pi}`);
    if (isStatelessPort(model, port)) statelessIf.set(`"${iface}"`, '');
  }
  return b.build();
}
