// The agent against a real server, with real packets between lab namespaces: every behaviour of issue #4, item 5.
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentStateStore, HostAgent, NftTable, ServerClient, labDown, labUp, nftRunner, runCommand, type ScriptRunner } from '../src/agent/index.js';
import { startServer, type RunningServer } from '../src/main.js';
import { deleteNetns, lineOf, makeHostNetns, netnsUnavailable, probe, scratchDir, spawnProbe, uniq } from './agent-support.js';
import { hasCapability } from './support/capability.js';

const skip = !hasCapability('network namespaces and nftables', netnsUnavailable());
const u = uniq();
const HOST = `ptth${u}`;
type Json = Record<string, any>;
let server: RunningServer;
let client: ServerClient;
let agent: HostAgent;
let running: Promise<void>;
let committed = -1;
/** Commits the agent sent as element changes alone (netlink batch), not as an nft script. */
let elementCommits = 0;
/** Every nft script the agent sent, in order. */
const scripts: string[] = [];
const scratch = scratchDir('palisade-agent-');
const servers: ChildProcess[] = [];
const ids: Record<string, string> = {};
const ns = { a: `pta${u}`, b: `ptb${u}`, c: `ptc${u}`, d: `ptd${u}` };
const ip = { a: '10.210.0.11', b: '10.210.0.12', c: '10.210.0.13', d: '10.210.0.14', a6: 'fd21::11', b6: 'fd21::12' };

async function call(method: string, path: string, body?: unknown): Promise<Json> {
  const res = await fetch(`${server.url}${path}`, {
    method, headers: { 'x-project-id': 'demo', 'x-roles': 'admin', ...(body !== undefined && { 'content-type': 'application/json' }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return text ? (JSON.parse(text) as Json) : {};
}

/** Waits until the agent has committed everything the server logged so far. */
async function settled(): Promise<void> {
  const latest = (await call('GET', `/v2.0/palisade/changes?since=${Number.MAX_SAFE_INTEGER}`))['latest_seq'] as number;
  const end = Date.now() + 10_000;
  while (committed < latest && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
  expect(committed).toBeGreaterThanOrEqual(latest);
}

async function rule(group: string, spec: Json): Promise<string> {
  const r = await call('POST', '/v2.0/security-group-rules', { security_group_rule: { security_group_id: ids[group], direction: 'ingress', ...spec } });
  return r['security_group_rule']['id'] as string;
}

async function group(name: string, stateful = true): Promise<void> {
  ids[name] = (await call('POST', '/v2.0/security-groups', { security_group: { name: `${name}-${u}`, stateful } }))['security_group']['id'];
}

async function egressRulesOf(name: string): Promise<string[]> {
  const list = (await call('GET', `/v2.0/security-group-rules?security_group_id=${ids[name]}&direction=egress`))['security_group_rules'] as Json[];
  return list.map((r) => r['id'] as string);
}

const open = (from: string, to: string, port: number, kind = 'tcp', src?: string) => probe(from, 'connect', to, String(port), kind, ...(src ? [src] : []));

function startAgent(): void {
  const real = nftRunner(HOST);
  const run: ScriptRunner = (script, elements) => {
    if (elements) elementCommits++;
    scripts.push(script);
    return real(script, elements);
  };
  agent = new HostAgent({
    host: HOST, client, table: new NftTable(run), store: new AgentStateStore(`${scratch.dir}/agent`), netns: HOST, waitSeconds: 2,
    onCommit: (seq) => (committed = seq),
  });
  running = agent.run();
}

async function stopAgent(): Promise<void> {
  agent.stop();
  await running;
}

describe.skipIf(skip)('agent with real traffic', () => {
  beforeAll(async () => {
    server = await startServer({ host: '127.0.0.1', port: 0, auth: 'noauth', changeRetention: 0, logLevel: 'silent', database: { kind: 'sqlite', path: `${scratch.dir}/p.db` } });
    client = new ServerClient(server.url, { project: 'demo' });
    const net = (await call('POST', '/v2.0/networks', { network: { name: `net-${u}` } }))['network']['id'];
    const s4 = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: '10.210.0.0/24', ip_version: 4 } }))['subnet']['id'];
    ids['net'] = net;
    ids['s4'] = s4;
    const s6 = (await call('POST', '/v2.0/subnets', { subnet: { network_id: net, cidr: 'fd21::/64', ip_version: 6 } }))['subnet']['id'];
    for (const g of ['CLIENT', 'MEMBERS', 'CONN', 'WEB']) await group(g);
    await group('SL', false);
    await rule('CONN', { protocol: 'tcp', port_range_min: 22, port_range_max: 22 });
    await rule('CONN', { protocol: 'tcp', port_range_min: 23, port_range_max: 23 });
    await rule('WEB', { protocol: 'tcp', port_range_min: 80, port_range_max: 80 });
    await rule('WEB', { protocol: 'tcp', port_range_min: 8080, port_range_max: 8080 });
    await rule('SL', { protocol: 'tcp', port_range_min: 9000, port_range_max: 9000 });
    const port = async (name: string, v4: string, v6: string | null, groups: string[]) =>
      (await call('POST', '/v2.0/ports', { port: { name, network_id: net, 'binding:host_id': HOST, device_owner: 'compute:nova',
        fixed_ips: [{ subnet_id: s4, ip_address: v4 }, ...(v6 ? [{ subnet_id: s6, ip_address: v6 }] : [])], security_groups: groups.map((g) => ids[g]) } }))['port'] as Json;
    ids['A'] = (await port(ns.a, ip.a, ip.a6, ['CLIENT']))['id'];
    ids['B'] = (await port(ns.b, ip.b, ip.b6, ['CONN', 'WEB']))['id'];
    ids['C'] = (await port(ns.c, ip.c, null, ['SL']))['id'];
    ids['D'] = (await port(ns.d, ip.d, null, ['SL']))['id'];
    await makeHostNetns(HOST);
    await labUp(await client.portsOfHost(HOST), `${scratch.dir}/lab.json`, { hostNetns: HOST });
    for (const n of [ns.b, ns.c]) {
      const s = spawnProbe(n, 'serve', '22', '23', '80', '443', '53', '8080', '8081', '9000');
      servers.push(s);
      await lineOf(s, /ready/);
    }
    for (const n of Object.values(ns)) await runCommand(['sysctl', '-qw', 'net.ipv4.ping_group_range=0 2147483647'], { netns: n });
    startAgent();
    await settled();
  });
  afterAll(async () => {
    for (const s of servers) s.kill();
    await stopAgent().catch(() => undefined);
    await labDown(`${scratch.dir}/lab.json`);
    await deleteNetns(HOST);
    // The agent's long polls keep idle keep-alive sockets open; close them so the server can stop.
    server?.app.server.closeAllConnections();
    await server?.close();
    scratch.remove();
  });

  it('seed CONN/WEB: tcp 22, 23, 80, 8080 reachable, 8081 and 443 not', async () => {
    const results = await Promise.all([22, 23, 80, 8080, 8081, 443].map((p) => open(ns.a, ip.b, p)));
    expect(results).toEqual(['open', 'open', 'open', 'open', 'closed', 'closed']);
  });

  it('remote-group rule followed as a port joins and leaves the group', async () => {
    await rule('WEB', { protocol: 'tcp', port_range_min: 443, port_range_max: 443, remote_group_id: ids['MEMBERS'] });
    await settled();
    expect(await open(ns.a, ip.b, 443)).toBe('closed');
    await call('PUT', `/v2.0/ports/${ids['A']}`, { port: { security_groups: [ids['CLIENT'], ids['MEMBERS']] } });
    await settled();
    expect(await open(ns.a, ip.b, 443)).toBe('open');
    await call('PUT', `/v2.0/ports/${ids['A']}`, { port: { security_groups: [ids['CLIENT']] } });
    await settled();
    expect(await open(ns.a, ip.b, 443)).toBe('closed');
    // A member on another host joins and leaves: one element change each, sent without an nft script.
    const members = async () => runCommand(['nft', 'list', 'set', 'inet', 'palisade', `m4_${ids['MEMBERS']!.replace(/-/g, '_')}`], { netns: HOST });
    const before = elementCommits;
    const far = (await call('POST', '/v2.0/ports', { port: { name: `far-${u}`, network_id: ids['net'], 'binding:host_id': `elsewhere-${u}`,
      fixed_ips: [{ subnet_id: ids['s4'], ip_address: '10.210.0.90' }], security_groups: [ids['MEMBERS']] } }))['port'] as Json;
    await settled();
    expect([await members(), elementCommits - before]).toEqual([expect.stringContaining('10.210.0.90'), 1]);
    await call('DELETE', `/v2.0/ports/${far['id']}`);
    await settled();
    expect([await members(), elementCommits - before]).toEqual([expect.not.stringContaining('10.210.0.90'), 2]);
  });

  it('a member joining on another host opens a remote-group rule on this host\'s port, with real packets (host feed members)', async () => {
    await group('FAR');
    await rule('WEB', { protocol: 'tcp', port_range_min: 8081, port_range_max: 8081, remote_group_id: ids['FAR'] });
    // A port bound to host B. Its namespace is wired into this host's namespace under a prefix the agent does not
    // own, as a link between hypervisors would be: only host A's agent filters, and only by what host A's feed says.
    const far = (await call('POST', '/v2.0/ports', { port: { name: `pth${u}`, network_id: ids['net'], 'binding:host_id': `hostb-${u}`,
      fixed_ips: [{ subnet_id: ids['s4'], ip_address: '10.210.0.91' }], security_groups: [] } }))['port'] as Json;
    await labUp([far as never], `${scratch.dir}/lab-far.json`, { hostNetns: HOST, ifacePrefix: 'hb' });
    try {
      await settled();
      expect(await open(`pth${u}`, ip.b, 8081)).toBe('closed');
      await call('PUT', `/v2.0/ports/${far['id']}`, { port: { security_groups: [ids['FAR']] } });
      await settled();
      expect(await open(`pth${u}`, ip.b, 8081)).toBe('open');
      expect(await open(`pth${u}`, ip.b, 8080)).toBe('open');
      await call('PUT', `/v2.0/ports/${far['id']}`, { port: { security_groups: [] } });
      await settled();
      expect(await open(`pth${u}`, ip.b, 8081)).toBe('closed');
    } finally {
      await labDown(`${scratch.dir}/lab-far.json`);
    }
  });

  it('CIDR rule (host bits set) admits UDP; ICMP echo by type', async () => {
    expect(await open(ns.a, ip.b, 53, 'udp')).toBe('closed');
    await rule('WEB', { protocol: 'udp', port_range_min: 53, port_range_max: 53, remote_ip_prefix: '10.210.0.77/24' });
    await rule('WEB', { protocol: 'udp', port_range_min: 8081, port_range_max: 8081, remote_ip_prefix: '10.210.9.0/24' });
    await settled();
    expect(await open(ns.a, ip.b, 53, 'udp')).toBe('open');
    expect(await open(ns.a, ip.b, 8081, 'udp')).toBe('closed');
    expect(await probe(ns.a, 'ping', ip.b)).toBe('closed');
    await rule('WEB', { protocol: 'icmp', port_range_min: 8, port_range_max: 0 });
    await settled();
    expect(await probe(ns.a, 'ping', ip.b)).toBe('open');
  });

  it('IPv6: a v6 rule opens tcp 80 over IPv6, v4-only rules do not', async () => {
    await rule('WEB', { ethertype: 'IPv6', protocol: 'tcp', port_range_min: 80, port_range_max: 80 });
    await settled();
    expect(await open(ns.a, ip.b6, 80)).toBe('open');
    expect(await open(ns.a, ip.b6, 22)).toBe('closed');
  });

  it('stateful replies pass without a reverse rule', async () => {
    for (const g of ['CONN', 'WEB']) for (const id of await egressRulesOf(g)) await call('DELETE', `/v2.0/security-group-rules/${id}`);
    await settled();
    expect(await open(ns.a, ip.b, 22)).toBe('open');
  });

  it('stateless group needs a reverse rule', async () => {
    for (const id of await egressRulesOf('SL')) await call('DELETE', `/v2.0/security-group-rules/${id}`);
    await settled();
    expect(await open(ns.a, ip.c, 9000)).toBe('closed');
    await rule('SL', { direction: 'egress', protocol: 'tcp', remote_ip_prefix: `${ip.a}/32` });
    await settled();
    expect(await open(ns.a, ip.c, 9000)).toBe('open');
  });

  it('stateless ports are not tracked, except where a stateful port of the host is the other end', async () => {
    await rule('SL', { direction: 'egress', protocol: 'tcp', remote_group_id: ids['SL'] });
    await rule('SL', { protocol: 'tcp', remote_group_id: ids['SL'] });
    await settled();
    for (const f of ['ipv4', 'ipv6']) await runCommand(['conntrack', '-F', '-f', f], { netns: HOST });
    const tracked = async (from: string) => (await runCommand(['conntrack', '-L', '-p', 'tcp', '--orig-src', from, '--orig-dst', ip.c], { netns: HOST })).split('\n').filter((l) => l.includes('dport=9000')).length;
    // Both ends stateless: every packet meets the rules of both, and none of it enters the conntrack table.
    expect(await open(ns.d, ip.c, 9000)).toBe('open');
    expect(await tracked(ip.d)).toBe(0);
    // A stateful client: its replies are admitted by conntrack, so the flow is tracked; the stateless end's rules still apply.
    expect(await open(ns.a, ip.c, 9000)).toBe('open');
    expect(await tracked(ip.a)).toBeGreaterThan(0);
    // Untracked packets meet the rules one by one: without the reverse rule the reply is dropped.
    const reverse = (await call('GET', `/v2.0/security-group-rules?security_group_id=${ids['SL']}&direction=egress&remote_group_id=${ids['SL']}`))['security_group_rules'] as Json[];
    await call('DELETE', `/v2.0/security-group-rules/${reverse[0]!['id']}`);
    await settled();
    expect(await open(ns.d, ip.c, 9000)).toBe('closed');
    expect(await tracked(ip.d)).toBe(0);
  });

  it('egress restriction: only tcp 22 may leave', async () => {
    const before = await egressRulesOf('CLIENT');
    for (const id of before) await call('DELETE', `/v2.0/security-group-rules/${id}`);
    await rule('CLIENT', { direction: 'egress', protocol: 'tcp', port_range_min: 22, port_range_max: 22 });
    await settled();
    expect([await open(ns.a, ip.b, 22), await open(ns.a, ip.b, 80)]).toEqual(['open', 'closed']);
    await rule('CLIENT', { direction: 'egress', ethertype: 'IPv4' });
    await rule('CLIENT', { direction: 'egress', ethertype: 'IPv6' });
    await settled();
  });

  it('spoofed source dropped', async () => {
    await runCommand(['ip', '-n', ns.a, 'addr', 'add', '10.210.0.99/32', 'dev', 'eth0']);
    expect(await open(ns.a, ip.b, 80, 'tcp', '10.210.0.99')).toBe('closed');
    expect(await open(ns.a, ip.b, 80, 'tcp', ip.a)).toBe('open');
  });

  it('address group: add_addresses opens a flow as one element add; remove_addresses closes it and cuts the open connection', async () => {
    const ag = (await call('POST', '/v2.0/address-groups', { address_group: { name: `ag-${u}`, addresses: ['10.210.5.0/24'] } }))['address_group'] as Json;
    await rule('CONN', { protocol: 'tcp', port_range_min: 8081, port_range_max: 8081, remote_address_group_id: ag['id'] });
    await settled();
    expect(await open(ns.a, ip.b, 8081)).toBe('closed');
    const set = `a4_${String(ag['id']).replace(/-/g, '_')}`;
    const mark = scripts.length;
    await call('PUT', `/v2.0/address-groups/${ag['id']}/add_addresses`, { addresses: [`${ip.a}/32`] });
    await settled();
    expect(scripts.slice(mark).filter((x) => x !== '')).toEqual([`add element inet palisade ${set} { ${ip.a} }\n`]);
    expect(await open(ns.a, ip.b, 8081)).toBe('open');
    const hold = spawnProbe(ns.a, 'hold', ip.b, '8081');
    await lineOf(hold, /alive/);
    const removedAt = Date.now() / 1000;
    await call('PUT', `/v2.0/address-groups/${ag['id']}/remove_addresses`, { addresses: [`${ip.a}/32`] });
    const dead = Number((await lineOf(hold, /dead/, 5000)).split(' ')[1]);
    hold.kill();
    expect(dead - removedAt - 0.6).toBeLessThan(1);
    await settled();
    expect(await open(ns.a, ip.b, 8081)).toBe('closed');
    expect(await runCommand(['nft', 'list', 'set', 'inet', 'palisade', set], { netns: HOST })).toContain('10.210.5.0/24');
  });

  it('removing the rule cuts an open connection within one second', async () => {
    const hold = spawnProbe(ns.a, 'hold', ip.b, '23');
    await lineOf(hold, /alive/);
    const list = (await call('GET', `/v2.0/security-group-rules?security_group_id=${ids['CONN']}&port_range_min=23`))['security_group_rules'] as Json[];
    const removedAt = Date.now() / 1000;
    await call('DELETE', `/v2.0/security-group-rules/${list[0]!['id']}`);
    const dead = Number((await lineOf(hold, /dead/, 5000)).split(' ')[1]);
    hold.kill();
    // The helper declares a connection dead after 0.6 s without an echo.
    expect(dead - removedAt - 0.6).toBeLessThan(1);
  });

  it('agent restart with traffic flowing resumes from its sequence', async () => {
    const hold = spawnProbe(ns.a, 'hold', ip.b, '22');
    await lineOf(hold, /alive/);
    let died = false;
    void lineOf(hold, /dead/, 60_000).then(() => (died = true), () => undefined);
    await stopAgent();
    await rule('WEB', { protocol: 'tcp', port_range_min: 8081, port_range_max: 8081 });
    startAgent();
    await settled();
    expect(await open(ns.a, ip.b, 8081)).toBe('open');
    await new Promise((r) => setTimeout(r, 1000));
    hold.kill();
    expect(died).toBe(false);
  });
});
