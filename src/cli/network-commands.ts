// `palisade network create|list`: enough of networks and subnets to put ports somewhere (the seed's example with the CLI alone).
import type { Command } from 'commander';
import type { NetworkWire, SubnetWire } from '../contract/index.js';
import { emit, PalisadeApi, PROCESS_IO, withConnection, withFormat, type CliIo, type Column, type ConnectionFlags, type Format } from './cli-kit.js';

type Flags = ConnectionFlags & { format: Format };

const COLUMNS: readonly Column<NetworkWire>[] = [['id', (n) => n.id], ['name', (n) => n.name], ['subnets', (n) => n.subnets]];

export function registerNetworkCommands(program: Command, io: CliIo = PROCESS_IO): void {
  const network = program.command('network').description('networks for ports: create, list');

  withFormat(withConnection(network.command('create <name>').description('create a network, with a subnet when --subnet is given')))
    .option('--subnet <cidr>', 'add a subnet with this CIDR (ports get addresses from it)')
    .action(async (name: string, o: Flags & { subnet?: string }) => {
      const api = await PalisadeApi.connect(io, o);
      const { network: created } = await api.call<{ network: NetworkWire }>('POST', '/v2.0/networks', { network: { name } });
      if (o.subnet) {
        const { subnet } = await api.call<{ subnet: SubnetWire }>('POST', '/v2.0/subnets', { subnet: { network_id: created.id, cidr: o.subnet } });
        created.subnets = [...created.subnets, subnet.id];
      }
      emit(io, o.format, [created], COLUMNS, created);
    });

  withFormat(withConnection(network.command('list').description('list networks'))).action(async (o: Flags) => {
    const api = await PalisadeApi.connect(io, o);
    emit(io, o.format, (await api.get<{ networks: NetworkWire[] }>('/v2.0/networks')).networks, COLUMNS);
  });
}
