// Runs the `palisade` command line as its own process (through tsx), with only the OS_* variables a test gives.
import { spawn } from 'node:child_process';

/** The process's environment without any OS_* variable, so only what a test gives reaches the CLI. */
const baseEnv = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * Runs `palisade <args>` as its own process. With `until`, stops it (SIGTERM) once its stderr holds that many
 * lines matching the pattern, and fails if it exits first; without, waits for it to exit.
 */
export function palisade(args: string[], env: Record<string, string>, until?: { pattern: RegExp; count: number }): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { env: { ...baseEnv, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => void (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    if (until && child.exitCode === null && stderr.split('\n').filter((l) => until.pattern.test(l)).length >= until.count) child.kill('SIGTERM');
  });
  const killer = setTimeout(() => child.kill('SIGKILL'), 45_000);
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(killer);
      if (until && signal !== 'SIGTERM' && !(code === 0 && until.pattern.test(stderr))) {
        reject(new Error(`palisade ${args[0]} exited (${code ?? signal}) before ${until.count} line(s) matching ${until.pattern}:\n${stderr}`));
      } else resolve({ code, stdout, stderr });
    });
  });
}

