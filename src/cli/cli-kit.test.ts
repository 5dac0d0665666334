// The shared CLI pieces without a server: where the server is, YAML, progress bars, rule flags.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_SERVER_URL, networkEndpoint, progressBar, resolveServerUrl, UsageError } from './cli-kit.js';
import { expiryOf, parsePortRange, ruleBody } from './rule-commands.js';
import { toYaml } from './yaml-emitter.js';

const CATALOG = [
  { type: 'identity', endpoints: [{ interface: 'public', url: 'http://id' }] },
  { type: 'network', endpoints: [
    { interface: 'public', region: 'RegionOne', url: 'http://one:9696/' }, { interface: 'internal', region: 'RegionOne', url: 'http://inside:9696' },
    { interface: 'public', region: 'RegionTwo', url: 'http://two:9696' },
  ] },
];

describe('where the server is', () => {
  let keystone: Server;
  let authUrl: string;
  beforeAll(async () => {
    keystone = createServer((req, res) => {
      if (req.method === 'POST') return void res.writeHead(201, { 'x-subject-token': 'tok', 'content-type': 'application/json' }).end('{}');
      res.writeHead(req.headers['x-auth-token'] === 'tok' ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify({ catalog: CATALOG }));
    });
    await new Promise<void>((r) => keystone.listen(0, '127.0.0.1', r));
    authUrl = `http://127.0.0.1:${(keystone.address() as AddressInfo).port}/v3`;
  });
  afterAll(() => new Promise<void>((r) => keystone.close(() => r())));

  it('takes --url, then PALISADE_URL, then the catalog, then the default', async () => {
    const env = { OS_AUTH_URL: authUrl, OS_USERNAME: 'u', OS_PASSWORD: 'p', PALISADE_URL: 'http://env:1/' };
    expect(await resolveServerUrl(env, { url: 'http://flag:2/' })).toBe('http://flag:2');
    expect(await resolveServerUrl(env, {})).toBe('http://env:1');
    expect(await resolveServerUrl({ ...env, PALISADE_URL: undefined }, {})).toBe('http://one:9696');
    expect(await resolveServerUrl({ OS_AUTH_URL: authUrl }, { osToken: 'tok' })).toBe('http://one:9696');
    expect(await resolveServerUrl({}, {})).toBe(DEFAULT_SERVER_URL);
    expect(await resolveServerUrl({ OS_TOKEN: 'tok' }, {})).toBe(DEFAULT_SERVER_URL);
  });

  it('reads OS_INTERFACE and OS_REGION_NAME as the openstack client does', () => {
    expect(networkEndpoint(CATALOG, {})).toBe('http://one:9696/');
    expect(networkEndpoint(CATALOG, { OS_INTERFACE: 'internalURL' })).toBe('http://inside:9696');
    expect(networkEndpoint(CATALOG, { OS_REGION_NAME: 'RegionTwo' })).toBe('http://two:9696');
    expect(networkEndpoint(CATALOG, { OS_REGION_NAME: 'Nowhere' })).toBeUndefined();
  });

  it('says what is missing: a password without OS_AUTH_URL, a catalog without a network endpoint', async () => {
    await expect(resolveServerUrl({ OS_USERNAME: 'u', OS_PASSWORD: 'p' }, {})).rejects.toThrow(UsageError);
    await expect(resolveServerUrl({ OS_AUTH_URL: authUrl, OS_REGION_NAME: 'Nowhere' }, { osToken: 'tok' })).rejects.toThrow('no network endpoint');
  });
});

describe('toYaml', () => {
  it('writes block YAML, quoting what would read as another type', () => {
    expect(toYaml({ name: 'web', count: 3, ok: true, none: null, tags: [], meta: {}, list: ['a', 'true', '1.5', ''], nested: [{ a: 1, b: { c: 'x: y' } }, [1, 2]] })).toBe([
      'name: web', 'count: 3', 'ok: true', 'none: null', 'tags: []', 'meta: {}', 'list:', '- a', '- "true"', '- "1.5"', '- ""',
      'nested:', '- a: 1', '  b:', '    c: "x: y"', '- - 1', '  - 2', '',
    ].join('\n'));
    expect(toYaml([])).toBe('[]\n');
    expect(toYaml('10.0.0.0/8')).toBe('10.0.0.0/8\n');
    expect(toYaml('#comment')).toBe('"#comment"\n');
  });
});

describe('progressBar', () => {
  it('draws on a terminal only, and only for more than one step', () => {
    const drawn: string[] = [];
    const bar = progressBar({ env: {}, print: () => undefined, isTTY: true, status: (t) => void drawn.push(t) }, 'exporting', 4);
    bar.tick(2);
    bar.tick(5);
    bar.done();
    expect(drawn).toEqual([
      `\rexporting [${'.'.repeat(30)}] 0/4`, `\rexporting [${'#'.repeat(15)}${'.'.repeat(15)}] 2/4`, `\rexporting [${'#'.repeat(30)}] 4/4`, '\n',
    ]);
    const quiet: string[] = [];
    progressBar({ env: {}, print: () => undefined, isTTY: false, status: (t) => void quiet.push(t) }, 'x', 4).tick();
    progressBar({ env: {}, print: () => undefined, isTTY: true, status: (t) => void quiet.push(t) }, 'x', 1).tick();
    expect(quiet).toEqual([]);
  });
});

describe('rule flags', () => {
  const now = new Date('2026-12-01T10:00:00Z');

  it('reads ports, durations and times', () => {
    expect(parsePortRange('22')).toEqual([22, 22]);
    expect(parsePortRange('8000-8080')).toEqual([8000, 8080]);
    expect(() => parsePortRange('http')).toThrow(UsageError);
    expect(() => parsePortRange('70000')).toThrow('0-65535');
    expect(expiryOf({ expiresIn: '90m' }, now)).toBe('2026-12-01T11:30:00Z');
    expect(expiryOf({ expiresIn: '1d' }, now)).toBe('2026-12-02T10:00:00Z');
    expect(expiryOf({ expiresAt: '2026-12-31T18:00:00+01:00' }, now)).toBe('2026-12-31T17:00:00Z');
    expect(expiryOf({}, now)).toBeUndefined();
    for (const bad of [{ expiresIn: '0h' }, { expiresIn: 'soon' }, { expiresAt: 'tomorrow' }, { expiresIn: '1h', expiresAt: '2026-12-31T00:00:00Z' }]) {
      expect(() => expiryOf(bad, now)).toThrow(UsageError);
    }
  });

  it('builds the API body from a template or from fields', () => {
    expect(ruleBody('g', { template: 'ssh', remoteIp: '10.0.0.0/8', expiresIn: '1h' }, undefined, now)).toEqual({
      security_group_id: 'g', direction: 'ingress', protocol: 'tcp', port_range_min: 22, port_range_max: 22, remote_ip_prefix: '10.0.0.0/8', expires_at: '2026-12-01T11:00:00Z',
    });
    expect(ruleBody('g', { template: 'all-traffic', direction: 'egress' }, 'r', now)).toEqual({ security_group_id: 'g', direction: 'egress', remote_group_id: 'r' });
    expect(ruleBody('g', { protocol: 'icmp', icmpType: '8', ethertype: 'IPv4' }, undefined, now)).toEqual({
      security_group_id: 'g', direction: 'ingress', ethertype: 'IPv4', protocol: 'icmp', port_range_min: 8,
    });
    expect(ruleBody('g', { remoteIp: '2001:db8::/32', description: 'v6' }, undefined, now)).toMatchObject({ ethertype: 'IPv6', description: 'v6' });
    for (const bad of [{ template: 'nope' }, { template: 'ssh', protocol: 'udp' }, { remoteIp: '1.2.3.4', remoteGroup: 'x' }, { protocol: 'tcp', port: '1', icmpType: '3' }, { protocol: 'icmp', icmpCode: '1' }, { protocol: 'icmp', icmpType: '300' }]) {
      expect(() => ruleBody('g', bad, undefined, now)).toThrow(UsageError);
    }
  });
});
