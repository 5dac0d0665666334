// Runs a host tool (nft, conntrack, ip), optionally inside a network namespace, with text on stdin.
import { spawn } from 'node:child_process';

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(readonly command: string, readonly code: number | null, readonly stderr: string) {
    super(`${command} exited with ${String(code)}: ${stderr.trim().split('\n').slice(0, 6).join(' | ')}`);
  }
}

/** Runs `args` (in `netns` when given) and resolves with stdout; rejects with CommandError on a non-zero exit. */
export function runCommand(args: readonly string[], options: { netns?: string | undefined; input?: string } = {}): Promise<string> {
  const argv = options.netns ? ['ip', 'netns', 'exec', options.netns, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0]!, argv.slice(1), { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    child.on('error', (e) => reject(new CommandError(argv.join(' '), null, e.message)));
    child.on('close', (code) => {
      if (code === 0) resolve(Buffer.concat(out).toString('utf8'));
      else reject(new CommandError(args.join(' '), code, Buffer.concat(err).toString('utf8')));
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
