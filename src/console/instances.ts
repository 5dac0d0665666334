// Instances as the console shows them: the project's ports grouped by device_id, and which instances use a group.
import type { PortWire } from '../contract/index.js';

export interface Instance {
  /** The device_id, or `port:<id>` for a port attached to no device. */
  readonly key: string;
  readonly deviceId: string;
  readonly name: string;
  readonly ports: readonly PortWire[];
  readonly addresses: readonly string[];
  readonly groupIds: readonly string[];
  /** True when every port has port security on. */
  readonly portSecurity: boolean;
}

/** Neutron's service ports (DHCP, routers) are not instances and carry no groups (neutron-api.md §3.5). */
export function isServicePort(port: PortWire): boolean {
  return port.device_owner.startsWith('network:');
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** Groups instance ports by device, sorted by name; unattached ports each stand alone. */
export function groupPortsIntoInstances(ports: readonly PortWire[]): Instance[] {
  const byKey = new Map<string, PortWire[]>();
  for (const port of ports) {
    if (isServicePort(port)) continue;
    const key = port.device_id === '' ? `port:${port.id}` : port.device_id;
    byKey.set(key, [...(byKey.get(key) ?? []), port]);
  }
  const instances = [...byKey.entries()].map(([key, list]) => {
    const named = list.find((p) => p.name !== '');
    return {
      key,
      deviceId: list[0]!.device_id,
      name: named?.name ?? (list[0]!.device_id || list[0]!.id),
      ports: list,
      addresses: list.flatMap((p) => p.fixed_ips.map((ip) => ip.ip_address)),
      groupIds: unique(list.flatMap((p) => p.security_groups)),
      portSecurity: list.every((p) => p.port_security_enabled),
    };
  });
  return instances.sort((a, b) => a.name.localeCompare(b.name) || a.key.localeCompare(b.key));
}

/** For each group id, the instances whose ports use it. */
export function instancesByGroup(instances: readonly Instance[]): Map<string, Instance[]> {
  const out = new Map<string, Instance[]>();
  for (const inst of instances) for (const g of inst.groupIds) out.set(g, [...(out.get(g) ?? []), inst]);
  return out;
}
