// Shared by the agent's real-packet tests: capability check, scratch server, namespaces, probes.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCommand } from '../src/agent/index.js';

export const PROBE = fileURLToPath(new URL('./agent-probe.py', import.meta.url));

/** Why the agent tests cannot run here, or null; give it to hasCapability, which fails under PALISADE_REQUIRE_ALL. */
export function netnsUnavailable(): string | null {
  return probeCapabilities();
}

function probeCapabilities(): string | null {
  if (process.getuid?.() !== 0) return 'needs root for network namespaces and nftables';
  for (const tool of ['nft', 'conntrack', 'ip', 'python3']) {
    try {
      execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    } catch {
      return `${tool} is not installed`;
    }
  }
  const ns = `ptcap${process.pid}`;
  try {
    execFileSync('ip', ['netns', 'add', ns], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
  } catch {
    return 'creating network namespaces is not permitted here';
  }
  return null;
}

export const uniq = (): string => `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`.slice(-5);

export async function sh(netns: string | undefined, ...args: string[]): Promise<string> {
  return runCommand(args, { netns });
}

/** A namespace playing the hypervisor: forwarding on, loopback up. */
export async function makeHostNetns(name: string): Promise<void> {
  await runCommand(['ip', 'netns', 'add', name]);
  await sh(name, 'ip', 'link', 'set', 'lo', 'up');
}

export async function deleteNetns(...names: string[]): Promise<void> {
  for (const n of names) await runCommand(['ip', 'netns', 'del', n]).catch(() => undefined);
}

export function probe(netns: string, ...args: string[]): Promise<string> {
  return runCommand(['python3', PROBE, ...args], { netns }).then((s) => s.trim());
}

export function spawnProbe(netns: string, ...args: string[]): ChildProcess {
  return spawn('ip', ['netns', 'exec', netns, 'python3', PROBE, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Resolves with the first stdout line matching `pattern`. */
export function lineOf(child: ChildProcess, pattern: RegExp, timeoutMs = 5000): Promise<string> {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms: ${buf}`)), timeoutMs);
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const line = buf.split('\n').find((l) => pattern.test(l));
      if (line) {
        clearTimeout(timer);
        resolve(line);
      }
    });
  });
}

export function scratchDir(prefix: string): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export async function until(check: () => Promise<boolean>, timeoutMs = 5000, stepMs = 50): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  return false;
}
