// Removal cuts: deletes tracked connections of local ports that the current rules would no longer admit.
import type { AgentModel, ModelPort } from './agent-model.js';
import { runCommand } from './command-runner.js';
import { containsAddress, parsePrefix } from './ip-prefix.js';
import { isAdmitted } from './policy-check.js';
import { isStatelessPort, localPorts } from './desired-state.js';

export interface TrackedConnection {
  readonly version: 4 | 6;
  readonly protocol: number;
  readonly src: string;
  readonly dst: string;
  readonly sport: number | null;
  readonly dport: number | null;
  readonly icmpType: number | null;
  readonly icmpCode: number | null;
}

/** Parses `conntrack -L -o extended` lines (original direction only). */
export function parseConntrack(text: string): TrackedConnection[] {
  const out: TrackedConnection[] = [];
  for (const line of text.split('\n')) {
    const m = /^(ipv4|ipv6)\s+\d+\s+\S+\s+(\d+)\s/.exec(line);
    if (!m) continue;
    const field = (k: string) => new RegExp(`\\b${k}=(\\S+)`).exec(line)?.[1] ?? null;
    const num = (k: string) => (field(k) === null ? null : Number(field(k)));
    const src = field('src');
    const dst = field('dst');
    if (src === null || dst === null) continue;
    out.push({ version: m[1] === 'ipv4' ? 4 : 6, protocol: Number(m[2]), src, dst, sport: num('sport'), dport: num('dport'), icmpType: num('type'), icmpCode: num('code') });
  }
  return out;
}

function ownerOf(ports: readonly ModelPort[], version: 4 | 6, address: bigint): ModelPort | undefined {
  return ports.find((p) => [...p.fixedIps, ...p.pairs.map((x) => x.prefix)].some((q) => containsAddress(q, version, address)));
}

/** Connections whose source port's egress or destination port's ingress no longer admits them. */
export function connectionsToCut(model: AgentModel, host: string, conns: readonly TrackedConnection[]): TrackedConnection[] {
  const ports = localPorts(model, host).filter((p) => p.filtered && !isStatelessPort(model, p));
  return conns.filter((c) => {
    const src = parsePrefix(c.src);
    const dst = parsePrefix(c.dst);
    if (!src || !dst) return false;
    const key = c.dport ?? (c.icmpType === null ? null : c.icmpType * 256 + (c.icmpCode ?? 0));
    const from = ownerOf(ports, c.version, src.base);
    const to = ownerOf(ports, c.version, dst.base);
    if (from && !isAdmitted(model, from, 'egress', { version: c.version, protocol: c.protocol, remote: dst.base, key })) return true;
    return to !== undefined && !isAdmitted(model, to, 'ingress', { version: c.version, protocol: c.protocol, remote: src.base, key });
  });
}

function deleteArgs(c: TrackedConnection): string[] {
  const args = ['conntrack', '-D', '-f', c.version === 4 ? 'ipv4' : 'ipv6', '-p', String(c.protocol), '-s', c.src, '-d', c.dst];
  if (c.sport !== null && c.dport !== null) args.push('--sport', String(c.sport), '--dport', String(c.dport));
  return args;
}

/** Lists the namespace's connections and deletes those the rules no longer admit; returns how many. */
export async function cutConnections(model: AgentModel, host: string, netns?: string): Promise<number> {
  const listed = await Promise.all(['ipv4', 'ipv6'].map((f) => runCommand(['conntrack', '-L', '-o', 'extended', '-f', f], { netns }).catch(() => '')));
  const cut = connectionsToCut(model, host, parseConntrack(listed.join('\n')));
  // conntrack -D exits 1 when the entry already expired: that is success for us.
  await Promise.all(cut.map((c) => runCommand(deleteArgs(c), { netns }).catch(() => undefined)));
  return cut.length;
}
