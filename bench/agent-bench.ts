// Agent benchmark: kernel commit latencies through the real agent loop, and new-flow cost, each against its baseline in one run.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ChangePageWire, ChangeWire } from '../src/api/index.js';
import { AgentStateStore, HostAgent, NftTable, nftRunner, runCommand, type ScriptRunner, type ServerClient, type Snapshot } from '../src/agent/index.js';
import { toWire, type PolicySpec, type PortSpec, type RuleSpecT } from '../test/agent-policy-fixtures.js';
import { runFlowBench } from './agent-flow-bench.js';
import { percentile, printTable, reportLoad } from './bench-support.js';

const ID = process.pid % 10000;
const v4 = (i: number, net = 20) => `10.${net + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
const p50p99 = (xs: number[]) => `${ms(percentile(xs, 50))} / ${ms(percentile(xs, 99))}`;

function scenario(host: string, ports: number, members: number, rulesPerGroup: number): PolicySpec {
  const groups = [{ id: 'use', stateful: true }, { id: 'big', stateful: true }];
  const rules: RuleSpecT[] = [{ id: 'rg', group: 'use', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', min: 22, max: 22, prefix: null, normalized: null, remoteGroup: 'big' }];
  for (let i = 0; i < rulesPerGroup; i++) {
    const cidr = `${v4(i * 256, 40)}/24`;
    rules.push({ id: `c${i}`, group: 'use', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', min: 1000 + i, max: 1000 + i, prefix: cidr, normalized: cidr, remoteGroup: null });
  }
  const local: PortSpec[] = Array.from({ length: ports }, (_, i) => ({ id: randomUUID(), host, mac: '02:00:00:00:00:01', ips: [v4(i, 30)], groups: ['use'] }));
  const remote: PortSpec[] = Array.from({ length: members }, (_, i) => ({ id: randomUUID(), host: 'other', mac: '02:00:00:00:00:02', ips: [v4(i)], groups: ['big'] }));
  return { groups, rules, ports: [...local, ...remote] };
}

/** Stands in for the API: hands the agent a snapshot, then one change page whenever the bench pushes one. */
class FeedClient {
  #seq = 0;
  #waiting: ((page: ChangePageWire) => void) | null = null;
  #polled: (() => void) | null = null;

  constructor(readonly snap: Snapshot) {}

  async snapshot(): Promise<Snapshot> {
    return this.snap;
  }

  changes(since: number, _wait: number, signal?: AbortSignal): Promise<ChangePageWire | 'expired'> {
    return new Promise((resolve) => {
      const abort = () => resolve({ changes: [], latest_seq: since });
      signal?.addEventListener('abort', abort, { once: true });
      this.#waiting = (page) => {
        signal?.removeEventListener('abort', abort);
        resolve(page);
      };
      this.#polled?.();
    });
  }

  /** Resolves once the agent is waiting for the next page (it has committed and persisted the last one). */
  polled(): Promise<void> {
    return this.#waiting ? Promise.resolve() : new Promise((r) => (this.#polled = r));
  }

  push(resource: ChangeWire['resource'], object: NonNullable<ChangeWire['object']>): void {
    const w = this.#waiting!;
    this.#waiting = this.#polled = null;
    this.#seq++;
    w({ changes: [{ seq: this.#seq, resource, action: 'create', id: object.id, project_id: 'p', object, at: '' }], latest_seq: this.#seq });
  }
}

/**
 * A real HostAgent in its own namespace, fed by FeedClient. `change` times one page from delivery to the end of
 * the agent's nft transaction (the runner's answer: the kernel has committed); the next page waits until the
 * agent has finished the commit (conntrack cut included) and polls again.
 */
async function startAgent(spec: PolicySpec, netns: string, run: ScriptRunner) {
  const dir = mkdtempSync(join(tmpdir(), 'pfperf-agent-'));
  const feed = new FeedClient({ seq: 0, ...toWire(spec) });
  let committed: (() => void) | null = null;
  let kernelAt = 0n;
  const timed: ScriptRunner = async (script, elements) => {
    await run(script, elements);
    kernelAt = process.hrtime.bigint();
  };
  const started = process.hrtime.bigint();
  const agent = new HostAgent({ host: netns, netns, client: feed as unknown as ServerClient, table: new NftTable(timed), store: new AgentStateStore(dir), onCommit: () => committed?.() });
  const loop = agent.run();
  await feed.polled();
  const coldStart = Number(kernelAt - started) / 1e9;
  return {
    coldStart,
    async change(resource: ChangeWire['resource'], object: NonNullable<ChangeWire['object']>): Promise<number> {
      const done = new Promise<void>((r) => (committed = r));
      const t = process.hrtime.bigint();
      feed.push(resource, object);
      await done;
      await feed.polled();
      return Number(kernelAt - t) / 1e9;
    },
    async stop() {
      agent.stop();
      await loop;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The naive agent: a linear rule per remote member per port, and the whole ruleset reloaded on every change. */
function naiveScript(spec: PolicySpec, host: string): string {
  const lines = ['add table inet naive', 'delete table inet naive', 'add table inet naive'];
  const members = spec.ports.filter((p) => p.groups.includes('big')).flatMap((p) => p.ips);
  spec.ports.filter((p) => p.host === host).forEach((p, i) => {
    lines.push(`add chain inet naive p${i}`);
    for (const r of spec.rules) {
      const sources = r.remoteGroup ? members : [r.normalized ?? '0.0.0.0/0'];
      for (const s of sources) lines.push(`add rule inet naive p${i} ip saddr ${s} tcp dport ${r.min} accept`);
    }
  });
  return lines.join('\n') + '\n';
}

const spawnedNft = (netns: string): ScriptRunner => async (script) => {
  await runCommand(['nsenter', `--net=/run/netns/${netns}`, 'nft', '-f', '-'], { input: script });
};

const joiner = (i: number) => toWire({ groups: [], rules: [], ports: [{ id: `j${i}`, host: 'other', mac: '02:00:00:00:00:03', ips: [v4(100_000 + i)], groups: ['big'] }] }).ports[0]!;
const udpRule = (i: number) => toWire({ groups: [], ports: [], rules: [{ id: `n${i}`, group: 'use', direction: 'ingress', ethertype: 'IPv4', protocol: 'udp', min: 2000 + i, max: 2000 + i, prefix: null, normalized: null, remoteGroup: null }] }).rules[0]!;

/** Rounds interleave the coprocess agent, the same agent spawning nft per commit, and the naive reload. */
async function commitRows(ns: (tag: string) => string): Promise<string[][]> {
  const co = nftRunner(ns('a'));
  const joinA = await startAgent(scenario(ns('a'), 500, 10_000, 1), ns('a'), co);
  const joinB = await startAgent(scenario(ns('b'), 500, 10_000, 1), ns('b'), spawnedNft(ns('b')));
  const scriptsOnly = nftRunner(ns('d'));
  const joinD = await startAgent(scenario(ns('d'), 500, 10_000, 1), ns('d'), (script) => scriptsOnly(script));
  const naiveSpec = scenario(ns('c'), 50, 1_000, 1);
  const join: number[] = [], joinSpawned: number[] = [], joinScripts: number[] = [], joinNaive: number[] = [];
  let k = 0;
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 60; i++, k++) join.push(await joinA.change('port', joiner(k)));
    for (let i = 0; i < 20; i++) joinSpawned.push(await joinB.change('port', joiner(k - 60 + i)));
    for (let i = 0; i < 20; i++) joinScripts.push(await joinD.change('port', joiner(k - 60 + i)));
    const p = joiner(k);
    naiveSpec.ports.push({ id: p.id, host: 'other', mac: p.mac_address, ips: [p.fixed_ips[0]!.ip_address], groups: ['big'] });
    const t = process.hrtime.bigint();
    await runCommand(['nsenter', `--net=/run/netns/${ns('c')}`, 'nft', '-f', '-'], { input: naiveScript(naiveSpec, ns('c')) });
    joinNaive.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  await joinA.stop();
  await joinB.stop();
  await joinD.stop();
  co.close();
  scriptsOnly.close();

  const addRun = nftRunner(ns('a'));
  const addAgent = await startAgent(scenario(ns('a'), 500, 100, 10), ns('a'), addRun);
  const addSpec = scenario(ns('c'), 500, 100, 10);
  const add: number[] = [], addNaive: number[] = [];
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 10; i++) add.push(await addAgent.change('security_group_rule', udpRule(round * 10 + i)));
    addSpec.rules.push({ id: `n${round}`, group: 'use', direction: 'ingress', ethertype: 'IPv4', protocol: 'udp', min: 2000 + round, max: 2000 + round, prefix: null, normalized: null, remoteGroup: null });
    const t = process.hrtime.bigint();
    await runCommand(['nsenter', `--net=/run/netns/${ns('c')}`, 'nft', '-f', '-'], { input: naiveScript(addSpec, ns('c')) });
    addNaive.push(Number(process.hrtime.bigint() - t) / 1e9);
  }
  await addAgent.stop();
  addRun.close();

  const coldRun = nftRunner(ns('b'));
  const cold = await startAgent(scenario(ns('b'), 500, 0, 100), ns('b'), coldRun);
  await cold.stop();
  coldRun.close();
  const t = process.hrtime.bigint();
  await runCommand(['nsenter', `--net=/run/netns/${ns('c')}`, 'nft', '-f', '-'], { input: naiveScript(scenario(ns('c'), 500, 0, 100), ns('c')) });
  const coldNaive = Number(process.hrtime.bigint() - t) / 1e9;

  return [
    ['member join, 10,000-member group × 500 ports (p50 / p99, n=300)', p50p99(join), `${p50p99(joinNaive)} at 50 ports × 1,000 members (n=5)`, '≤ 50 ms p99'],
    ['  the same agent, every commit an nft script through the coprocess (n=100)', p50p99(joinScripts), '', ''],
    ['  the same agent spawning `nft -f` per commit (n=100)', p50p99(joinSpawned), '', ''],
    ['rule added to a group of 500 ports (p50 / p99, n=50)', p50p99(add), `${p50p99(addNaive)} (n=5)`, '≤ 100 ms p99'],
    ['cold start, 500 ports × 100 rules (agent start to first commit)', ms(cold.coldStart), ms(coldNaive), '≤ 10 s'],
    ['slowest joins (ms)', [...join].sort((a, b) => b - a).slice(0, 5).map((x) => (x * 1000).toFixed(0)).join(', '), '', ''],
  ];
}

export async function runAgentBench(): Promise<void> {
  reportLoad();
  const ns = (tag: string) => `pfperf${ID}${tag}`;
  for (const tag of ['a', 'b', 'c', 'd']) await runCommand(['ip', 'netns', 'add', ns(tag)]);
  let rows: string[][];
  try {
    rows = await commitRows(ns);
  } finally {
    for (const tag of ['a', 'b', 'c', 'd']) await runCommand(['ip', 'netns', 'del', ns(tag)]).catch(() => undefined);
  }
  if (process.env['PALISADE_BENCH_SAMPLES']) process.stdout.write(`${JSON.stringify(rows.at(-1))}\n`);
  printTable('Agent: change page delivered → nft transaction committed, through HostAgent (candidate vs naive)', ['scenario', 'palisade agent', 'naive baseline', 'target'], rows);
  const f = await runFlowBench();
  const us = (x: number) => `${x.toFixed(2)} µs`;
  printTable('Agent: time per new flow (UDP, each frame its own conntrack entry), interleaved rounds', ['scenario', 'agent table', 'no table (unfiltered, untracked)', 'added per new flow', 'target'], [
    [`1,000 rules + 100,000-member remote group (table load ${(f.loadMs / 1000).toFixed(1)} s)`, us(f.candidateUs), `${us(f.baselineUs)} (${f.baselineTracked} tracked)`, `${us(f.addedUs)} (rounds: ${us(f.addedRange[0])} … ${us(f.addedRange[1])})`, '≤ 5 µs'],
    ['  of which conntrack alone (a table that tracks and filters nothing)', us(f.conntrackOnlyUs), '', `${us(f.conntrackOnlyUs - f.baselineUs)}; the rules add ${us(f.candidateUs - f.conntrackOnlyUs)}`, ''],
  ]);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAgentBench();
