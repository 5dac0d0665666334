// `npm run bench -- fanout [--hosts=50,200,500]`: what the host projection costs a write, by how many hosts it reaches.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServices, makeRequestContext, type Services } from '../src/service/index.js';
import { createSqliteStore, type Store } from '../src/store/index.js';
import { percentile, printTable, reportLoad } from './bench-support.js';

const ITERATIONS = 60;
const admin = makeRequestContext('bench', ['admin']);

interface World {
  readonly store: Store;
  readonly services: Services;
  /** Used by one port on each host; its rule names `remote`. */
  readonly wide: string;
  readonly remote: string;
  /** Used by no port: the baseline, a write no host feed carries. */
  readonly idle: string;
  /** A port on a host of its own, that joins and leaves `remote`. */
  readonly mover: string;
  /** An address group a rule of `wide` names (so every host holds it), and one no rule names. */
  readonly named: string;
  readonly unnamed: string;
  readonly dir: string;
}

async function build(hosts: number): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'palisade-fanout-'));
  const store = await createSqliteStore(join(dir, 'p.db'));
  const services = createServices({ store, quotaDefaults: { port: -1, security_group: -1, security_group_rule: -1 } });
  const group = async (name: string) => (await services.securityGroups.create(admin, [{ name }]))[0]!.group.id;
  const [wide, remote, idle] = [await group('wide'), await group('remote'), await group('idle')];
  await services.rules.create(admin, [{ securityGroupId: wide, direction: 'ingress', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteGroupId: remote }]);
  const net = await services.networks.createNetwork(admin, { name: 'n' });
  await services.networks.createSubnet(admin, { networkId: net.id, cidr: '10.0.0.0/16' });
  for (let h = 0; h < hosts; h++) await services.ports.create(admin, { networkId: net.id, hostId: `host-${h}`, securityGroups: [wide] });
  const mover = (await services.ports.create(admin, { networkId: net.id, hostId: 'mover-host', securityGroups: [] })).id;
  const [named, unnamed] = (await services.addressGroups.create(admin, [{ name: 'named', addresses: ['192.0.2.0/28'] }, { name: 'unnamed' }])).map((a) => a.id);
  await services.rules.create(admin, [{ securityGroupId: wide, direction: 'ingress', protocol: 'tcp', portRangeMin: 443, portRangeMax: 443, remoteAddressGroupId: named }]);
  return { store, services, wide, remote, idle, mover, named: named!, unnamed: unnamed!, dir };
}

/** One write of each kind per round, interleaved (Zod's trap: a baseline measured apart drifts with load). */
async function measure(w: World): Promise<Record<string, number[]>> {
  const out: Record<string, number[]> = { idle: [], wide: [], member: [], agIdle: [], ag: [] };
  // add_addresses on even rounds, remove_addresses of the same address on odd ones.
  const addresses = (id: string, i: number) => (i % 2 === 0 ? w.services.addressGroups.addAddresses : w.services.addressGroups.removeAddresses)(
    admin, id, { addresses: [`198.51.100.${Math.floor(i / 2)}/32`] });
  const rule = (group: string, port: number) => ({ securityGroupId: group, direction: 'ingress', protocol: 'udp', portRangeMin: port, portRangeMax: port });
  const timed = async (key: string, fn: () => Promise<unknown>) => {
    const t = performance.now();
    await fn();
    out[key]!.push(performance.now() - t);
  };
  for (let i = 0; i < ITERATIONS; i++) {
    const port = 1000 + i;
    await timed('idle', () => w.services.rules.create(admin, [rule(w.idle, port)]));
    await timed('wide', () => w.services.rules.create(admin, [rule(w.wide, port)]));
    await timed('member', () => w.services.ports.update(admin, w.mover, { securityGroups: i % 2 === 0 ? [w.remote] : [] }));
    await timed('agIdle', () => addresses(w.unnamed, i));
    await timed('ag', () => addresses(w.named, i));
  }
  return out;
}

export async function runFanoutBench(args: readonly string[]): Promise<void> {
  reportLoad();
  const hosts = (args.find((a) => a.startsWith('--hosts='))?.slice(8) ?? '50,200,500').split(',').map(Number);
  const rows: string[][] = [];
  for (const n of hosts) {
    const w = await build(n);
    try {
      const samples = await measure(w);
      const fmt = (xs: number[]) => `${percentile(xs, 50).toFixed(2)} / ${percentile(xs, 99).toFixed(2)}`;
      const base = percentile(samples['idle']!, 50);
      const ratio = (key: string, over = base) => `${(percentile(samples[key]!, 50) / over).toFixed(1)}x`;
      rows.push([String(n), fmt(samples['idle']!), fmt(samples['wide']!), fmt(samples['member']!), ratio('wide'), ratio('member'),
        fmt(samples['agIdle']!), fmt(samples['ag']!), ratio('ag', percentile(samples['agIdle']!, 50))]);
    } finally {
      await w.services.stop();
      await w.store.close();
      rmSync(w.dir, { recursive: true, force: true });
    }
  }
  printTable(`Host projection per write (SQLite file, ${ITERATIONS} writes of each kind, interleaved; ms p50 / p99)`,
    ['hosts reached', 'rule in unused group', 'rule in group on every host', 'member joins/leaves remote group', 'rule ratio', 'member ratio',
      'addresses of unnamed address group', 'addresses of address group named on every host', 'address ratio'], rows);
}
