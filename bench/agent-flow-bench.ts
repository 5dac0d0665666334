// Agent benchmark, packet side: time added per new flow by the agent's table (1,000 rules, 100,000 remote-group members) over no table at all.
import { randomUUID } from 'node:crypto';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { AgentModel, NftTable, desiredState, interfaceOf, labDown, labUp, nftRunner, runCommand } from '../src/agent/index.js';
import type { PortWire } from '../src/api/index.js';
import { toWire, type PolicySpec, type RuleSpecT } from '../test/agent-policy-fixtures.js';

const ID = process.pid % 100000;
const FLOWS_PER_ROUND = 50_000;
const ROUNDS = 9;

/**
 * Runs in the client namespace: frames built beforehand (Ethernet + IPv4 + UDP, each with its own source
 * port, so each is a new conntrack flow), sent on an AF_PACKET socket; answers each "go" with the ns it took.
 */
const SENDER = String.raw`
import socket, struct, sys, time
dst_mac, src_mac, n = bytes.fromhex(sys.argv[1].replace(':', '')), bytes.fromhex(sys.argv[2].replace(':', '')), int(sys.argv[3])
src, dst = socket.inet_aton('10.50.0.1'), socket.inet_aton('10.50.0.2')
def csum(b):
    s = sum(struct.unpack('!10H', b))
    s = (s >> 16) + (s & 0xffff); s += s >> 16
    return (~s) & 0xffff
frames = []
for i in range(n):
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 20 + 8 + 18, i & 0xffff, 0, 64, 17, 0, src, dst)
    ip = ip[:10] + struct.pack('!H', csum(ip)) + ip[12:]
    udp = struct.pack('!HHHH', 1024 + i, 9, 8 + 18, 0)
    frames.append(dst_mac + src_mac + b'\x08\x00' + ip + udp + b'x' * 18)
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('eth0', 0))
print('ready', flush=True)
for line in sys.stdin:
    send = s.send
    t = time.perf_counter_ns()
    for f in frames:
        send(f)
    print(time.perf_counter_ns() - t, flush=True)
`;

interface Topology {
  readonly host: string;
  readonly server: string;
  readonly go: () => Promise<number>;
}

/** Port ids double as namespace names (the lab names a namespace after the port's name, else its id). */
function policy(host: string, client: string, server: string, members: number, rules: number): PolicySpec {
  const groups = [{ id: 'cli', stateful: true }, { id: 'srv', stateful: true }, { id: 'big', stateful: true }];
  const rs: RuleSpecT[] = [
    { id: 'out', group: 'cli', direction: 'egress', ethertype: 'IPv4', protocol: null, min: null, max: null, prefix: null, normalized: null, remoteGroup: null },
    { id: 'rg', group: 'srv', direction: 'ingress', ethertype: 'IPv4', protocol: 'udp', min: null, max: null, prefix: null, normalized: null, remoteGroup: 'big' },
  ];
  for (let i = 0; i < rules - 1; i++) {
    const cidr = `10.${100 + (i % 50)}.${Math.floor(i / 50)}.0/24`;
    rs.push({ id: `c${i}`, group: 'srv', direction: 'ingress', ethertype: 'IPv4', protocol: i % 2 ? 'udp' : 'tcp', min: 1000 + i, max: 1000 + i, prefix: cidr, normalized: cidr, remoteGroup: null });
  }
  const ports = [
    { id: client, host, mac: '02:00:00:00:01:01', ips: ['10.50.0.1'], groups: ['cli', 'big'] },
    { id: server, host, mac: '02:00:00:00:01:02', ips: ['10.50.0.2'], groups: ['srv'] },
    ...Array.from({ length: members - 1 }, (_, i) => ({ id: randomUUID(), host: 'other', mac: '02:00:00:00:00:02', ips: [`11.${i >> 16}.${(i >> 8) & 255}.${i & 255}`], groups: ['big'] })),
  ];
  return { groups, rules: rs, ports };
}

const ipIn = (ns: string, ...args: string[]) => runCommand(['ip', '-n', ns, ...args]);
const macOf = async (ns: string, dev: string) => (JSON.parse(await ipIn(ns, '-j', 'link', 'show', dev)) as { address: string }[])[0]!.address;

/** Host namespace + client and server namespaces (the lab's layout); the server drops what arrives at its device (netdev ingress), silently. */
async function topology(tag: string, spec: PolicySpec, dir: string, cleanup: (() => Promise<void>)[]): Promise<{ topo: Topology; wire: ReturnType<typeof toWire> }> {
  const host = `pff${ID}${tag}h`;
  const stateFile = join(dir, `${tag}.json`);
  cleanup.push(async () => {
    await labDown(stateFile).catch(() => undefined);
    await runCommand(['ip', 'netns', 'del', host]).catch(() => undefined);
  });
  const wire = toWire(spec);
  const [client, server] = wire.ports.filter((p) => p['binding:host_id'] === host) as [PortWire, PortWire];
  const local = [client, server];
  await runCommand(['ip', 'netns', 'add', host]);
  await labUp(local, stateFile, { hostNetns: host });
  const tapC = interfaceOf(client.id);
  const tapS = interfaceOf(server.id);
  await ipIn(host, 'neigh', 'replace', '10.50.0.2', 'lladdr', server.mac_address, 'dev', tapS, 'nud', 'permanent');
  const sink = 'add table netdev sink\nadd chain netdev sink drop_all { type filter hook ingress device eth0 priority 0; policy drop; }\n';
  await runCommand(['nft', '-f', '-'], { netns: server.id, input: sink });
  const child = spawn('ip', ['netns', 'exec', client.id, 'python3', '-c', SENDER, await macOf(host, tapC), client.mac_address, String(FLOWS_PER_ROUND)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  cleanup.push(async () => void child.kill());
  if ((await lines.next()).value !== 'ready') throw new Error('flow sender did not start');
  const go = async () => {
    child.stdin.write('go\n');
    return Number((await lines.next()).value);
  };
  return { topo: { host, server: server.id, go }, wire };
}

const rxPackets = async (ns: string) => (JSON.parse(await ipIn(ns, '-s', '-j', 'link', 'show', 'eth0')) as { stats64: { rx: { packets: number } } }[])[0]!.stats64.rx.packets;

/** One round: conntrack emptied, every frame sent, and checked to have reached the server (a dropped flow would look cheap). */
async function round(t: Topology): Promise<number> {
  await runCommand(['conntrack', '-F'], { netns: t.host }).catch(() => undefined);
  const before = await rxPackets(t.server);
  const ns = await t.go();
  const delivered = (await rxPackets(t.server)) - before;
  if (delivered !== FLOWS_PER_ROUND) throw new Error(`${t.host}: ${delivered} of ${FLOWS_PER_ROUND} flows reached the server`);
  return ns / FLOWS_PER_ROUND / 1000;
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export interface FlowResult {
  readonly candidateUs: number;
  readonly baselineUs: number;
  readonly addedUs: number;
  readonly addedRange: readonly [number, number];
  /** A third topology whose table only tracks connections (no filtering): how much of the added time is conntrack's. */
  readonly conntrackOnlyUs: number;
  readonly loadMs: number;
  readonly baselineTracked: number;
}

/** Tracks every forwarded flow and filters nothing: the cost any stateful firewall pays per new flow. */
const CONNTRACK_ONLY = 'add table inet ctonly\nadd chain inet ctonly tracked { type filter hook forward priority filter; policy accept; }\nadd rule inet ctonly tracked ct state established,related accept\nadd rule inet ctonly tracked ct state new accept\n';

/** Interleaved rounds (the order rotates) on three identical topologies: the agent's table, none, and conntrack alone. */
export async function runFlowBench(members = 100_000, rules = 1_000): Promise<FlowResult> {
  const dir = mkdtempSync(join(tmpdir(), 'pfperf-flow-'));
  const cleanup: (() => Promise<void>)[] = [];
  try {
    const a = await topology('a', policy(`pff${ID}ah`, `pff${ID}ac`, `pff${ID}as`, members, rules), dir, cleanup);
    const b = await topology('b', policy(`pff${ID}bh`, `pff${ID}bc`, `pff${ID}bs`, 2, 1), dir, cleanup);
    const c = await topology('c', policy(`pff${ID}ch`, `pff${ID}cc`, `pff${ID}cs`, 2, 1), dir, cleanup);
    await runCommand(['nft', '-f', '-'], { netns: c.topo.host, input: CONNTRACK_ONLY });
    const run = nftRunner(a.topo.host);
    const started = performance.now();
    await new NftTable(run).sync(desiredState(AgentModel.of(a.wire.ports, a.wire.groups, a.wire.rules), { host: a.topo.host }));
    const loadMs = performance.now() - started;
    run.close();
    const topologies = [a.topo, b.topo, c.topo];
    for (const t of topologies) await round(t);
    const times: number[][] = [[], [], []];
    for (let i = 0; i < ROUNDS; i++) for (let j = 0; j < 3; j++) times[(i + j) % 3]!.push(await round(topologies[(i + j) % 3]!));
    const [withTable, without, conntrackOnly] = times as [number[], number[], number[]];
    const tracked = (await runCommand(['conntrack', '-C'], { netns: b.topo.host }).catch(() => '0')).trim();
    const diffs = withTable.map((x, i) => x - without[i]!);
    return {
      candidateUs: median(withTable), baselineUs: median(without), addedUs: median(withTable) - median(without),
      addedRange: [Math.min(...diffs), Math.max(...diffs)], conntrackOnlyUs: median(conntrackOnly), loadMs, baselineTracked: Number(tracked),
    };
  } finally {
    for (const step of cleanup.reverse()) await step();
    rmSync(dir, { recursive: true, force: true });
  }
}
