// The renderer: expected fragments, disjoint interval elements, diffs as element updates, and `nft -c` syntax checks.
import { execFileSync, spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { hasCapability } from '../../test/support/capability.js';
import type { PortWire, SecurityGroupRuleWire, SecurityGroupWire } from '../contract/index.js';
import { AgentModel } from './agent-model.js';
import { desiredState } from './desired-state.js';
import { parsePrefix } from './ip-prefix.js';
import { renderDiff, renderFull } from './nft-render.js';
import { disjointBoxes, icmpPieces } from './rule-boxes.js';

const AT = '2026-01-01T00:00:00Z';
const base = { project_id: 'p', tenant_id: 'p', revision_number: 1, created_at: AT, updated_at: AT, description: '' };
const group = (id: string, stateful = true): SecurityGroupWire => ({ ...base, id, name: id, stateful, shared: false, tags: [] });
const rule = (id: string, g: string, over: Partial<SecurityGroupRuleWire>): SecurityGroupRuleWire => ({
  ...base, id, security_group_id: g, direction: 'ingress', ethertype: 'IPv4', protocol: null, port_range_min: null, port_range_max: null,
  remote_ip_prefix: null, normalized_cidr: null, remote_group_id: null, remote_address_group_id: null, belongs_to_default_sg: false, ...over,
});
const port = (id: string, host: string, ips: string[], groups: string[], over: Partial<PortWire> = {}): PortWire => ({
  ...base, id, name: id, network_id: 'n', mac_address: '02:00:00:00:00:01', fixed_ips: ips.map((ip_address) => ({ subnet_id: 's', ip_address })),
  device_id: 'd', device_owner: 'compute:nova', 'binding:host_id': host, admin_state_up: true, status: 'ACTIVE', security_groups: groups,
  port_security_enabled: true, allowed_address_pairs: [], ...over,
});

function seedModel(): AgentModel {
  return AgentModel.of(
    [port('web1', 'h1', ['10.0.0.5', 'fd00::5'], ['conn', 'web']), port('db1', 'h2', ['10.0.0.9'], ['web']), port('open1', 'h1', ['10.0.0.6'], [], { port_security_enabled: false })],
    [group('conn'), group('web')],
    [
      rule('r22', 'conn', { protocol: 'tcp', port_range_min: 22, port_range_max: 23 }),
      rule('r80', 'web', { protocol: '6', port_range_min: 80, port_range_max: 80, remote_ip_prefix: '10.0.0.34/24', normalized_cidr: '10.0.0.0/24' }),
      rule('rany', 'web', { protocol: '0', remote_group_id: 'web' }),
      rule('ricmp', 'web', { ethertype: 'IPv6', protocol: 'ipv6-icmp', port_range_min: 128 }),
    ],
  );
}

const nftMissing = process.getuid?.() !== 0 ? 'needs root for `nft -c`' : spawnSync('sh', ['-c', 'command -v nft']).status !== 0 ? 'nft is not installed' : null;
const hasNft = hasCapability('nft (syntax check of the rendered ruleset)', nftMissing);

/** The seed model plus a stateless group and port on h1 (its pair is a /24). */
function withStatelessPort() {
  const model = seedModel();
  model.apply({ seq: 1, resource: 'security_group', action: 'create', id: 'sl', project_id: 'p', object: group('sl', false), at: AT });
  const slPort = port('sl1', 'h1', ['10.0.0.8'], ['sl'], { allowed_address_pairs: [{ ip_address: '10.9.0.0/24', mac_address: '02:00:00:00:00:01' }] });
  model.apply({ seq: 2, resource: 'port', action: 'create', id: 'sl1', project_id: 'p', object: slPort, at: AT });
  return { model, slPort };
}

describe('nft-render', () => {
  const state = desiredState(seedModel(), { host: 'h1' });
  const full = renderFull(state);

  it('dispatches by interface map, conntrack first, stateless before conntrack, unknown taps dropped', () => {
    expect(full).toContain('add rule inet palisade egress ct state vmap { established : accept, related : accept, invalid : drop }');
    expect(full).toContain('add rule inet palisade egress iifname vmap @egress_dispatch');
    expect(full).toContain('add rule inet palisade ingress oifname != "tap*" accept');
    // No stateless port on the host: no rule for them either (each rule costs every new flow).
    expect(full).not.toContain('@stateless_if');
    expect(full).toMatch(/add element inet palisade egress_dispatch \{ "tapopen1" : accept, "tapweb1" : jump pe_web1 \}/);
  });

  it('port chains: anti-spoofing, DHCP and ND, then one jump per group', () => {
    const pe = state.chains.get('pe_web1')!;
    expect(pe).toContain('ip saddr != { 10.0.0.5 } drop');
    // IPv6 leaves for its own chain right after the MAC check; both chains end in the group jumps and drop.
    expect(pe.slice(0, 2)).toEqual(['ether saddr != { 02:00:00:00:00:01 } drop', 'meta nfproto ipv6 goto pe6_web1']);
    expect(pe).toContain('udp sport . udp dport vmap { 67 . 68 : drop, 68 . 67 : accept }');
    const pe6 = state.chains.get('pe6_web1')!;
    expect(pe6.some((l) => l.startsWith('ip6 saddr != { fd00::5, fe80::ff:fe00:1 }'))).toBe(true);
    for (const chain of [pe, pe6]) expect(chain.slice(-3)).toEqual(['jump ge_conn', 'jump ge_web', 'drop']);
    expect(state.chains.get('pi_web1')!.slice(0, 2)).toEqual(['meta nfproto ipv6 goto pi6_web1', 'udp sport 67 udp dport 68 ip daddr { 10.0.0.5, 255.255.255.255 } accept']);
    expect(state.chains.get('pi6_web1')).toContain('icmpv6 type { 130, 135, 136, 134 } accept');
    expect(state.chains.get('pi6_web1')!.slice(-3)).toEqual(['jump gi_conn', 'jump gi_web', 'drop']);
  });

  it('rules as set lookups; protocol "0" is any; remote groups in shared hash sets', () => {
    expect(state.chains.get('gi_conn')).toEqual(['ip saddr . meta l4proto . th dport @gi_conn_p4 accept']);
    expect([...state.sets.get('gi_conn_p4')!.elements.keys()]).toEqual(['0.0.0.0/0 . 6 . 22-23']);
    expect([...state.sets.get('gi_web_p4')!.elements.keys()]).toEqual(['10.0.0.0/24 . 6 . 80']);
    expect(state.chains.get('gi_web')).toContain('ip saddr @m4_web accept');
    expect([...state.sets.get('m4_web')!.elements.keys()].sort()).toEqual(['10.0.0.5', '10.0.0.9']);
    expect(state.sets.get('m4_web')!.interval).toBe(false);
    expect([...state.sets.get('gi_web_c6')!.elements.keys()]).toEqual(['::/0 . 128 . 0-255']);
  });

  it('a member joining is one element add; leaving one element delete; no chain is touched', () => {
    const model = seedModel();
    model.apply({ seq: 1, resource: 'port', action: 'create', id: 'x', project_id: 'p', object: port('x', 'h3', ['10.0.0.77'], ['web']), at: AT });
    const joined = desiredState(model, { host: 'h1' });
    expect(renderDiff(state, joined)).toBe('add element inet palisade m4_web { 10.0.0.77 }\n');
    expect(renderDiff(joined, state)).toBe('delete element inet palisade m4_web { 10.0.0.77 }\n');
    expect(renderDiff(state, state)).toBe('');
  });

  it('stateless ports are untracked (raw prerouting) unless a stateful local port is the other end', () => {
    const { model, slPort } = withStatelessPort();
    const s = desiredState(model, { host: 'h1' });
    const keys = (name: string) => [...s.sets.get(name)!.elements.keys()].sort();
    expect([keys('stateless_if'), keys('stateful_if')]).toEqual([['"tapsl1"'], ['"tapweb1"']]);
    expect([keys('sl4_h'), keys('sl4_p'), keys('sf4_h'), keys('sf4_p'), keys('sf6_h')]).toEqual([['10.0.0.8'], ['10.9.0.0/24'], ['10.0.0.5'], [], ['fd00::5']]);
    expect(s.sets.get('sl4_p')!.interval).toBe(true);
    const text = renderFull(s);
    expect(text).toContain('add chain inet palisade untrack { type filter hook prerouting priority raw; policy accept; }');
    for (const [chain, dir] of [['egress', 'iifname'], ['ingress', 'oifname']]) {
      const at = text.indexOf(`add rule inet palisade ${chain} ${dir} @stateless_if ${dir} vmap`);
      expect(at).toBeGreaterThan(-1);
      expect(at).toBeLessThan(text.indexOf(`add rule inet palisade ${chain} ct state vmap`));
    }
    expect(full).not.toContain('untrack');
    expect(text).toContain('add rule inet palisade untrack iifname @stateless_if ip daddr != @sf4_h ip daddr != @sf4_p notrack');
    expect(text).toContain('add rule inet palisade untrack iifname != @stateful_if ip6 daddr @sl6_p ip6 daddr != @sf6_h ip6 daddr != @sf6_p notrack');
    model.apply({ seq: 3, resource: 'port', action: 'delete', id: 'sl1', project_id: 'p', object: null, at: AT });
    const gone = renderDiff(s, desiredState(model, { host: 'h1' }));
    expect(gone).toContain('delete element inet palisade sl4_p { 10.9.0.0/24 }');
    // The last stateless port gone: the hooked chain goes too (no per-packet cost without stateless ports).
    expect(gone).toContain('flush chain inet palisade untrack\n');
    expect(gone).toContain('delete chain inet palisade untrack\n');
    model.apply({ seq: 4, resource: 'port', action: 'create', id: 'sl1', project_id: 'p', object: slPort, at: AT });
    expect(renderDiff(desiredState(seedModel(), { host: 'h1' }), desiredState(model, { host: 'h1' }))).toContain('add chain inet palisade untrack { type filter hook prerouting priority raw; policy accept; }');
  });

  it('overlapping rules become disjoint elements (the kernel refuses overlaps)', () => {
    const p = (t: string) => parsePrefix(t)!;
    const boxes = disjointBoxes([{ prefix: p('10.0.0.0/8'), lo: 22, hi: 80 }, { prefix: p('10.1.0.0/16'), lo: 70, hi: 90 }]);
    const inner = (b: { prefix: { base: bigint; length: number } }) => b.prefix.length === 16 && b.prefix.base === p('10.1.0.0/16').base;
    expect(boxes.filter(inner).map((b) => [b.lo, b.hi])).toEqual([[22, 90]]);
    expect(boxes.filter((b) => !inner(b)).map((b) => [b.lo, b.hi])).toEqual(Array(8).fill([22, 80]));
    expect(icmpPieces(8 * 256, 8 * 256 + 255)).toEqual(['8 . 0-255']);
    expect(icmpPieces(0, 65535)).toEqual(['0-255 . 0-255']);
  });

  if (hasNft) {
    it('passes `nft -c -f` (the full table, and one with stateless ports)', () => {
      expect(() => execFileSync('nft', ['-c', '-f', '-'], { input: full })).not.toThrow();
      const stateless = renderFull(desiredState(withStatelessPort().model, { host: 'h1' }));
      expect(() => execFileSync('nft', ['-c', '-f', '-'], { input: stateless })).not.toThrow();
    });
  }
});
