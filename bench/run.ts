// `npm run bench`: every benchmark in one run, each against its own baseline measured in the same run.
// `npm run bench -- analysis [share]`: only the analysis-at-scale benchmark (a minute or more; not in the default run).
import { existsSync } from 'node:fs';
import { reportLoad } from './bench-support.js';
import { runApiBench } from './api-bench.js';

reportLoad();
if (process.argv[2] === 'analysis') {
  const { runAnalysisBench } = await import('./analysis-scale.js');
  await runAnalysisBench(Number(process.argv[3] ?? '0'));
} else {
  await runApiBench();
  for (const [file, fn] of [['./replica-bench.ts', 'runReplicaBench'], ['./engine-bench.ts', 'runEngineBench'], ['./agent-bench.ts', 'runAgentBench']] as const) {
    if (!existsSync(new URL(file, import.meta.url))) continue;
    const mod = (await import(file.replace(/\.ts$/, '.js'))) as Record<string, () => Promise<void>>;
    await mod[fn]?.();
  }
}
