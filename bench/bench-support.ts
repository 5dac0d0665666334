// Shared benchmark helpers: load check, timing loops with fixed iteration counts, percentiles, tables.
import { loadavg } from 'node:os';

/** Runs `fn` `n` times sequentially and returns each call's duration in seconds. */
export async function timeIt(n: number, fn: (i: number) => Promise<unknown> | unknown): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const start = process.hrtime.bigint();
    await fn(i);
    out.push(Number(process.hrtime.bigint() - start) / 1e9);
  }
  return out;
}

/** Nearest-rank percentile: the smallest sample with at least p% of the samples at or below it (p99 of 300 is the 297th). */
export function percentile(samples: readonly number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] ?? NaN;
}

export function printTable(title: string, header: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  process.stdout.write(`\n${title}\n${line(header)}\n|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|\n${rows.map(line).join('\n')}\n`);
}

export function reportLoad(): void {
  const [one] = loadavg();
  process.stdout.write(`load average (1 min): ${one?.toFixed(2)}${(one ?? 0) > 1.5 ? '  — machine is busy; ratios are more trustworthy than absolute numbers' : ''}\n`);
}
