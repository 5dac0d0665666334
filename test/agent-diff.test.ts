// Differential test: random policies enforced by the agent's nftables table, real packets vs the engine's decide.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentModel, NftTable, desiredState, interfaceOf, labUp, nftRunner, runCommand } from '../src/agent/index.js';
import { createPolicyEngine, type Flow } from '../src/engine/index.js';
import { deleteNetns, makeHostNetns, netnsUnavailable, PROBE, scratchDir, sh, uniq } from './agent-support.js';
import { hasCapability } from './support/capability.js';
import { toDomain, toWire, type PolicySpec, type RuleSpecT } from './agent-policy-fixtures.js';

const skip = !hasCapability('network namespaces and nftables', netnsUnavailable());
const FLOWS = Number(process.env['PALISADE_DIFF_FLOWS'] ?? 10_000);
const PER_ROUND = 500;
const u = uniq();
const HOST = `ptdh${u}`, PEER = `ptdq${u}`, PNS = `ptdp${u}`;
const P = { id: randomUUID(), mac: '02:00:00:00:00:10', v4: '10.201.0.10', v6: 'fd20::10' };
const OBS = (dscp: string) => `table inet obs { set s4 { typeof ip id; flags dynamic; size 65535; }
set s6 { typeof ip6 flowlabel; flags dynamic; size 65535; }
chain pre { type filter hook prerouting priority -400; policy accept;
ip dscp ${dscp} add @s4 { ip id }
ip6 dscp ${dscp} add @s6 { ip6 flowlabel }
}
}`;

let seed = Number(process.env['PALISADE_DIFF_SEED'] ?? Date.now() % 1e9);
const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
const int = (lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));

const remote4 = () => `10.99.0.${int(1, 40)}`;
const remote6 = () => `fd99::${int(1, 40).toString(16)}`;

/** Address groups of random CIDRs around the probes' remotes: nested, overlapping, hosts, both families. */
function randomAddressGroups(): { id: string; addresses: string[] }[] {
  return ['aa', 'ab'].map((id) => ({
    id: `${id}-${u}`,
    addresses: Array.from({ length: int(0, 4) }, () => (rnd() < 0.6 ? `${remote4()}/${pick([24, 27, 29, 30, 32])}` : `${remote6()}/${pick([64, 120, 124, 126, 128])}`)),
  }));
}

function randomRule(group: string, groups: string[], i: number): RuleSpecT {
  const ethertype = pick(['IPv4', 'IPv6'] as const);
  const protocol = pick([null, '0', 'tcp', 'udp', '6', '17', 'icmp', '99']);
  const proto = ethertype === 'IPv6' && protocol === 'icmp' ? 'ipv6-icmp' : protocol;
  let min: number | null = null, max: number | null = null;
  if (['tcp', 'udp', '6', '17'].includes(proto ?? '') && rnd() < 0.8) [min, max] = ((a) => [a, a + int(0, 4)])(int(20, 30));
  if (proto === 'icmp' || proto === 'ipv6-icmp') {
    if (rnd() < 0.7) min = pick(ethertype === 'IPv4' ? [8, 13, 0] : [128, 129]);
    if (min !== null && rnd() < 0.5) max = int(0, 2);
  }
  const kind = pick(['none', 'cidr', 'cidr', 'group', 'address-group']);
  const len = ethertype === 'IPv4' ? pick([16, 24, 27, 29, 30, 32]) : pick([64, 120, 124, 126, 128]);
  const addr = ethertype === 'IPv4' ? remote4() : remote6();
  const prefix = kind === 'cidr' ? `${addr}/${len}` : null;
  return { id: `r${i}`, group, direction: pick(['ingress', 'egress']), ethertype, protocol: proto, min, max, prefix,
    normalized: prefix, remoteGroup: kind === 'group' ? pick(groups) : null,
    remoteAddressGroup: kind === 'address-group' ? pick([`aa-${u}`, `ab-${u}`, `gone-${u}`]) : null };
}

function randomPolicy(): PolicySpec {
  const stateful = rnd() > 0.25;
  const groups = ['ga', 'gb', 'gc', 'gd'].map((id) => ({ id: `${id}-${u}`, stateful }));
  const ids = groups.map((g) => g.id);
  const rules = Array.from({ length: int(2, 14) }, (_, i) => randomRule(pick(ids.slice(0, 3)), ids, i));
  const others = Array.from({ length: 12 }, (_, i) => ({
    id: randomUUID(), host: 'elsewhere', mac: '02:00:00:00:01:01', ips: [remote4(), remote6()],
    ...(i === 0 ? { pairs: ['10.99.0.32/29'] } : {}), groups: [pick(ids), pick(ids)],
  }));
  const mine = { id: P.id, host: HOST, mac: P.mac, ips: [P.v4, P.v6], pairs: ['10.202.0.0/24'], groups: ids.slice(0, int(0, 3)), portSecurity: rnd() > 0.05 };
  return { groups, rules, ports: [mine, ...others], addressGroups: randomAddressGroups() };
}

interface Probe { flow: Flow; packet: Record<string, unknown>; ingress: boolean }

function randomProbe(mark: number, sport: number): Probe {
  const v6 = rnd() < 0.4;
  const ingress = rnd() < 0.5;
  const protocol = pick([6, 17, 6, 17, v6 ? 58 : 1, 99]);
  const remote = v6 ? remote6() : remote4();
  const local = ingress || rnd() < 0.85 ? (v6 ? P.v6 : P.v4) : v6 ? 'fd20::77' : pick(['10.201.0.77', '10.202.0.9']);
  const dhcp = !v6 && rnd() < 0.03 ? pick([[68, 67], [67, 68]]) : null;
  const port = dhcp ? dhcp[1]! : int(18, 36);
  const sp = dhcp ? dhcp[0]! : sport;
  const icmpType = pick(v6 ? [128] : [8, 13]);
  const icmpCode = int(0, 2);
  const l4 = protocol === 6 || protocol === 17 ? { port, sourcePort: sp } : protocol === 99 ? {} : { icmpType, icmpCode };
  const flow = { direction: ingress ? 'ingress' : 'egress', etherType: v6 ? 'IPv6' : 'IPv4', protocol, remoteIp: remote, localIp: local, ...l4 } as Flow;
  const packet = { tos: ingress ? 0xa0 : 0x80, src: ingress ? remote : local, dst: ingress ? local : remote, protocol, mark, sport: sp, dport: port, type: icmpType, code: icmpCode, id: mark };
  return { flow, packet, ingress };
}

async function seen(ns: string): Promise<Set<number>> {
  const out = new Set<number>();
  for (const s of ['s4', 's6']) {
    const json = JSON.parse(await sh(ns, 'nft', '-j', 'list', 'set', 'inet', 'obs', s)) as { nftables: { set?: { elem?: unknown[] } }[] };
    for (const e of json.nftables.find((x) => x.set)?.set?.elem ?? []) out.add(Number(typeof e === 'object' ? (e as { elem: { val: number } }).elem.val : e));
  }
  await sh(ns, 'nft', 'flush set inet obs s4; flush set inet obs s6');
  return out;
}

async function flushConntrack(): Promise<void> {
  for (const f of ['ipv4', 'ipv6']) await sh(HOST, 'conntrack', '-F', '-f', f).catch(() => '');
}

describe.skipIf(skip)('agent differential: kernel verdicts vs engine', () => {
  const scratch = scratchDir('palisade-diff-');
  beforeAll(async () => {
    await makeHostNetns(HOST);
    await makeHostNetns(PEER);
    await labUp([toWire({ groups: [], rules: [], ports: [{ id: P.id, host: HOST, mac: P.mac, ips: [P.v4, P.v6], groups: [] }] }).ports[0]!].map((p) => ({ ...p, name: PNS })), `${scratch.dir}/lab.json`, { hostNetns: HOST });
    await runCommand(['ip', '-n', HOST, 'link', 'add', 'hpeer', 'type', 'veth', 'peer', 'name', 'eth0', 'netns', PEER]);
    for (const [ns, a4, a6] of [[HOST, '10.98.0.1/30', 'fd98::1/64'], [PEER, '10.98.0.2/30', 'fd98::2/64']] as const) {
      const dev = ns === HOST ? 'hpeer' : 'eth0';
      await sh(ns, 'ip', 'addr', 'add', a4, 'dev', dev);
      await sh(ns, 'ip', '-6', 'addr', 'add', a6, 'dev', dev, 'nodad');
      await sh(ns, 'ip', 'link', 'set', dev, 'up');
    }
    await sh(HOST, 'ip', 'route', 'add', '10.99.0.0/16', 'via', '10.98.0.2');
    await sh(HOST, 'ip', '-6', 'route', 'add', 'fd99::/64', 'via', 'fd98::2');
    await sh(PEER, 'ip', 'route', 'add', 'default', 'via', '10.98.0.1');
    await sh(PEER, 'ip', '-6', 'route', 'add', 'default', 'via', 'fd98::1');
        // Permanent neighbours: a burst to an unresolved neighbour overflows its queue and loses probes.
    const macOf = async (ns: string, dev: string) => /link\/ether (\S+)/.exec(await sh(ns, 'ip', 'link', 'show', dev))![1]!;
    const [hostMac, peerMac] = [await macOf(HOST, 'hpeer'), await macOf(PEER, 'eth0')];
    const neigh = (ns: string, addr: string, mac: string, dev: string) => sh(ns, 'ip', 'neigh', 'replace', addr, 'lladdr', mac, 'dev', dev, 'nud', 'permanent');
    await neigh(HOST, P.v4, P.mac, interfaceOf(P.id));
    await neigh(HOST, P.v6, P.mac, interfaceOf(P.id));
    await neigh(HOST, '10.98.0.2', peerMac, 'hpeer');
    await neigh(HOST, 'fd98::2', peerMac, 'hpeer');
    await neigh(PEER, '10.98.0.1', hostMac, 'eth0');
    await neigh(PEER, 'fd98::1', hostMac, 'eth0');
    const tapMac = await macOf(HOST, interfaceOf(P.id));
    await neigh(PNS, 'fe80::1', tapMac, 'eth0');
    for (let i = 1; i <= 40; i++) await neigh(PNS, `10.99.0.${i}`, tapMac, 'eth0');
    // Replies copy the probe's DSCP, so each direction has its own: a reply is never counted as a probe.
    await runCommand(['nft', '-f', '-'], { netns: PNS, input: OBS('cs5') });
    await runCommand(['nft', '-f', '-'], { netns: PEER, input: OBS('cs4') });
  });
  afterAll(async () => {
    await deleteNetns(PNS, PEER, HOST);
    scratch.remove();
  });

  it(`${FLOWS} random flows as real packets: 0 mismatches (seed ${seed})`, { timeout: 600_000 }, async () => {
    const table = new NftTable(nftRunner(HOST));
    const mismatches: string[] = [];
    let sport = 1024;
    let mark = 0;
    for (let done = 0; done < FLOWS; done += PER_ROUND) {
      const spec = randomPolicy();
      const wire = toWire(spec);
      await table.sync(desiredState(AgentModel.of(wire.ports, wire.groups, wire.rules, [], wire.addressGroups), { host: HOST }));
      await flushConntrack();
      const engine = createPolicyEngine();
      engine.load(toDomain(spec));
      const probes = Array.from({ length: Math.min(PER_ROUND, FLOWS - done) }, () => randomProbe((mark = (mark % 65000) + 1), (sport = sport >= 60000 ? 1024 : sport + 1)));
      const send = (ingress: boolean, ns: string) => runCommand(['python3', PROBE, 'send'], { netns: ns, input: JSON.stringify(probes.filter((p) => p.ingress === ingress).map((p) => p.packet)) });
      // Directions go one after the other with conntrack flushed between them: an ingress flow that was let in
      // would otherwise make a later egress flow on the same address pair (protocols without ports) a reply.
      await send(true, PEER);
      await new Promise((r) => setTimeout(r, 150));
      await flushConntrack();
      await send(false, PNS);
      await new Promise((r) => setTimeout(r, 300));
      const [atP, atPeer] = [await seen(PNS), await seen(PEER)];
      for (const p of probes) {
        const kernel = (p.ingress ? atP : atPeer).has(p.packet['mark'] as number) ? 'allow' : 'deny';
        const expected = engine.decide(P.id, p.flow);
        if (kernel !== expected) mismatches.push(`${JSON.stringify(p.flow)} kernel=${kernel} engine=${expected} rules=${JSON.stringify(spec.rules.filter((r) => spec.ports[0]!.groups.includes(r.group)))}`);
      }
      if (mismatches.length > 0) break;
    }
    expect(mismatches.slice(0, 3)).toEqual([]);
  });
});
