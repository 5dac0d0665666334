// The lab: one network namespace per port bound to the host, routed through veths as docs/design.md lays out.
import { readFile, mkdir, writeFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { PortWire } from '../contract/index.js';
import { runCommand } from './command-runner.js';
import { parsePrefix } from './ip-prefix.js';
import { interfaceOf } from './port-chains.js';

export interface LabRecord {
  /** The namespace the taps live in (the host namespace when absent). */
  readonly hostNetns?: string | undefined;
  readonly namespaces: string[];
  /** Forwarding sysctls lab up turned on, with their previous values. */
  readonly sysctls: Record<string, string>;
}

/** A namespace name from the port's name (else its id): letters, digits, `-` and `_`, at most 15 characters. */
export function namespaceNameOf(port: Pick<PortWire, 'id' | 'name'>): string {
  const base = (port.name || port.id).replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 15);
  return base === '' ? port.id.slice(0, 15) : base;
}

const ip = (hostNetns: string | undefined, ...args: string[]) => runCommand(['ip', ...args], { netns: hostNetns });

async function enableForwarding(hostNetns: string | undefined, record: Record<string, string>): Promise<void> {
  for (const key of ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding']) {
    const before = (await runCommand(['sysctl', '-n', key], { netns: hostNetns })).trim();
    if (before === '1') continue;
    await runCommand(['sysctl', '-qw', `${key}=1`], { netns: hostNetns });
    record[key] = before;
  }
}

async function plugPort(port: PortWire, ns: string, hostNetns: string | undefined, ifacePrefix: string): Promise<void> {
  const tap = interfaceOf(port.id, ifacePrefix);
  await runCommand(['ip', 'netns', 'add', ns]);
  await ip(hostNetns, 'link', 'add', tap, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
  const inNs = (...args: string[]) => runCommand(['ip', '-n', ns, ...args]);
  await inNs('link', 'set', 'eth0', 'address', port.mac_address);
  await inNs('link', 'set', 'lo', 'up');
  await inNs('link', 'set', 'eth0', 'up');
  await runCommand(['sysctl', '-qw', `net.ipv4.conf.${tap}.proxy_arp=1`, `net.ipv4.neigh.${tap}.proxy_delay=0`], { netns: hostNetns });
  await ip(hostNetns, 'link', 'set', tap, 'up');
  await ip(hostNetns, '-6', 'addr', 'add', 'fe80::1/64', 'dev', tap, 'nodad');
  for (const f of port.fixed_ips) {
    const p = parsePrefix(f.ip_address);
    if (!p) continue;
    const len = p.version === 4 ? 32 : 128;
    await inNs('addr', 'add', `${f.ip_address}/${len}`, 'dev', 'eth0', ...(p.version === 6 ? ['nodad'] : []));
    await ip(hostNetns, p.version === 4 ? '-4' : '-6', 'route', 'replace', `${f.ip_address}/${len}`, 'dev', tap);
  }
  // IPv4: every destination is on-link and the host answers ARP by proxy; IPv6: the host tap is fe80::1.
  await inNs('-4', 'route', 'add', 'default', 'dev', 'eth0');
  await inNs('-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', 'eth0');
}

/** Creates a namespace for every given port and records what it made in `stateFile`. */
export async function labUp(ports: readonly PortWire[], stateFile: string, options: { hostNetns?: string | undefined; ifacePrefix?: string } = {}): Promise<LabRecord> {
  const record: LabRecord = { hostNetns: options.hostNetns, namespaces: [], sysctls: {} };
  const save = async () => {
    await mkdir(dirname(stateFile), { recursive: true });
    await writeFile(stateFile, JSON.stringify(record, null, 2));
  };
  // A namespace playing the host starts with its loopback down; seen here: forwarded packets then left the
  // taps but no port's TCP accepted them, while with loopback up the same lab works.
  if (options.hostNetns !== undefined) await ip(options.hostNetns, 'link', 'set', 'lo', 'up');
  await enableForwarding(options.hostNetns, record.sysctls);
  for (const port of ports) {
    const ns = namespaceNameOf(port);
    record.namespaces.push(ns);
    await save();
    await plugPort(port, ns, options.hostNetns, options.ifacePrefix ?? 'tap');
  }
  await save();
  return record;
}

/** Removes exactly what `labUp` recorded: its namespaces (their veths go with them) and the sysctls it changed. */
export async function labDown(stateFile: string): Promise<LabRecord | null> {
  let record: LabRecord;
  try {
    record = JSON.parse(await readFile(stateFile, 'utf8')) as LabRecord;
  } catch {
    return null;
  }
  for (const ns of record.namespaces) await runCommand(['ip', 'netns', 'del', ns]).catch(() => undefined);
  for (const [key, value] of Object.entries(record.sysctls)) {
    await runCommand(['sysctl', '-qw', `${key}=${value}`], { netns: record.hostNetns }).catch(() => undefined);
  }
  await rm(stateFile, { force: true });
  return record;
}
