// The networks an instance can be created on: those with a subnet first, same-named ones told apart, empty ones marked.
import type { NetworkWire, SubnetWire } from '../contract/index.js';

export interface NetworkChoice {
  readonly id: string;
  readonly label: string;
  /** False for a network without a subnet: a port there gets no address, so it is offered but never preselected. */
  readonly usable: boolean;
}

export function networkChoices(networks: readonly NetworkWire[], subnets: readonly SubnetWire[]): NetworkChoice[] {
  const withSubnet = new Set(subnets.map((s) => s.network_id));
  const count = new Map<string, number>();
  for (const n of networks) count.set(n.name, (count.get(n.name) ?? 0) + 1);
  const choices = networks.map((n) => {
    const usable = withSubnet.has(n.id);
    const name = n.name === '' ? n.id : (count.get(n.name) ?? 0) > 1 ? `${n.name} (${n.id.slice(0, 8)})` : n.name;
    return { id: n.id, label: usable ? name : `${name} (no subnet: no address)`, usable };
  });
  return [...choices.filter((c) => c.usable), ...choices.filter((c) => !c.usable)];
}

/** The network the form starts on: the first one that can give an address. */
export function defaultNetworkId(choices: readonly NetworkChoice[]): string {
  return (choices.find((c) => c.usable) ?? choices[0])?.id ?? '';
}
