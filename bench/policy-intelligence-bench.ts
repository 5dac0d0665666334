// Lint and what-if on the analysis benchmark's project (1,000 groups × 100 rules, 5,000 ports): engine time, in process.
import { pathToFileURL } from 'node:url';
import { createPolicyEngine, type PolicyChange } from '../src/engine/index.js';
import { analysisWorld } from './analysis-world.js';
import { percentile, printTable, reportLoad } from './bench-support.js';
import { benchRule } from './engine-scenario.js';

const TARGET_LINT_MS = 5_000;
const TARGET_WHAT_IF_MS = 200;
/** Measured runs per case, after one warm-up. */
const RUNS = 5;

/** Wall time and this process's CPU time: on a shared, loaded machine the CPU time is the steadier of the two. */
function timed<T>(fn: () => T): { ms: number; cpu: number; value: T } {
  const cpu0 = process.cpuUsage();
  const start = process.hrtime.bigint();
  const value = fn();
  const cpu = process.cpuUsage(cpu0);
  return { ms: Number(process.hrtime.bigint() - start) / 1e6, cpu: (cpu.user + cpu.system) / 1000, value };
}

const ms = (v: number) => `${v.toFixed(v < 10 ? 2 : 0)} ms`;

export async function runPolicyIntelligenceBench(openShare = 0.2): Promise<void> {
  const world = analysisWorld(1000, 100, 5000, openShare);
  const engine = createPolicyEngine();
  engine.load(world);
  const cold = timed(() => engine.lint({ projectId: 'big' }));
  const warm = timed(() => engine.lint({ projectId: 'big' }));
  const byCode = new Map<string, number>();
  for (const f of cold.value) byCode.set(f.code, (byCode.get(f.code) ?? 0) + 1);
  console.log(`lint of 5,000 ports, 100,000 rules: ${ms(cold.ms)} cold (first run, per-group facts computed; CPU ${ms(cold.cpu)}), ${ms(warm.ms)} warm (CPU ${ms(warm.cpu)}); target ≤ ${ms(TARGET_LINT_MS)}`);
  console.log(`findings: ${[...byCode].map(([k, v]) => `${k} ${v}`).join(', ')}`);

  const rule = (i: number) => ({ ...benchRule(`new-${i}`, `g${i % 1000}`, { direction: 'ingress', protocol: 'tcp', portRangeMin: 5432, portRangeMax: 5432, remoteIpPrefix: `10.0.${i % 256}.0/24` }), projectId: 'big' });
  const cases: { name: string; changes: (i: number) => PolicyChange[] }[] = [
    { name: 'add one rule (tcp/5432 from a /24)', changes: (i) => [{ kind: 'rule', rule: rule(i) }] },
    { name: 'add one rule (tcp/5432 from anywhere)', changes: (i) => [{ kind: 'rule', rule: { ...rule(i), remoteIpPrefix: null } }] },
    { name: 'delete one rule (tcp/1006)', changes: (i) => [{ kind: 'rule-deleted', ruleId: `g${i % 1000}-r6` }] },
    { name: "change one port's groups", changes: (i) => [{ kind: 'port', port: { ...world.ports[i % 5000]!, securityGroupIds: [`g${(i * 7) % 1000}`] } }] },
  ];
  const rows: string[][] = [];
  for (const c of cases) {
    const times: number[] = [];
    const cpus: number[] = [];
    let changed = 0;
    for (let i = 0; i < RUNS + 1; i++) {
      const { ms: t, cpu, value } = timed(() => engine.whatIf('big', c.changes(i * 37 + 1)));
      if (i >= 1) {
        times.push(t);
        cpus.push(cpu);
      }
      console.log(`  ${c.name}: ${ms(t)} (CPU ${ms(cpu)})`);
      changed = value.access.length;
    }
    rows.push([c.name, ms(percentile(times, 50)), ms(Math.max(...times)), ms(percentile(cpus, 50)), String(changed)]);
  }
  printTable(`what-if in the same project (${RUNS} runs after a warm-up; target ≤ ${TARGET_WHAT_IF_MS} ms for a single rule change)`, ['change', 'p50', 'max', 'CPU p50', 'port pairs changed (last run)'], rows);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  reportLoad();
  await runPolicyIntelligenceBench(Number(process.argv[2] ?? '0.2'));
}
