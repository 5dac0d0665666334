// Agent benchmark: kernel commit latencies and new-flow cost, against a naive one-rule-per-member, reload-per-change baseline.
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { AgentModel, NftTable, desiredState, nftRunner, renderFull, runCommand } from '../src/agent/index.js';
import { toWire, type PolicySpec, type PortSpec, type RuleSpecT } from '../test/agent-policy-fixtures.js';
import { percentile, printTable, reportLoad, timeIt } from './bench-support.js';

const NS = `ptbench${process.pid % 10000}`;
const v4 = (i: number, net = 20) => `10.${net + (i >> 16)}.${(i >> 8) & 255}.${i & 255}`;
const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;

function scenario(ports: number, members: number, rulesPerGroup: number): PolicySpec {
  const groups = [{ id: 'use', stateful: true }, { id: 'big', stateful: true }];
  const rules: RuleSpecT[] = [{ id: 'rg', group: 'use', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', min: 22, max: 22, prefix: null, normalized: null, remoteGroup: 'big' }];
  for (let i = 0; i < rulesPerGroup; i++) {
    const cidr = `${v4(i * 256, 40)}/24`;
    rules.push({ id: `c${i}`, group: 'use', direction: 'ingress', ethertype: 'IPv4', protocol: 'tcp', min: 1000 + i, max: 1000 + i, prefix: cidr, normalized: cidr, remoteGroup: null });
  }
  const local: PortSpec[] = Array.from({ length: ports }, (_, i) => ({ id: randomUUID(), host: NS, mac: '02:00:00:00:00:01', ips: [v4(i, 30)], groups: ['use'] }));
  const remote: PortSpec[] = Array.from({ length: members }, (_, i) => ({ id: randomUUID(), host: 'other', mac: '02:00:00:00:00:02', ips: [v4(i)], groups: ['big'] }));
  return { groups, rules, ports: [...local, ...remote] };
}

const modelOf = (spec: PolicySpec) => { const w = toWire(spec); return AgentModel.of(w.ports, w.groups, w.rules); };

/** The naive agent: a linear rule per remote member per port, and the whole ruleset reloaded on every change. */
function naiveScript(spec: PolicySpec): string {
  const lines = ['add table inet naive', 'delete table inet naive', 'add table inet naive'];
  const members = spec.ports.filter((p) => p.groups.includes('big')).flatMap((p) => p.ips);
  spec.ports.filter((p) => p.host === NS).forEach((p, i) => {
    lines.push(`add chain inet naive p${i}`);
    for (const r of spec.rules) {
      const sources = r.remoteGroup ? members : [r.normalized ?? '0.0.0.0/0'];
      for (const s of sources) lines.push(`add rule inet naive p${i} ip saddr ${s} tcp dport ${r.min} accept`);
    }
  });
  return lines.join('\n') + '\n';
}

const run = nftRunner(NS);

async function memberJoin(ports: number, members: number, n: number, naive: boolean): Promise<number[]> {
  const spec = scenario(ports, members, 1);
  const table = new NftTable(run);
  const model = modelOf(spec);
  await table.sync(desiredState(model, { host: NS }));
  return timeIt(n, async (i) => {
    const p = toWire({ groups: [], rules: [], ports: [{ id: `j${i}`, host: 'other', mac: '02:00:00:00:00:03', ips: [v4(members + i)], groups: ['big'] }] }).ports[0]!;
    model.apply({ seq: i + 1, resource: 'port', action: 'create', id: p.id, project_id: 'p', object: p, at: '' });
    if (naive) {
      spec.ports.push({ id: p.id, host: 'other', mac: p.mac_address, ips: [v4(members + i)], groups: ['big'] });
      await run(naiveScript(spec));
    } else await table.sync(desiredState(model, { host: NS }));
  });
}

async function ruleAdd(ports: number, n: number, naive: boolean): Promise<number[]> {
  const spec = scenario(ports, 100, 10);
  const table = new NftTable(run);
  const model = modelOf(spec);
  await table.sync(desiredState(model, { host: NS }));
  return timeIt(n, async (i) => {
    const r: RuleSpecT = { id: `n${i}`, group: 'use', direction: 'ingress', ethertype: 'IPv4', protocol: 'udp', min: 2000 + i, max: 2000 + i, prefix: null, normalized: null, remoteGroup: null };
    const w = toWire({ groups: [], ports: [], rules: [r] }).rules[0]!;
    model.apply({ seq: i + 1, resource: 'security_group_rule', action: 'create', id: w.id, project_id: 'p', object: w, at: '' });
    spec.rules.push(r);
    if (naive) await run(naiveScript(spec));
    else await table.sync(desiredState(model, { host: NS }));
  });
}

async function coldStart(ports: number, rules: number, naive: boolean): Promise<number> {
  const spec = scenario(ports, 0, rules);
  const [t] = await timeIt(1, async () => (naive ? run(naiveScript(spec)) : run(renderFull(desiredState(modelOf(spec), { host: NS })))));
  return t!;
}

export async function runAgentBench(): Promise<void> {
  reportLoad();
  await runCommand(['ip', 'netns', 'add', NS]);
  try {
    const rows: string[][] = [];
    const join = await memberJoin(500, 10_000, 30, false);
    const joinNaive = await memberJoin(50, 1_000, 5, true);
    rows.push(['member join, 10,000-member group × 500 ports (p50 / p99)', `${ms(percentile(join, 50))} / ${ms(percentile(join, 99))}`, `${ms(percentile(joinNaive, 50))} / ${ms(percentile(joinNaive, 99))} at 50 ports × 1,000 members`, '≤ 50 ms p99']);
    const add = await ruleAdd(500, 30, false);
    const addNaive = await ruleAdd(500, 5, true);
    rows.push(['rule added to a group of 500 ports (p50 / p99)', `${ms(percentile(add, 50))} / ${ms(percentile(add, 99))}`, `${ms(percentile(addNaive, 50))} / ${ms(percentile(addNaive, 99))}`, '≤ 100 ms p99']);
    const cold = await coldStart(500, 100, false);
    const coldNaive = await coldStart(500, 100, true);
    rows.push(['cold start, 500 ports × 100 rules', ms(cold), ms(coldNaive), '≤ 10 s']);
    printTable('Agent (nft commit latency, candidate vs naive)', ['scenario', 'palisade agent', 'naive baseline', 'target'], rows);
  } finally {
    await runCommand(['ip', 'netns', 'del', NS]).catch(() => undefined);
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) await runAgentBench();
