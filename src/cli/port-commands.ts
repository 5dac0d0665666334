// `palisade port list|set-groups`: ports (instances' interfaces) and the groups they carry.
import type { Command } from 'commander';
import type { PortWire, SecurityGroupWire } from '../contract/index.js';
import { emit, PalisadeApi, PROCESS_IO, resolveNamed, withConnection, withFormat, type CliIo, type Column, type ConnectionFlags, type Format } from './cli-kit.js';

type Flags = ConnectionFlags & { format: Format };

async function groupNames(api: PalisadeApi): Promise<Map<string, string>> {
  const { security_groups: groups } = await api.get<{ security_groups: SecurityGroupWire[] }>('/v2.0/security-groups?fields=id&fields=name');
  return new Map(groups.map((g) => [g.id, g.name || g.id]));
}

function columns(names: ReadonlyMap<string, string>): Column<PortWire>[] {
  return [
    ['id', (p) => p.id], ['name', (p) => p.name], ['device_id', (p) => p.device_id], ['fixed_ips', (p) => p.fixed_ips.map((f) => f.ip_address)],
    ['security_groups', (p) => p.security_groups.map((id) => names.get(id) ?? id)], ['status', (p) => p.status],
  ];
}

export function registerPortCommands(program: Command, io: CliIo = PROCESS_IO): void {
  const port = program.command('port').description('ports and their security groups: list, create, set-groups');

  withFormat(withConnection(port.command('list').description('list ports, optionally of a device, a host or a group')))
    .option('--device <id>', 'only ports of this device_id (an instance)')
    .option('--host <host>', 'only ports bound to this binding:host_id (admin)')
    .option('--group <group>', 'only ports carrying this group (name or id)')
    .action(async (o: Flags & { device?: string; host?: string; group?: string }) => {
      const api = await PalisadeApi.connect(io, o);
      const query = new URLSearchParams();
      if (o.device) query.append('device_id', o.device);
      if (o.host) query.append('binding:host_id', o.host);
      if (o.group) query.append('security_groups', (await resolveNamed(api, 'security-groups', o.group)).id);
      const { ports } = await api.get<{ ports: PortWire[] }>(`/v2.0/ports${query.size > 0 ? `?${query}` : ''}`);
      emit(io, o.format, ports, columns(await groupNames(api)));
    });

  withFormat(withConnection(port.command('create <network>').description('create a port on a network (name or id): an instance\'s interface')))
    .option('--name <name>', 'port name')
    .option('--device <id>', 'device_id: the instance the port belongs to')
    .option('--host <host>', 'binding:host_id: the host the agent enforces it on (admin)')
    .option('--group <group...>', 'security groups (names or ids; default: the project\'s default group)')
    .action(async (networkName: string, o: Flags & { name?: string; device?: string; host?: string; group?: string[] }) => {
      const api = await PalisadeApi.connect(io, o);
      const network = await resolveNamed(api, 'networks', networkName);
      const groups: string[] = [];
      for (const g of o.group ?? []) groups.push((await resolveNamed(api, 'security-groups', g)).id);
      const body = {
        network_id: network.id, ...(o.name !== undefined && { name: o.name }), ...(o.device !== undefined && { device_id: o.device }),
        ...(o.host !== undefined && { 'binding:host_id': o.host }), ...(o.group !== undefined && { security_groups: groups }),
      };
      const { port: created } = await api.call<{ port: PortWire }>('POST', '/v2.0/ports', { port: body });
      emit(io, o.format, [created], columns(await groupNames(api)), created);
    });

  withFormat(withConnection(port.command('set-groups <port> [groups...]').description("replace a port's groups (names or ids; none: no group)")))
    .action(async (nameOrId: string, groups: string[], o: Flags) => {
      const api = await PalisadeApi.connect(io, o);
      const found = await resolveNamed(api, 'ports', nameOrId);
      const ids: string[] = [];
      for (const g of groups) ids.push((await resolveNamed(api, 'security-groups', g)).id);
      const { port: updated } = await api.call<{ port: PortWire }>('PUT', `/v2.0/ports/${found.id}`, { port: { security_groups: ids } });
      emit(io, o.format, [updated], columns(await groupNames(api)), updated);
    });
}
