// Engine benchmark: decide latency against the linear baseline, compile time, membership change cost, memory per port.
import { pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createPolicyEngine, type Flow, type PolicyEngine } from '../src/engine/index.js';
import { percentile, printTable, reportLoad } from './bench-support.js';
import { linearEvaluator } from './engine-baseline.js';
import { referenceEvaluate } from '../src/engine/reference-evaluator.test-support.js';
import { benchPort, benchRule, memberPorts, scenario, REMOTE_GROUPS, type Scenario } from './engine-scenario.js';

const BATCH = 64;
const RULE_COUNTS = [10, 100, 1_000, 10_000];
const MEMBER_COUNTS = [10, 1_000, 100_000];
const TARGET = { rules: 1_000, members: REMOTE_GROUPS * 10_000 };

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Per-call time in ns of `batches` batches of BATCH calls each, cycling through the flows. */
function timeBatches(batches: number, flows: readonly Flow[], call: (f: Flow) => unknown): number[] {
  const out: number[] = [];
  let i = 0;
  let sink = 0;
  for (let b = 0; b < batches; b++) {
    const start = process.hrtime.bigint();
    for (let k = 0; k < BATCH; k++) if (call(flows[i++ & 4095]!) === 'allow') sink++;
    out.push(Number(process.hrtime.bigint() - start) / BATCH);
  }
  if (sink < 0) console.log(sink);
  return out;
}

function loaded(s: Scenario, members: ReturnType<typeof memberPorts>): PolicyEngine {
  const engine = createPolicyEngine();
  engine.load({ groups: s.groups, rules: s.rules, ports: [...members, s.port] });
  return engine;
}

const ns = (v: number) => (v >= 10_000 ? `${(v / 1000).toFixed(0)} µs` : v >= 1000 ? `${(v / 1000).toFixed(2)} µs` : `${v.toFixed(0)} ns`);

interface Row { rules: number; members: number; p50: number; p99: number; baseP50: number; baseP99: number }

function measureDecide(ruleCount: number, memberCount: number, members: ReturnType<typeof memberPorts>): Row {
  const s = scenario(ruleCount, memberCount);
  const engine = loaded(s, members);
  const baseline = linearEvaluator(s.rules, s.port, members);
  const decide = (f: Flow) => engine.decide('target', f);
  const base = (f: Flow) => (baseline(f) ? 'allow' : 'deny');
  for (const f of s.flows) if (decide(f) !== base(f)) throw new Error(`engine and baseline disagree on ${JSON.stringify(f)}`);
  const engineTimes: number[] = [];
  const baseTimes: number[] = [];
  const baseBatches = Math.max(4, Math.floor(40_000 / ruleCount));
  timeBatches(500, s.flows, decide);
  // Interleave candidate and baseline in rounds so that drift in machine load hits both alike.
  for (let round = 0; round < 20; round++) {
    engineTimes.push(...timeBatches(200, s.flows, decide));
    baseTimes.push(...timeBatches(baseBatches, s.flows, base));
  }
  return { rules: ruleCount, members: memberCount, p50: percentile(engineTimes, 50), p99: percentile(engineTimes, 99), baseP50: percentile(baseTimes, 50), baseP99: percentile(baseTimes, 99) };
}

function decideTable(): Row[] {
  const rows: Row[] = [];
  for (const memberCount of [...MEMBER_COUNTS, TARGET.members]) {
    const members = memberPorts(memberCount);
    const ruleCounts = memberCount === TARGET.members ? [TARGET.rules] : RULE_COUNTS;
    for (const ruleCount of ruleCounts) rows.push(measureDecide(ruleCount, memberCount, members));
  }
  printTable(
    `decide(): ns per call, p50/p99 over batches of ${BATCH} calls; baseline = linear loop over the port's rules with hash-set members`,
    ['rules/port', 'members (20 groups)', 'engine p50', 'engine p99', 'baseline p50', 'baseline p99', 'speed-up p50'],
    rows.map((r) => [String(r.rules), String(r.members), ns(r.p50), ns(r.p99), ns(r.baseP50), ns(r.baseP99), `${(r.baseP50 / r.p50).toFixed(1)}×`]),
  );
  return rows;
}

/** Compile of one port at 1,000 rules (through the API: a rule change, then the first decide), and one membership change. */
function changeTable(): void {
  const members = memberPorts(TARGET.members);
  const s = scenario(TARGET.rules, TARGET.members);
  const engine = loaded(s, members);
  const flow = s.flows[0]!;
  const compile: number[] = [];
  const steady: number[] = [];
  for (let i = 0; i < 60; i++) {
    engine.apply({ kind: 'rule', rule: benchRule(`extra${i % 2}`, 'own0', { direction: 'ingress', protocol: 'tcp', portRangeMin: 1 + i, portRangeMax: 1 + i }) });
    let start = process.hrtime.bigint();
    engine.decide('target', flow);
    compile.push(Number(process.hrtime.bigint() - start) / 1e6);
    start = process.hrtime.bigint();
    engine.decide('target', flow);
    steady.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const membership: number[] = [];
  for (let i = 0; i < 4000; i++) {
    const m = members[i % 1000]!;
    const joined = i % 2 === 0 ? [...m.securityGroupIds, 'rg19'] : m.securityGroupIds;
    const start = process.hrtime.bigint();
    engine.apply({ kind: 'port', port: benchPort(m.id, m.fixedIps[0]!.ipAddress, joined) });
    membership.push(Number(process.hrtime.bigint() - start) / 1e3);
  }
  printTable(`changes, ${TARGET.rules} rules on the port, ${REMOTE_GROUPS} remote groups × ${TARGET.members / REMOTE_GROUPS} members`, ['operation', 'p50', 'p99', 'runs'], [
    ['compile one port (rule change, then first decide)', `${percentile(compile, 50).toFixed(2)} ms`, `${percentile(compile, 99).toFixed(2)} ms`, '60'],
    ['decide right after (no compile)', `${(percentile(steady, 50) * 1000).toFixed(1)} µs`, `${(percentile(steady, 99) * 1000).toFixed(1)} µs`, '60'],
    ['membership change (a port joins/leaves a remote group)', `${percentile(membership, 50).toFixed(1)} µs`, `${percentile(membership, 99).toFixed(1)} µs`, '4000'],
  ]);
}

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

function memoryTable(): void {
  const members = memberPorts(100_000);
  const before = heapAfterGc();
  const engine = createPolicyEngine();
  engine.load({ groups: scenario(10, 0).groups, rules: [], ports: members });
  const perMember = (heapAfterGc() - before) / members.length;
  const policies = 20;
  const groups = Array.from({ length: policies }, (_, i) => scenario(TARGET.rules, 0, i + 7));
  const own = groups.map((s, i) => ({ ...s, rules: s.rules.map((r) => ({ ...r, id: `p${i}-${r.id}`, securityGroupId: `own-${i}` })), port: benchPort(`t${i}`, `192.168.1.${i + 1}`, [`own-${i}`]) }));
  engine.load({ groups: [], rules: own.flatMap((s) => s.rules), ports: [...members, ...own.map((s) => s.port)] });
  const loadedHeap = heapAfterGc();
  for (const s of own) engine.decide(s.port.id, s.flows[0]!);
  const perPolicy = (heapAfterGc() - loadedHeap) / policies;
  printTable('memory (heap after GC)', ['what', 'bytes'], [
    ['per port sharing a compiled policy (engine overhead, Port object excluded), 100,000 ports', perMember.toFixed(0)],
    [`per compiled policy of ${TARGET.rules} rules (a port with a group set of its own), ${policies} policies`, perPolicy.toFixed(0)],
  ]);
}

/**
 * The issue's own baseline: the reference evaluator of the tests (the semantics as a plain loop over
 * rules and member ports), at the target load, interleaved with the engine in the same run.
 */
function referenceRow(): void {
  const members = memberPorts(TARGET.members);
  const s = scenario(TARGET.rules, TARGET.members);
  const engine = loaded(s, members);
  const world = { rules: s.rules, ports: [...members, s.port] };
  const flows = s.flows.slice(0, 4096);
  const engineTimes: number[] = [];
  const refTimes: number[] = [];
  for (let round = 0; round < 5; round++) {
    engineTimes.push(...timeBatches(200, flows, (f) => engine.decide('target', f)));
    refTimes.push(...timeBatches(2, flows, (f) => referenceEvaluate(world, 'target', f).verdict));
  }
  const e = percentile(engineTimes, 50);
  const r = percentile(refTimes, 50);
  process.stdout.write(`target row against the reference evaluator: engine p50 ${ns(e)}, reference p50 ${ns(r)}, ${(r / e).toFixed(0)}× (≥ 10×)\n`);
}

export async function runEngineBench(): Promise<void> {
  reportLoad();
  const rows = decideTable();
  const at = (rules: number, members: number) => rows.find((r) => r.rules === rules && r.members === members)!;
  const target = at(TARGET.rules, TARGET.members);
  const growth = MEMBER_COUNTS.map((m) => `${m} members: ${(at(10_000, m).p50 / at(10, m).p50).toFixed(2)}×`).join(', ');
  process.stdout.write(`\ntarget row (${TARGET.rules} rules, ${REMOTE_GROUPS} × ${TARGET.members / REMOTE_GROUPS} members): p50 ${ns(target.p50)} (≤ 1 µs), p99 ${ns(target.p99)} (≤ 10 µs), ${(target.baseP50 / target.p50).toFixed(1)}× the baseline (≥ 10×)\n`);
  process.stdout.write(`p50 growth from 10 to 10,000 rules (≤ 2×): ${growth}\n`);
  referenceRow();
  changeTable();
  memoryTable();
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await runEngineBench();
