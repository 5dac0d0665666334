// `npm run bench`: every benchmark in one run, each against its own baseline measured in the same run.
// `npm run bench -- region [--scale=small]`: the region benchmark alone (long: it builds a million-rule region).
// `npm run bench -- analysis [share]`: only the analysis-at-scale benchmark (a minute or more; not in the default run).
// `npm run bench -- lint [share]`: lint and what-if on the analysis benchmark's project, in process (not in the default run).
// `npm run bench -- fanout [--hosts=50,200,500]`: what the host projection costs a write, by how many hosts it reaches;
// `npm run bench -- fanout --clients=100`: that many light agents following host feeds under a stream of writes.
// `npm run bench -- soak --minutes N [--rate R]`: the soak (docs/ops/soak.md); exits 1 when a resource trends upward.
import { existsSync } from 'node:fs';
import { reportLoad } from './bench-support.js';
import { runApiBench } from './api-bench.js';

const [which, ...rest] = process.argv.slice(2);
if (which === 'region') {
  const { runRegionBench } = await import('./region-bench.js');
  await runRegionBench(rest);
} else if (which === 'lint') {
  reportLoad();
  const { runPolicyIntelligenceBench } = await import('./policy-intelligence-bench.js');
  await runPolicyIntelligenceBench(Number(rest[0] ?? '0.2'));
} else if (which === 'fanout') {
  const clients = rest.find((a) => a.startsWith('--clients='));
  if (clients) await (await import('./fanout-clients.js')).runFanoutClients(Number(clients.slice(10)));
  else await (await import('./fanout-bench.js')).runFanoutBench(rest);
} else if (which === 'analysis') {
  reportLoad();
  const { runAnalysisBench } = await import('./analysis-scale.js');
  await runAnalysisBench(Number(rest[0] ?? '0'));
} else if (which === 'soak') {
  const { runSoakBench } = await import('./soak-bench.js');
  await runSoakBench(rest);
} else {
  reportLoad();
  await runApiBench();
  for (const [file, fn] of [['./replica-bench.ts', 'runReplicaBench'], ['./engine-bench.ts', 'runEngineBench'], ['./agent-bench.ts', 'runAgentBench']] as const) {
    if (!existsSync(new URL(file, import.meta.url))) continue;
    const mod = (await import(file.replace(/\.ts$/, '.js'))) as Record<string, () => Promise<void>>;
    await mod[fn]?.();
  }
}
